/**
 * Which real services the integration tests can use. A missing service skips its tests with a
 * visible message — except in CI (CI=true), where a missing service is a failure.
 */
import { redact } from '../../cli/errors.ts'
import { tcpProbe } from '../../cli/engine/load-preflight.ts'

export const SERVICE_URLS = {
  postgres: process.env.PERFKIT_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
  redis: process.env.PERFKIT_REDIS_URL ?? 'redis://127.0.0.1:6379',
  nats: process.env.PERFKIT_NATS_URL ?? 'nats://127.0.0.1:4222',
} as const

export type Service = keyof typeof SERVICE_URLS

/**
 * True when the service answers. When it does not: in CI this throws (the suite must fail);
 * elsewhere it prints why the tests that need it are skipped and returns false.
 */
export async function serviceAvailable(service: Service): Promise<boolean> {
  const url = SERVICE_URLS[service]
  // The same check a run's preflight makes, so a test skips exactly when a run would.
  if (await tcpProbe(url, service)) return true
  const message = `${service} is not reachable at ${redact(url)}`
  if (process.env.CI === 'true') throw new Error(`${message}: CI needs it (start it, or set the URL)`)
  console.warn(`⚠ skipping ${service} integration tests: ${message}`)
  return false
}

/**
 * The servers scenarios can run against: the environment variable that names each one's URL
 * (`perfkit run` sets it from the config's `backends` when the environment does not), and the local
 * server used when nothing names one. One table for the fixtures, the load preflight and the README.
 */
import type { BackendName } from './types.ts'

export const BACKEND_ENV: Record<BackendName, string> = { postgres: 'PERFKIT_PG_URL', redis: 'PERFKIT_REDIS_URL', nats: 'PERFKIT_NATS_URL' }

/** The local servers with their own defaults (PostgreSQL: user and database `postgres`). */
export const DEFAULT_BACKEND_URL: Record<BackendName, string> = {
  postgres: 'postgres://postgres@127.0.0.1:5432/postgres',
  redis: 'redis://127.0.0.1:6379',
  nats: 'nats://127.0.0.1:4222',
}

/** A backend's URL: its environment variable, else the local server. */
export function backendUrl(backend: BackendName, env: NodeJS.ProcessEnv = process.env): string {
  return env[BACKEND_ENV[backend]] ?? DEFAULT_BACKEND_URL[backend]
}

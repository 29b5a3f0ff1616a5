/**
 * Before a run measures anything: can the servers the selected load variants need be reached?
 *
 * A variant declares what it needs (`{ start, requires: ['nats'] }`). When a server does not
 * answer, the variant is skipped with a visible reason — unless the user asked for it, by setting
 * its URL (environment or config `backends`) or by picking the variant with `--filter`: then the
 * run stops here with one line and exit 3, before anything is measured.
 */
import net from 'node:net'
import { BACKEND_ENV, DEFAULT_BACKEND_URL } from '../config/backends.ts'
import type { BackendName } from '../config/types.ts'
import { RunError, redact } from '../errors.ts'
import type { ScenarioCase } from './cases.ts'

/**
 * Servers a load variant is not pointed at by default: a load variant writes under load, and which
 * PostgreSQL database takes that is the user's choice (the data fixtures' local default is for reads
 * and their own schemas).
 */
const NEEDS_A_URL: ReadonlySet<BackendName> = new Set(['postgres'])
const DISPLAY: Record<BackendName, string> = { postgres: 'PostgreSQL', redis: 'Redis', nats: 'NATS' }
const DEFAULT_PORT: Record<BackendName, number> = { postgres: 5432, redis: 6379, nats: 4222 }

/** Whether a TCP connection to the URL's host and port opens within the timeout. */
export type Probe = (url: string, backend: BackendName) => Promise<boolean>

export const tcpProbe: Probe = (url, backend) => {
  let host = '127.0.0.1'
  let port = DEFAULT_PORT[backend]
  try {
    const parsed = new URL(url)
    host = parsed.hostname.replace(/^\[|\]$/g, '') || host
    port = Number(parsed.port) || port
  } catch {
    return Promise.resolve(false)
  }
  return new Promise((resolve) => {
    const socket = net.connect({ host, port })
    const done = (ok: boolean) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(1500, () => done(false))
    socket.once('connect', () => done(true))
    socket.once('error', () => done(false))
  })
}

export interface PreflightOptions {
  /** Backend URLs from the config file (the environment wins over them). */
  configEnv: Record<string, string>
  filter?: string
  env?: NodeJS.ProcessEnv
  probe?: Probe
}

/** Variants to skip, by `caseId/variant`, with the reason shown in the results. */
export type Skips = Map<string, string>

export const skipKey = (c: Pick<ScenarioCase, 'id'>, variant: string) => `${c.id}/${variant}`

/** Checks every server the selected load variants need, once each; throws RunError for one the user asked for. */
export async function checkRequirements(cases: readonly ScenarioCase[], options: PreflightOptions): Promise<Skips> {
  const env = options.env ?? process.env
  const probe = options.probe ?? tcpProbe
  const pattern = options.filter !== undefined ? new RegExp(options.filter) : undefined
  const verdicts = new Map<BackendName, Promise<boolean>>()
  const skips: Skips = new Map()
  for (const c of cases) {
    const requires = c.loaded.load?.requires ?? {}
    for (const variant of c.variants) {
      for (const backend of requires[variant] ?? []) {
        const configured = env[BACKEND_ENV[backend]] ?? options.configEnv[BACKEND_ENV[backend]]
        const url = configured ?? (NEEDS_A_URL.has(backend) ? undefined : DEFAULT_BACKEND_URL[backend])
        const where = `${c.loaded.scenario.name}/${variant}`
        // The filter asked for this variant itself, not just for its scenario.
        const picked = pattern !== undefined && !pattern.test(c.loaded.scenario.name) && !pattern.test(c.id) && (pattern.test(where) || pattern.test(`${c.id}/${variant}`))
        if (url === undefined) {
          const fix = `set ${BACKEND_ENV[backend]} or backends.${backend} in perfkit.config.ts`
          if (picked) throw new RunError(`${where} needs ${DISPLAY[backend]} and no URL is set: ${fix}`)
          skips.set(skipKey(c, variant), `needs ${DISPLAY[backend]}: ${fix}`)
          continue
        }
        if (!verdicts.has(backend)) verdicts.set(backend, probe(url, backend))
        if (await verdicts.get(backend)!) continue
        const shown = redact(url)
        if (configured !== undefined) {
          throw new RunError(`${where} needs ${DISPLAY[backend]}, which is not reachable at ${shown} (${BACKEND_ENV[backend]} or backends.${backend}): start it, or unset the URL to skip the variant`)
        }
        if (picked) throw new RunError(`${where} needs ${DISPLAY[backend]}, which is not reachable at ${shown}: start it or set ${BACKEND_ENV[backend]}, or leave the variant out of --filter`)
        skips.set(skipKey(c, variant), `${DISPLAY[backend]} is not reachable at ${shown}; start it or set ${BACKEND_ENV[backend]}`)
      }
    }
  }
  return skips
}

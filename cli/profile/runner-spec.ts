/**
 * What runner.ts is asked to run (its one JSON argument), apart from the runner itself: importing
 * runner.ts runs it.
 */
import type { Params } from '../config/types.ts'

interface CommonSpec {
  file: string
  index: number
  scenario: string
  variant: string
  params: Params
}

export type RunnerSpec = CommonSpec &
  (
    | {
        kind: 'micro'
        durationMs: number
        /** Let timers run this often (ms), so samplers that live on timers see the loop. @default never */
        yieldEveryMs?: number
      }
    | { kind: 'load'; level: number; warmupMs: number; durationMs: number }
    | {
        kind: 'http'
        /** Where `ready.json` and `stop` go. */
        controlDir: string
        /** Give up when no `stop` came within this long of listening, ms (perfkit died). */
        maxServeMs: number
      }
  )

/** The files an http runner and perfkit exchange in the control folder. */
export const CONTROL_FILES = { ready: 'ready.json', stop: 'stop' } as const

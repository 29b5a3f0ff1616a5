import type { LoadScenarioResult, ScenarioResult } from '../result/schema.ts'

/** Settings the engine runs with, every default already applied. */
export interface EngineSettings {
  seed: number
  /** Time budget per scenario case, ms. */
  timeMs: number
  /** True when --time (or --quick) set timeMs, which then wins over a scenario's own `time`. */
  timeFromFlag: boolean
  /** True when --time itself was given: in load scenarios it sets each cell's window. */
  timeFlag?: boolean
  /** A fixed number of rounds (turns auto-sampling off). */
  rounds?: number
  /** Processes per variant before the first look (`--processes`); else the scenario's, else the kind's default. */
  processes?: number
  quick: boolean
  minEffect: number
  alpha: number
  timeoutMs: number
  /** Bootstrap resamples behind each interval. */
  resamples: number
  /** Extra environment for the children (backend URLs from the config file). */
  childEnv: Record<string, string>
}

/** What the engine reports while it works; the CLI turns these into progress lines. It never prints. */
export type EngineEvent =
  | { type: 'scenario-start'; scenario: string; index: number; total: number; variants: string[] }
  | { type: 'phase'; scenario: string; variant?: string; phase: string }
  | { type: 'round'; scenario: string; variant: string; round: number; rounds: number }
  | { type: 'variant-failed'; scenario: string; variant: string; state: string; message: string }
  | { type: 'scenario-done'; result: ScenarioResult }
  /** The last level of a load scenario's sweep is done: every level's result, in sweep order. */
  | { type: 'sweep-done'; scenario: string; results: LoadScenarioResult[] }

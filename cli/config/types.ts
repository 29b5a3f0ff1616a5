/**
 * The shapes a user writes: scenario files (`defineScenario`) and `perfkit.config.ts` (`defineConfig`).
 * Everything here is user-facing; every option carries its default in JSDoc.
 */

/** A parameter value as it appears in a matrix, on the command line (`--param k=v`) and in results. */
export type ParamValue = string | number | boolean

/**
 * One parameter of a scenario's matrix.
 * - an array: the values the default run sweeps (every combination of every parameter runs);
 *   `--param key=value` replaces them with one value, which may be any value of the same type;
 * - an object: `values` as above, plus `choices`, the only values `--param` accepts.
 */
export type ParamSpec = readonly ParamValue[] | { readonly values: readonly ParamValue[]; readonly choices?: readonly ParamValue[] }

export type ParamMatrix = Record<string, ParamSpec>

/** The parameters of one scenario case: one value per matrix key. */
export type Params = Record<string, ParamValue>

/** A duration: milliseconds as a number, or a string such as `'500ms'`, `'2s'`, `'1.5m'`. */
export type Duration = number | string

/** What `setup` receives. */
export interface SetupContext {
  /** The parameter values of this case (one value per matrix key). */
  params: Params
  /** The variant this child process will measure (each variant runs in its own process). */
  variant: string
  /** The scenario's name. */
  scenario: string
  /** Aborted when the run is interrupted or the variant times out. */
  signal: AbortSignal
}

/** A micro variant: one operation. May return a promise; its value is consumed so it cannot be optimised away. */
export type MicroVariant<State> = (state: State) => unknown

/** A claim from a seed document, checked against a measured figure. */
export interface Claim {
  /** The claim in the source's words, e.g. `'broker overhead < 1% of request time'`. */
  text: string
  /**
   * A budget expression that decides whether the claim holds on this machine, e.g. `'broker: ratio <= 1.01'`.
   * Without one the claim is shown beside the measured figure named by `metric`, unjudged.
   */
  check?: string
  /** The figure the source published, as text (`'160 µs/op'`), shown beside ours. */
  published?: string
  /** `'variant: metric'` naming the measured figure to show when there is no `check`. */
  metric?: string
}

/** Options a scenario may set for itself; each overrides the config file and is overridden by a CLI flag. */
export interface ScenarioOptions {
  /** Time budget for the whole scenario case. @default config.time (8s) */
  time?: Duration
  /** A fixed number of rounds (turns auto-sampling off). @default automatic */
  rounds?: number
  /** How long one round, setup or teardown may take before the variant is killed and marked `timeout`. @default 60s */
  timeout?: Duration
  /** Smallest relative change that counts as slower/faster. @default config.minEffect (0.05) */
  minEffect?: number
  /** Memory ceiling of each variant's child process in MB (`--max-old-space-size`). @default Node's own */
  maxMemoryMB?: number
}

interface ScenarioCommon<State> extends ScenarioOptions {
  /** Unique name; used by `--filter`, in results and reports. Letters, digits, `-`, `_`, `.`, `/`. */
  name: string
  /** A human title for reports. @default name */
  title?: string
  /** Where the claims come from, e.g. `'seed 000'`. */
  source?: string
  /** One paragraph for the report. */
  description?: string
  /** The variant every other variant is compared with. Must name one of `variants`. */
  baseline: string
  /** The parameter matrix. @default {} */
  params?: ParamMatrix
  /** Runs once in each variant's child process before measuring; its return value is the state. */
  setup?: (ctx: SetupContext) => State | Promise<State>
  /** Runs once in each child after measuring. */
  teardown?: (state: State, ctx: SetupContext) => unknown
  /** Budgets checked on every run, e.g. `'broker: ratio <= 1.10'`. */
  budgets?: string[]
  /** Published claims checked against measured figures. */
  claims?: Claim[]
  /**
   * Counters the variant kept while it ran (conflicts, retries, cache hits …), read once in each child
   * after the timed rounds and stored with the variant's result (`counters`). Budgets can name them.
   */
  counters?: (state: State) => Record<string, number> | Promise<Record<string, number>>
}

export interface MicroScenario<State = any> extends ScenarioCommon<State> {
  /** @default 'micro' */
  kind?: 'micro'
  variants: Record<string, MicroVariant<State>>
}

/** Any scenario kind. `load` and `http` are added beside `micro` as their engines land. */
export type Scenario<State = any> = MicroScenario<State>

export type ScenarioKind = NonNullable<Scenario['kind']>

/** `perfkit.config.ts`: project defaults; every key is optional and every CLI flag wins over it. */
export interface PerfkitConfig {
  /** Globs (relative to the config file) that find scenario files. @default ['scenarios/**\/*.bench.ts'] */
  scenarios?: string[]
  /** Where run folders go. @default 'reports' */
  outDir?: string
  /** Time budget per scenario case. @default '8s' */
  time?: Duration
  /** Smallest relative change reported as slower/faster (0.05 = 5 %). @default 0.05 */
  minEffect?: number
  /** False-alarm rate of the rank test. @default 0.01 */
  alpha?: number
  /** Per-round / setup timeout for a variant. @default '60s' */
  timeout?: Duration
  /** Budgets applied to every scenario, e.g. `'*: bytesPerOp <= 2kB'`. @default [] */
  budgets?: string[]
  /** Backend connection settings used by data-backed scenarios (environment variables win). */
  backends?: {
    /** PostgreSQL URL. @default process.env.PERFKIT_PG_URL */
    postgres?: string
    /** Redis URL. @default process.env.PERFKIT_REDIS_URL */
    redis?: string
    /** NATS URL. @default process.env.PERFKIT_NATS_URL */
    nats?: string
  }
}

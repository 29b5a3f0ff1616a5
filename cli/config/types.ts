/**
 * The shapes a user writes: scenario files (`defineScenario`) and `perfkit.config.ts` (`defineConfig`).
 * Everything here is user-facing; every option carries its default in JSDoc.
 */
import type { RequestListener, Server } from 'node:http'

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
  /** Only for the cases whose parameters have these values, e.g. `{ hitRate: 100 }`. @default every case */
  when?: Params
}

/** Options a scenario may set for itself; each overrides the config file and is overridden by a CLI flag. */
export interface ScenarioOptions {
  /** Time budget for the whole scenario case. @default config.time (8s) */
  time?: Duration
  /** A fixed number of rounds (turns auto-sampling off). @default automatic */
  rounds?: number
  /**
   * Fresh processes each variant's rounds are spread over before the first look at the verdicts
   * (auto-sampling may add more). Fewer than 3 makes the rounds the unit of comparison, which cannot
   * sample per-process state. @default 6 (micro), 3 (http); 3 with --quick
   */
  processes?: number
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

/** What an http variant's server factory receives, in the server's own child process. */
export interface HttpServerContext<State = any> extends SetupContext {
  /** What the scenario's `setup` returned in this process (undefined without a `setup`). */
  state: State
}

/**
 * What a server factory returns: a request listener, a `node:http` Server that is not listening
 * yet, or either with a `close` to release what the server holds (database, pools). perfkit
 * binds it to 127.0.0.1 on a free port itself, so a server never listens anywhere else.
 */
export type HttpServerHandle =
  | RequestListener
  | Server
  | {
      /** The request listener (a Node handler, an Express app …). Give this or `server`. */
      handler?: RequestListener
      /** A `node:http` Server created but not listening (e.g. Fastify's `app.server` after `ready()`). */
      server?: Server
      /** Called when the variant is done, after the server stopped listening. */
      close?: () => unknown
    }

/** Builds a variant's server. Runs once, in the variant's child process. */
export type HttpServerFactory<State = any> = (context: HttpServerContext<State>) => HttpServerHandle | Promise<HttpServerHandle>

/**
 * An http variant: the server to measure.
 * - a module path, relative to the scenario file, whose default export is an {@link HttpServerFactory};
 * - `{ module, export }` to use another named export of that module;
 * - the factory itself.
 */
export type HttpVariant<State = any> = string | { module: string; export?: string } | HttpServerFactory<State>

/** One request the load generator sends. */
export interface HttpRequest {
  /** @default 'GET' */
  method?: string
  /** Path and query, starting with `/`, e.g. `'/activities/42'`. */
  path: string
  /** Request headers. @default {} (`content-type: application/json` is added for an object `body`) */
  headers?: Record<string, string>
  /** The body: sent as is when a string, JSON-encoded otherwise. @default no body */
  body?: unknown
  /** How results and reports name the endpoint, e.g. `'/activities/:id'`. @default path */
  route?: string
}

/** The load levels of an http scenario: each connection count is a case of its own. */
export interface HttpSweep {
  /**
   * Concurrent keep-alive connections of the load generator. Becomes the parameter `connections`:
   * `--param connections=10` picks one level, and a claim's `when` can name it.
   */
  connections: readonly number[]
}

/** The traced pass that breaks a request's time down by phase (after the timed rounds). */
export interface HttpBreakdownOptions {
  /** Connections while tracing: 1 gives each request's own costs, without queueing behind others. @default 1 */
  connections?: number
  /** How long the traced pass drives the server. @default '1s' ('300ms' with --quick) */
  time?: Duration
}

/**
 * An http scenario: each variant's server runs in a child process of its own, on 127.0.0.1; the
 * parent drives it with autocannon, in measured windows (rounds) interleaved between variants,
 * and records every request's latency at microsecond resolution.
 */
export interface HttpScenario<State = any> extends ScenarioCommon<State> {
  kind: 'http'
  /** The servers to compare, by variant name. */
  variants: Record<string, HttpVariant<State>>
  /**
   * What the load generator sends: one request, a list every connection cycles through (e.g.
   * GET /activities/1 … /64), or a function of the case's parameters returning either.
   */
  request: HttpRequest | readonly HttpRequest[] | ((params: Params) => HttpRequest | readonly HttpRequest[])
  /** The load levels; each is its own case, persisted as soon as it is measured. @default { connections: [10] } */
  sweep?: HttpSweep
  /** Load each variant's server takes before its timed rounds (JIT, pools, caches). @default '1s' ('300ms' with --quick) */
  warmup?: Duration
  /**
   * autocannon worker threads generating the load (0 = the parent's main thread). Worth it only
   * when the machine has cores to spare beyond the server's: on 2 cores it takes CPU from the server.
   * @default 0
   */
  workers?: number
  /** How long one request may take before it counts as a timeout. @default '10s' */
  requestTimeout?: Duration
  /** The per-request latency breakdown pass; `false` skips it. @default { connections: 1, time: '1s' } */
  breakdown?: false | HttpBreakdownOptions
}


/** A backend a load variant needs; its URL comes from `PERFKIT_<NAME>_URL`, the config's `backends`, else the local default. */
export type BackendName = 'postgres' | 'redis' | 'nats'

/**
 * One operation a producer offers to the system under load (one event). The system hands it back
 * through `handled` or `dropped` when it is done with it; perfkit times emit → handled.
 */
export interface LoadOp {
  /** 0, 1, 2 … in the order the producers offered them. */
  readonly id: number
  /** `performance.now()` when the producer offered it, ms. */
  readonly emittedAt: number
}

/** What a load variant's `start` receives: the state, the level, and how the system reports back. */
export interface LoadContext<State = any> extends SetupContext {
  /** What `setup` returned. */
  state: State
  /** This case's level of the sweep, e.g. 1000 concurrent producers. */
  level: number
  /** The system finished the op (every handler ran); pass what a handler threw to count it failed. Once per op. */
  handled(op: LoadOp, error?: unknown): void
  /** The system refused the op (a backpressure policy dropped it). Once per op. */
  dropped(op: LoadOp): void
  /** The system can no longer work (its server went away): the cell ends `errored` with this error. */
  fail(error: unknown): void
  /** Skips this variant with a reason shown in the results (e.g. a server it needs is absent). */
  skip(reason: string): never
}

/**
 * The system a load variant puts under load. Producers call `emit` concurrently, each waiting for
 * the promise it returns (backpressure) before offering its next op on the next turn of the event
 * loop. An `emit` that throws or rejects is a fault of the system: the cell ends `errored`.
 */
export interface LoadTarget {
  /** Offers one op; resolve (or return) when the producer may go on. */
  emit(op: LoadOp): unknown
  /**
   * How an op finishes: `'signal'` — the system calls `handled`/`dropped` (fire-and-forget systems
   * such as an event bus); `'return'` — the op is handled when `emit` resolves, failed when it
   * rejects (request/response systems). @default 'signal'
   */
  completes?: 'signal' | 'return'
  /** Ops waiting in the system's queue, sampled for the cell's series. */
  queued?(): number
  /** Figures the system kept (queue high-water mark, caller runs …), read after the window; budgets see them as `counters.<name>`. */
  counters?(): Record<string, number>
  /** Stops the system after the window (it need not finish what is still in flight). */
  close?(): unknown
}

/** Builds the system under load for one variant at one level. */
export type LoadStart<State = any> = (ctx: LoadContext<State>) => LoadTarget | Promise<LoadTarget>

/**
 * A load variant: `start`, or `{ start, requires }` when it needs a server. A required server that
 * is not reachable skips the variant with a visible reason — unless the user asked for it (its URL
 * is set in the environment or the config, or `--filter` picked the variant by name): then the run
 * stops before measuring with a one-line error (exit 3).
 */
export type LoadVariant<State = any> = LoadStart<State> | { start: LoadStart<State>; requires?: BackendName[] }

export interface LoadScenario<State = any> extends Omit<ScenarioCommon<State>, 'rounds' | 'minEffect' | 'time'> {
  kind: 'load'
  /**
   * The levels of concurrency to sweep: one key (the parameter's name, e.g. `concurrency`) whose
   * values are positive whole numbers of concurrent producers. Each level is a case of its own
   * (`name[concurrency=1000]`), written to the results as soon as it is measured; `--param
   * concurrency=100` runs one level; claims may say `when: { concurrency: 10000 }`.
   */
  sweep: Record<string, readonly number[]>
  /** Measured window of each variant at each level. @default '3s' (`--quick`: 500ms; `--time` sets it) */
  duration?: Duration
  /** Load applied before the window and not measured. @default '1s' (`--quick`: 200ms) */
  warmup?: Duration
  /**
   * How long setup or teardown may take, and how long a cell may still run after its window
   * should have ended before it is stopped and recorded as `timeout` (a finding, like `oom`).
   * @default config.timeout (60s)
   */
  timeout?: Duration
  /**
   * Memory ceiling of each cell's process in MB (MiB, like `--max-old-space-size`): V8's heap limit
   * and, on Linux, checked every 50 ms, its resident set (worker threads included). A cell over it
   * ends `oom`, a finding like "OOM at 10 000".
   * @default no ceiling
   */
  maxMemoryMB?: number
  variants: Record<string, LoadVariant<State>>
}

/** Any scenario kind. */
export type Scenario<State = any> = MicroScenario<State> | LoadScenario<State> | HttpScenario<State>

export type ScenarioKind = NonNullable<Scenario['kind']>

/** `perfkit.config.ts`: project defaults; every key is optional and every CLI flag wins over it. */
export interface PerfkitConfig {
  /** Globs (relative to the config file) that find scenario files. @default ['**\/*.bench.{ts,mts,js,mjs}'] (outside node_modules, dist, build, coverage, reports) */
  scenarios?: string[]
  /** Where run folders go. @default 'reports' */
  outDir?: string
  /** Time budget per scenario case. @default '8s' */
  time?: Duration
  /** Smallest relative change reported as slower/faster (0.05 = 5 %). @default 0.05 */
  minEffect?: number
  /** The false-alarm rate α a comparison may spend (shared across its looks; see docs/measurement.md). @default 0.01 */
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

/**
 * The result of a run, as written to `result.json` (`"schema": "perfkit/result@1"`).
 *
 * Conventions: times are nanoseconds (fields end in `Ns`), memory is bytes (`Bytes`), rates are per second.
 * Everything that can fail is a union tagged by `state`, so no consumer can forget the errored case.
 * Reporters and the gate read only this; they never see the engine.
 */
import type { ParamValue } from '../config/types.ts'

export const RESULT_SCHEMA = 'perfkit/result@1' as const

export interface RunResult {
  schema: typeof RESULT_SCHEMA
  /** perfkit's version. */
  perfkit: string
  run: RunInfo
  environment: Environment
  scenarios: ScenarioResult[]
  /** This run compared with a saved baseline (`perfkit run --baseline`, `perfkit compare`). */
  baseline?: BaselineComparison
  /** Set on baselines written by `perfkit calibrate`: how much each scenario moves between runs of identical code. */
  calibration?: Calibration
  /**
   * `perfkit run --against <ref>`: the ref's code (the base) measured in the same run as the working
   * tree's (the head). The per-variant verdicts are on each scenario (`ScenarioResult.against`).
   */
  against?: AgainstRun
}

export interface RunInfo {
  id: string
  startedAt: string
  finishedAt?: string
  /** `running` while scenarios remain (a crash leaves it so), `interrupted` after Ctrl-C. */
  state: 'running' | 'completed' | 'interrupted'
  argv: string[]
  settings: RunSettings
}

export interface RunSettings {
  /** Seed of the round order and the bootstrap. */
  seed: number
  quick: boolean
  /** Time budget per scenario case, ms. */
  timeMs: number
  /** Fixed number of rounds, when the user set one. */
  rounds?: number
  /** Processes per variant, when the user set it (`--processes`). */
  processes?: number
  minEffect: number
  alpha: number
  timeoutMs: number
  filter?: string
  params: Record<string, string>
  /**
   * What fails the gate besides failed budgets and variants whose ratio to their scenario's
   * baseline variant got slower: `time` also variants judged on their time alone (the baseline
   * variant, on the same machine); `inconclusive` also verdicts that could not be decided and
   * budgets that could not be measured. @default []
   */
  failOn?: Array<'time' | 'inconclusive'>
}

export interface Environment {
  node: string
  v8: string
  platform: string
  arch: string
  cpu: { model: string; count: number; speedMHz: number }
  /** 1, 5 and 15 minute load averages when the run started. */
  loadAverage: [number, number, number]
  memory: { totalBytes: number; freeBytes: number }
  git?: { commit: string; branch?: string; dirty: boolean }
  hostname: string
  /** Warnings about the machine itself (busy, low memory …). Per-scenario spread warnings live on the scenario. */
  noise: string[]
}

export type ScenarioState = 'completed' | 'errored' | 'interrupted' | 'skipped'

interface ScenarioResultBase {
  /** Unique within the run: the name plus the parameters, e.g. `broker-vs-direct[backend=pglite]`. */
  id: string
  name: string
  title: string
  source?: string
  description?: string
  /** The scenario file, relative to the working directory. */
  file: string
  baseline: string
  params: Record<string, ParamValue>
  state: ScenarioState
  /** Why the scenario as a whole did not complete (state errored or skipped). */
  error?: ErrorInfo
  startedAt: string
  durationMs: number
  /** Where `durationMs` went (micro and http cases). Optional: added after result@1 was first written. */
  timing?: CaseTiming
  /** Wide spread, busy machine, flagged variants … */
  warnings: string[]
  budgets: BudgetResult[]
  claims: ClaimResult[]
  /**
   * Profiles written for this case by `perfkit run --profile` (or `perfkit profile`), and profilers that
   * could not run. Absent when nothing was profiled. Optional: added after result@1 was first written.
   */
  profiles?: ProfileResult[]
  /**
   * `perfkit run --against <ref>`: this case's variants measured a second time on the ref's code, in
   * the same interleaved round plan, and head ÷ base per variant. Absent in ordinary runs.
   */
  against?: ScenarioAgainst
}

/** How a profile was taken: the inspector's CPU profiler (the measured window only), 0x, or Clinic doctor. */
export type ProfileTool = 'cpuprofile' | '0x' | 'clinic-doctor'

/** What a profile file holds. */
export type ProfileKind =
  /** An interactive flame graph (HTML). */
  | 'flamegraph'
  /** The variant's flame graph coloured by the change in self time against the baseline (HTML). */
  | 'differential'
  /** The raw V8 CPU profile (opens in Chrome DevTools and speedscope). */
  | 'cpuprofile'
  /** Clinic doctor's report (HTML). */
  | 'doctor'

/** One profile file of one variant, or a profiler that could not run for it. */
export type ProfileResult =
  | {
      state: 'written'
      variant: string
      tool: ProfileTool
      kind: ProfileKind
      /** Relative to the folder of result.json, with `/` separators. */
      path: string
    }
  | {
      state: 'failed'
      variant: string
      tool: ProfileTool
      /** One line: why the profiler could not start or finish. */
      message: string
    }

export interface MicroScenarioResult extends ScenarioResultBase {
  kind: 'micro'
  settings: {
    /** Target duration of one round of one variant, ms. */
    roundMs: number
    minEffect: number
    alpha: number
    /** Bootstrap resamples behind each interval. */
    resamples: number
    /** Confidence level of the intervals: 1 − the share of alpha the last look spent (see `looks`). */
    level: number
    /** Processes each variant's rounds were spread over. Optional: absent in results of one process per variant. */
    processes?: number
    /** Looks at the verdicts taken (auto-sampling adds a process per look; alpha is spent across them). */
    looks?: number
  }
  variants: VariantResult[]
  /** One per non-baseline variant that, like the baseline, has completed rounds. */
  comparisons: Comparison[]
}

/**
 * The value of the swept parameter in this case. A `load` or `http` scenario's sweep
 * (`sweep: { concurrency: [10, 100, 1000] }`) is a parameter axis like any other: each level is a
 * case of its own (its own result, written as soon as it is measured) and `params` holds it too.
 * Reporters gather a scenario's cases by `name` to draw curves against the level.
 */
export interface SweepLevel {
  /** The swept parameter, e.g. `concurrency` (load) or `connections` (http). */
  name: string
  value: number
}

/**
 * One case of a `load` scenario: each variant ran once, in a child process of its own with a
 * memory ceiling, at this level of concurrency, for `settings.durationMs`.
 */
export interface LoadScenarioResult extends ScenarioResultBase {
  kind: 'load'
  level: SweepLevel
  settings: {
    /** Measured window per variant, ms (after the warm-up). */
    durationMs: number
    warmupMs: number
    /** Heap ceiling of each child, MB (`--max-old-space-size`). */
    maxMemoryMB?: number
  }
  variants: LoadVariantResult[]
  /** Load cases have no rounds to pair, so no interval; kept (empty) so every kind reads alike. */
  comparisons: Comparison[]
}

/**
 * One case of an `http` scenario: each variant's server ran in a child process of its own; the
 * parent drove it with autocannon at `level.value` connections, in rounds interleaved between the
 * variants as in micro scenarios.
 */
export interface HttpScenarioResult extends ScenarioResultBase {
  kind: 'http'
  level: SweepLevel
  /** What the load generator sent. */
  request: { method: string; path: string; bodyBytes: number }
  settings: {
    /** Measured window of one round of one variant, ms. */
    roundMs: number
    warmupMs: number
    minEffect: number
    alpha: number
    resamples: number
    /** Confidence level of the intervals: 1 − the share of alpha the last look spent (see `looks`). */
    level: number
    /** Server processes each variant's rounds were spread over (absent: one). */
    processes?: number
    /** Looks at the verdicts taken. */
    looks?: number
    /** autocannon worker threads that generated the load (0: the parent's main thread). */
    workers?: number
    /** The traced pass behind each variant's `breakdown`: its connections and duration. */
    breakdown?: { connections: number; durationMs: number }
  }
  variants: HttpVariantResult[]
  /**
   * Paired by round on time per request (1 / requests per second), so `ratio` reads as in micro
   * scenarios: > 1 is slower. The throughput ratio is 1 / ratio.
   */
  comparisons: Comparison[]
}

export type ScenarioResult = MicroScenarioResult | LoadScenarioResult | HttpScenarioResult

export type ScenarioKindName = ScenarioResult['kind']


export interface ErrorInfo {
  message: string
  /** Only kept with --verbose. */
  stack?: string
}

/** A round: one turn of one variant. The unit of comparison. */
export interface RoundSummary {
  /** Round number, 0-based; the same index pairs variants. */
  index: number
  /** Position of this variant within the round's randomised order. */
  position: number
  /** Which of the variant's processes ran the round, 0-based; rounds of one process are a cluster. Absent in results of one process per variant. */
  process?: number
  samples: number
  /** Operations executed in this round's samples. */
  ops: number
  medianNs: number
  meanNs: number
  minNs: number
  maxNs: number
  p99Ns: number
}

export interface LatencyStats {
  /** Per-op time; each sample is the mean of a batch of `batch` operations. */
  medianNs: number
  meanNs: number
  p75Ns: number
  p99Ns: number
  p999Ns: number
  minNs: number
  maxNs: number
  sdNs: number
  /** Coefficient of variation of the per-round medians. */
  cv: number
  /** 1e9 / medianNs: operations per second at the median time, the same statistic as `medianNs`. */
  opsPerSec: number
  samples: number
  rounds: number
  /** Operations per timed sample (1 = no batching). */
  batch: number
}

export interface MemoryStats {
  /** Heap growth per operation between forced GCs, over batches no GC interrupted. */
  bytesPerOp: number
  /** One figure per measured batch. */
  batches: number[]
  /** Operations per batch. */
  opsPerBatch: number
  /** Batches thrown away because a GC ran inside them. */
  discarded: number
}

export interface ProcessStats {
  peakRssBytes: number
  heapUsedBytes: number
  gc: { count: number; totalMs: number }
}

export type FlagCode = 'dead-code-elimination' | 'below-resolution' | 'timer-saturation' | 'high-variance' | 'two-speeds' | 'gc-in-memory-pass'

/**
 * Where a case's wall time went, ms: starting processes and loading the scenario file, setup,
 * warm-up and calibration, timed rounds, the memory and traced passes, teardown — summed over the
 * processes' lives (a life's processes start together, so `start` counts each life once).
 */
export type CaseTiming = Record<'start' | 'setup' | 'warmup' | 'rounds' | 'passes' | 'teardown', number>

export interface Flag {
  code: FlagCode
  message: string
}

export interface BreakdownPhase {
  name: string
  /** Self time (children excluded) per op. */
  meanNs: number
  medianNs: number
  /** meanNs / totalMeanNs. */
  share: number
  /** Ops in which the phase ran at least once. */
  count: number
}

/** Where the time goes inside a variant, from a traced pass separate from the timed rounds. */
export interface Breakdown {
  ops: number
  /** Mean traced time per op; phases' means plus `restMeanNs` add up to it. */
  totalMeanNs: number
  totalMedianNs: number
  phases: BreakdownPhase[]
  /** Time inside the op not attributed to any phase. */
  restMeanNs: number
  restShare: number
  /**
   * Traced ops left out of the figures because they took over 10× the median op — stalls (the
   * process preempted, a GC pause), not a phase of the work. `ops` counts the ones kept.
   */
  outliers?: number
  /**
   * Set when the op ran its phases concurrently (parallel writers, requests in flight together):
   * their self times overlap and add up to more than the op took, so `restMeanNs` is negative and
   * shares sum past 100 %. Each share is still the phase's time over the op's.
   */
  overlapping?: true
}

interface VariantBase<Round = RoundSummary> {
  name: string
  isBaseline: boolean
  /** Rounds completed before whatever ended the variant. */
  rounds: Round[]
  flags: Flag[]
  process?: ProcessStats
  /** What the scenario's `counters(state)` returned after the timed rounds. */
  counters?: Record<string, number>
}

export interface VariantCompleted extends VariantBase {
  state: 'completed'
  stats: LatencyStats
  memory?: MemoryStats
  breakdown?: Breakdown
}

export interface VariantErrored extends VariantBase {
  state: 'errored'
  error: ErrorInfo
  /** Where it failed: setup, a round, the memory or traced pass, teardown. */
  phase: string
}

export interface VariantTimedOut extends VariantBase {
  state: 'timeout'
  timeoutMs: number
  phase: string
}

export interface VariantInterrupted extends VariantBase {
  state: 'interrupted'
}

export type VariantResult = VariantCompleted | VariantErrored | VariantTimedOut | VariantInterrupted

export type Verdict = 'slower' | 'faster' | 'same' | 'inconclusive'

export interface Interval {
  estimate: number
  low: number
  high: number
  /** Confidence level, e.g. 0.99. */
  level: number
}

export interface Comparison {
  variant: string
  baseline: string
  /** variant time / baseline time (> 1 = slower). */
  ratio: Interval
  /** Two-sided p-value of the test. */
  pValue: number
  /**
   * `student-t-per-process`: one summary per process (pair), Student's t on them — the rounds of
   * one process are a cluster. The rank tests: the rounds are the unit (one process per variant).
   */
  test: 'wilcoxon-signed-rank' | 'mann-whitney-u' | 'student-t-per-process' | 'welch-t-per-process'
  /** Paired rounds (or, unpaired, the smaller group size); processes for `student-t-per-process`. */
  n: number
  /** Paired rounds behind a `student-t-per-process` comparison. */
  rounds?: number
  verdict: Verdict
  minEffect: number
  alpha: number
}

export interface BudgetResult {
  /** The budget as written. */
  expression: string
  /** Where it came from: the scenario file or the config. */
  origin: 'scenario' | 'config'
  variant: string
  metric: string
  /**
   * `cant-tell`: a budget on an estimate with an interval (`ratio`, `throughputRatio`, `delta`) whose
   * interval straddles the threshold — neither holds nor fails; it fails the gate only with
   * `--fail-on inconclusive`.
   */
  state: 'pass' | 'fail' | 'cant-tell' | 'missing'
  /** The measured value in the metric's base unit; absent when it could not be measured. */
  measured?: number
  /** The estimate's confidence interval, in the same unit, when the metric has one. */
  interval?: { low: number; high: number }
  /** The measured value formatted in the budget's own unit. */
  measuredText: string
  message?: string
}

export interface ClaimResult {
  text: string
  published?: string
  check?: string
  /** `'variant: metric'` the claim shows unjudged, when it has no check. */
  metric?: string
  measured?: number
  measuredText: string
  /** null when the claim has no check, its figure could not be measured, or its interval cannot tell. */
  holds: boolean | null
  /**
   * The three-valued reading of a check, plus `not-judged`: `cant-tell` when the figure's interval
   * straddles the check's threshold. Optional: absent in results written before it (read them with
   * claimOutcome).
   */
  outcome?: ClaimOutcome
}

export type ClaimOutcome = 'holds' | 'does-not-hold' | 'cant-tell' | 'not-judged'

/** A claim's outcome, also for results written before `outcome` existed. */
export function claimOutcome(claim: Pick<ClaimResult, 'holds' | 'outcome'>): ClaimOutcome {
  return claim.outcome ?? (claim.holds === true ? 'holds' : claim.holds === false ? 'does-not-hold' : 'not-judged')
}

/** Latency percentiles from a histogram (HdrHistogram at microsecond resolution), ns. */
export interface LatencyPercentiles {
  count: number
  meanNs: number
  p50Ns: number
  p90Ns: number
  p99Ns: number
  p999Ns: number
  maxNs: number
}

/** What one load cell measured (a variant at a level), over the measured window. */
export interface LoadFigures {
  /** Operations (events) the producers started. */
  emitted: number
  /** Operations that finished (every handler of the event ran). */
  completed: number
  /** Operations refused by a backpressure policy, counted. */
  dropped: number
  /** Operations that failed (a handler threw). */
  failed: number
  offeredPerSec: number
  completedPerSec: number
  /** emit → handled. */
  latency: LatencyPercentiles
  /** `monitorEventLoopDelay` over the window. */
  eventLoopDelay: { p50Ns: number; p99Ns: number; maxNs: number; meanNs: number }
  peakRssBytes: number
  peakHeapBytes: number
  gc: { count: number; totalMs: number }
  /** Once a second: completed so far, RSS, heap, queue length — the shape of the run, for charts. */
  series?: Array<{ tMs: number; completed: number; rssBytes: number; heapBytes: number; queued?: number }>
  /** The window as it really lasted, ms (an overloaded event loop ends it late); the rates divide by it. */
  windowMs?: number
  /** Ops offered and not yet handled or dropped when the window ended: what the system was holding. */
  inFlight?: number
  /** Resident set when the load started (after set-up), bytes: peak RSS minus this is what the load cost. */
  startRssBytes?: number
}

interface LoadVariantBase extends VariantBase<never> {
  /** The level this cell ran at (the same as the case's). */
  level: number
  /** The last figures before the cell ended: complete when `completed`, partial otherwise. */
  figures?: LoadFigures
}

export type LoadVariantResult =
  | (LoadVariantBase & { state: 'completed'; figures: LoadFigures })
  /** The child ran out of its heap ceiling: a result ("OOM at 10 000"), not a failure of perfkit. */
  | (LoadVariantBase & { state: 'oom'; maxMemoryMB?: number; afterMs: number })
  /** Past its deadline (the window plus a grace period): a result, like `oom`. */
  | (LoadVariantBase & { state: 'timeout'; timeoutMs: number; phase: string })
  | (LoadVariantBase & { state: 'errored'; error: ErrorInfo; phase: string })
  /** Not run, and why (e.g. its server — NATS, Redis — is not reachable and the variant is optional). */
  | (LoadVariantBase & { state: 'skipped'; reason: string })
  | (LoadVariantBase & { state: 'interrupted' })

/** One round of one http variant: a measured window of the load generator. */
export interface HttpRound {
  index: number
  position: number
  /** Which of the variant's server processes served the round, 0-based (see RoundSummary.process). */
  process?: number
  durationMs: number
  requests: number
  requestsPerSec: number
  /** Per-request latency recorded by perfkit (autocannon's own is whole milliseconds). */
  latency: LatencyPercentiles
  errors: number
  timeouts: number
  non2xx: number
  /** CPU time of the server's process over the window, as a fraction of one core. */
  serverCpu?: number
  /**
   * The server's CPU time per request it answered in the window, ns: what one request costs the
   * server whoever set the pace (a saturated load generator caps requests/s, not this).
   */
  serverCpuPerRequestNs?: number
  /** CPU time of the load generator (perfkit's process, all threads) over the window, fraction of one core. */
  generatorCpu?: number
}

export interface HttpStats {
  /** Median over rounds of requests per second. */
  requestsPerSec: number
  /** Coefficient of variation of the per-round requests per second. */
  cv: number
  requests: number
  /** Over every request of every measured round. */
  latency: LatencyPercentiles
  errors: number
  timeouts: number
  non2xx: number
  rounds: number
  /** Median over rounds of the server's CPU time per request, ns. */
  serverCpuPerRequestNs?: number
}

/** `process` is the server's own process over the timed rounds: peak RSS (sampled every 20 ms), heap after the last round, GC. */
interface HttpVariantBase extends VariantBase<HttpRound> {
  /** The server's start: loading its module, `setup` and the factory until it listened (ms), and its resident memory then, before any request. */
  startup?: { ms: number; rssBytes: number }
}

export type HttpVariantResult =
  | (HttpVariantBase & { state: 'completed'; stats: HttpStats; breakdown?: Breakdown })
  | (HttpVariantBase & { state: 'errored'; error: ErrorInfo; phase: string; stats?: HttpStats })
  | (HttpVariantBase & { state: 'timeout'; timeoutMs: number; phase: string; stats?: HttpStats })
  | (HttpVariantBase & { state: 'interrupted'; stats?: HttpStats })

/** Any kind's variant. */
export type AnyVariantResult = VariantResult | LoadVariantResult | HttpVariantResult

/**
 * The regression check of a run (the head) against a saved baseline (the base): per scenario and
 * variant, head ÷ base with an interval, widened by the scenario's noise floor when the baseline is
 * calibrated, and the four-outcome verdict.
 */
export interface BaselineComparison {
  /** The baseline as the user named it: `main`, or a file. */
  name: string
  /** The file that was read. */
  file: string
  /** Where the baseline's figures come from. */
  base: {
    runId: string
    startedAt: string
    perfkit: string
    git?: { commit: string; branch?: string; dirty: boolean }
    hostname: string
    cpu: string
    node: string
  }
  /** Whether the baseline carries a calibration (`perfkit calibrate`) and so a noise floor per scenario. */
  calibrated: boolean
  /**
   * Whether both runs were measured on the same machine with the same Node: only then are times
   * (not just ratios) comparable, and only then do time readings decide a verdict.
   */
  sameMachine: boolean
  /** The configured minimum effect, before any noise floor raises it. */
  minEffect: number
  alpha: number
  /** Loud warnings: another machine, another Node version, other run settings, no calibration … */
  warnings: string[]
  scenarios: ScenarioRegression[]
  /** Scenario ids of the run that the baseline does not have. */
  onlyInRun: string[]
  /** Scenario ids of the baseline that the run does not have (filtered out, renamed or removed). */
  onlyInBaseline: string[]
}

export interface ScenarioRegression {
  /** The run's scenario id. */
  id: string
  /** The baseline's scenario id: the same, unless matched by name because the parameters differ. */
  baselineId: string
  kind: ScenarioKindName
  /** The scenario's baseline variant (the `ratio` readings are relative to it). */
  baselineVariant: string
  /** A/A runs pooled on the base side: the calibration's runs while the baseline holds them, else 1. */
  baseRuns: number
  /**
   * How far apart two runs of identical code land, per reading: the width, as a fraction, of the
   * band that held every A/A change of the baseline's calibration, for a base that pools `baseRuns`
   * runs. Absent when the baseline is not calibrated.
   */
  noiseFloor?: { time: number; ratio?: number }
  notes: string[]
  variants: VariantRegression[]
}

export type VariantRegression = VariantRegressionCompared | VariantRegressionNotCompared

export interface VariantRegressionCompared {
  variant: string
  state: 'compared'
  /** The gate's verdict on the variant: its `ratio` reading, or its `time` reading for the baseline variant. */
  verdict: Verdict
  decidedBy: 'time' | 'ratio'
  /** head ÷ base of the variant's own time (per op; per request for http). */
  time: RegressionReading
  /** head ÷ base of the variant's time ÷ the baseline variant's, per round: machine-wide drift cancels. */
  ratio?: RegressionReading
  /** Why the verdict is not simply the deciding reading's, when it is not. */
  note?: string
}

export interface VariantRegressionNotCompared {
  variant: string
  state: 'not-compared'
  reason: string
  /** The time reading, shown but not judged (the runs were measured on different machines or Node versions). */
  time?: RegressionReading
  /** Figures side by side, unjudged (load cells are measured once per variant: there is no interval). */
  figures?: RegressionFigure[]
}

export interface RegressionFigure {
  metric: string
  dimension: 'time' | 'bytes' | 'rate' | 'count'
  base?: number
  head?: number
}

/** One head ÷ base comparison of round figures. */
export interface RegressionReading {
  /** Each side's location: the median round time in ns (`time`), or the median per-round ratio (`ratio`). */
  base: number
  head: number
  /** head ÷ base (> 1 = slower), its interval widened by the noise floor. */
  change: Interval
  /** The interval from the rounds alone, before the noise floor widened it. */
  sampling: { low: number; high: number }
  pValue: number
  /** `welch-t-per-process` when both runs spread their rounds over several processes (one summary per process), else the rounds as the unit. */
  test: 'mann-whitney-u' | 'welch-t-per-process'
  baseRounds: number
  headRounds: number
  /** The minimum effect this reading was judged with (the noise floor widens the interval instead). */
  minEffect: number
  /** 0 when the baseline is not calibrated. */
  noiseFloor: number
  verdict: Verdict
}

/**
 * Written by `perfkit calibrate` into a baseline: the scenarios were run several times (A/A runs,
 * each variant in fresh processes each time) and how far identical code moves between runs was measured.
 */
export interface Calibration {
  /** A/A runs measured. */
  runs: number
  calibratedAt: string
  /** Settings of the A/A runs; comparisons made with other settings are warned about. */
  settings: { timeMs: number; quick: boolean; rounds?: number }
  /** The machine the A/A runs were made on. */
  machine: { hostname: string; cpu: string; cpuCount: number; node: string }
  git?: { commit: string; branch?: string; dirty: boolean }
  scenarios: ScenarioCalibration[]
}

export interface ScenarioCalibration {
  id: string
  kind: ScenarioKindName
  /**
   * The noise floor per reading, as a fraction: the width of the band that held every A/A change
   * (each calibration run compared, as the gate compares a run, with the other runs pooled), for
   * comparisons with this baseline as it is stored (see `pooled`).
   */
  noiseFloor: { time: number; ratio?: number }
  /** Whether the baseline still holds the A/A runs' rounds, pooled as the base side of comparisons. */
  pooled: boolean
  variants: VariantCalibration[]
}

export interface VariantCalibration {
  name: string
  /** Per A/A run: head ÷ base of the variant's time, that run against the others pooled. */
  timeChanges: number[]
  /** The same for its ratio to the baseline variant; absent for the baseline variant. */
  ratioChanges?: number[]
  /** Each A/A run's round times (ns per op; per request for http), kept while `pooled`. */
  rounds?: number[][]
  /** Each A/A run's per-round ratios to the baseline variant, kept while `pooled`. */
  roundRatios?: number[][]
}

/**
 * Glossary of `perfkit run --against <ref>`:
 * - **head**: the working tree's code, as it is (uncommitted changes included). A scenario result's
 *   `variants`, `comparisons`, budgets and claims are always the head's, under the variants' own names.
 * - **base**: the ref's code, checked out in a temporary git worktree. Its variants are measured in the
 *   same processes' lives and the same interleaved round plan as the head's (as `base:<variant>` in
 *   progress lines), and kept in `ScenarioResult.against.base` under their own names.
 * - **change**: head ÷ base of a variant's time per op (per request for http), paired by round, each
 *   life's pair of processes one unit (> 1 = the head is slower).
 */
export interface AgainstRun {
  /** The ref as the user gave it, e.g. `origin/main` or `HEAD~1`. */
  ref: string
  /** The commit it resolved to (full hash). */
  commit: string
  /** The commit's subject line. */
  subject?: string
  /** The head: the working tree's commit and whether it had uncommitted changes (measured as they are). */
  head: { commit?: string; dirty: boolean }
  /** How the base's dependencies were provided: the working tree's node_modules (`shared`), or `npm ci` in the worktree (`installed`, with why). */
  dependencies: { mode: 'shared' | 'installed'; reason?: string }
  /** What differs between the trees beyond single cases, one line each: scenarios only on one side, scenario files the ref could not load. */
  notes: string[]
}

/** One case's base side and its per-variant comparisons (see AgainstRun for the words). */
export interface ScenarioAgainst {
  /** The base's variants as measured in this case, under their own names; round indices pair with the head's. */
  base: AnyVariantResult[]
  /** One per variant of the case, on either side. */
  variants: AgainstVariant[]
  /** What differs between the trees in this case (a parameter matrix, a renamed or missing variant), one line each. */
  notes: string[]
}

export type AgainstVariant = AgainstCompared | AgainstNotCompared

export interface AgainstCompared {
  variant: string
  state: 'compared'
  /** Median round time of each side, ns (per op; per request for http). */
  base: number
  head: number
  /** head ÷ base, paired by round (> 1 = slower). */
  change: Interval
  pValue: number
  test: Comparison['test']
  /** Process pairs (lives) for `student-t-per-process`, else paired rounds. */
  n: number
  rounds?: number
  verdict: Verdict
  minEffect: number
  alpha: number
}

export interface AgainstNotCompared {
  variant: string
  state: 'not-compared'
  /** One line: only in the working tree, only in the ref, failed on one side, too few paired rounds. */
  reason: string
}

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
  minEffect: number
  alpha: number
  timeoutMs: number
  filter?: string
  params: Record<string, string>
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
  /** Wide spread, busy machine, flagged variants … */
  warnings: string[]
  budgets: BudgetResult[]
  claims: ClaimResult[]
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
    /** Confidence level of the intervals (1 − alpha). */
    level: number
  }
  variants: VariantResult[]
  /** One per non-baseline variant that, like the baseline, has completed rounds. */
  comparisons: Comparison[]
}

export type ScenarioResult = MicroScenarioResult

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

export type FlagCode = 'dead-code-elimination' | 'below-resolution' | 'timer-saturation' | 'high-variance' | 'gc-in-memory-pass'

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
}

interface VariantBase {
  name: string
  isBaseline: boolean
  /** Rounds completed before whatever ended the variant. */
  rounds: RoundSummary[]
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
  /** Two-sided p-value of the rank test. */
  pValue: number
  test: 'wilcoxon-signed-rank' | 'mann-whitney-u'
  /** Paired rounds (or, unpaired, the smaller group size). */
  n: number
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
  state: 'pass' | 'fail' | 'missing'
  /** The measured value in the metric's base unit; absent when it could not be measured. */
  measured?: number
  /** The measured value formatted in the budget's own unit. */
  measuredText: string
  message?: string
}

export interface ClaimResult {
  text: string
  published?: string
  check?: string
  measured?: number
  measuredText: string
  /** null when the claim has no check or its figure could not be measured. */
  holds: boolean | null
}

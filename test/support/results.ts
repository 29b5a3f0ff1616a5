import { compareClustered } from '../../cli/stats/compare.ts'
/**
 * Synthetic `perfkit/result@1` results for tests of reporters and the gate (STYLE.md: "tests of
 * reporters and the gate use synthetic results"). Deterministic: the same call returns the same result.
 *
 * The building blocks (`completedVariant`, `erroredVariant`, `microScenario`, `runResult` …) make any
 * shape a test needs; `syntheticRun()` is a realistic three-scenario run, `manyScenarioRun(n)` a large
 * one, and `hostileRun()` one whose every string tries to break out of the format it is written into.
 *
 * Comparisons are derived from the rounds with a simple paired log-ratio summary. They are plausible,
 * not perfkit's statistics (cli/stats): reporters must not depend on how the figures were computed.
 */
import {
  RESULT_SCHEMA,
  type Breakdown,
  type BudgetResult,
  type ClaimResult,
  type Comparison,
  type Environment,
  type ErrorInfo,
  type Flag,
  type HttpRound,
  type HttpScenarioResult,
  type HttpStats,
  type HttpVariantResult,
  type LatencyPercentiles,
  type LatencyStats,
  type LoadFigures,
  type LoadScenarioResult,
  type LoadVariantResult,
  type MemoryStats,
  type MicroScenarioResult,
  type ProcessStats,
  type RoundSummary,
  type RunInfo,
  type RunResult,
  type ScenarioResult,
  type ScenarioState,
  type VariantCompleted,
  type VariantErrored,
  type VariantInterrupted,
  type VariantResult,
  type VariantTimedOut,
  type Verdict,
} from '../../cli/result/schema.ts'
import type { ParamValue } from '../../cli/config/types.ts'

/** mulberry32: a small seeded generator, so fixtures are the same on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A standard normal draw (Box–Muller) from a uniform generator. */
function gaussian(random: () => number): number {
  const u = Math.max(random(), 1e-12)
  const v = random()
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

function mean(values: number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length
}

function standardDeviation(values: number[]): number {
  if (values.length < 2) return 0
  const m = mean(values)
  return Math.sqrt(values.reduce((sum, v) => sum + (v - m) ** 2, 0) / (values.length - 1))
}

/** A string seed from a name, so each variant gets its own noise without the caller passing seeds. */
function seedOf(text: string): number {
  let hash = 2166136261
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619)
  return hash >>> 0
}

export function environment(overrides: Partial<Environment> = {}): Environment {
  return {
    node: 'v20.20.2',
    v8: '11.3.244.8-node.33',
    platform: 'linux',
    arch: 'x64',
    cpu: { model: 'AMD EPYC 7B13 64-Core Processor', count: 2, speedMHz: 2450 },
    loadAverage: [1.92, 1.41, 0.87],
    memory: { totalBytes: 8_340_000_000, freeBytes: 3_120_000_000 },
    git: { commit: '3f9c2e1d7a4b8c6e5f0a1b2c3d4e5f6a7b8c9d0e', branch: 'main', dirty: false },
    hostname: 'bench-01',
    noise: [],
    ...overrides,
  }
}

export function runInfo(overrides: Partial<RunInfo> = {}): RunInfo {
  return {
    id: '2025-03-04T12-00-00Z-7f3a',
    startedAt: '2025-03-04T12:00:00.000Z',
    finishedAt: '2025-03-04T12:03:41.250Z',
    state: 'completed',
    argv: ['run'],
    settings: { seed: 42, quick: false, timeMs: 8000, minEffect: 0.05, alpha: 0.01, timeoutMs: 60_000, params: {} },
    ...overrides,
  }
}

export interface RoundOptions {
  /** How many rounds. @default 12 */
  count?: number
  /** Typical per-op median. */
  medianNs: number
  /** Relative round-to-round noise (standard deviation / median). @default 0.03 */
  spread?: number
  /** Operations per timed sample. @default 1 */
  batch?: number
  /** @default derived from medianNs */
  seed?: number
}

/** Per-round summaries around `medianNs`, with a little noise and the occasional slow round. */
export function rounds(options: RoundOptions): RoundSummary[] {
  const { count = 12, medianNs, spread = 0.03, batch = 1 } = options
  const random = seededRandom(options.seed ?? seedOf(String(medianNs)))
  return Array.from({ length: count }, (_, index) => {
    const slowRound = random() < 0.08 ? 1 + 4 * spread : 1
    const roundMedian = medianNs * Math.max(0.5, 1 + spread * gaussian(random)) * slowRound
    const samples = 180 + Math.floor(random() * 60)
    return {
      index,
      position: Math.floor(random() * 3),
      samples,
      ops: samples * batch,
      medianNs: roundMedian,
      meanNs: roundMedian * (1.03 + random() * 0.04),
      minNs: roundMedian * (0.78 + random() * 0.1),
      maxNs: roundMedian * (4 + random() * 8),
      p99Ns: roundMedian * (1.5 + random() * 0.5),
    }
  })
}

/** Latency statistics consistent with the given rounds. */
export function statsFromRounds(list: RoundSummary[], batch = 1): LatencyStats {
  const medians = list.map((r) => r.medianNs)
  const medianNs = median(medians)
  const meanNs = mean(list.map((r) => r.meanNs))
  const p99Ns = median(list.map((r) => r.p99Ns))
  return {
    medianNs,
    meanNs,
    p75Ns: medianNs * 1.09,
    p99Ns,
    p999Ns: p99Ns * 1.7,
    minNs: Math.min(...list.map((r) => r.minNs)),
    maxNs: Math.max(...list.map((r) => r.maxNs)),
    sdNs: standardDeviation(medians) * 3,
    cv: standardDeviation(medians) / mean(medians),
    opsPerSec: 1e9 / medianNs,
    samples: list.reduce((sum, r) => sum + r.samples, 0),
    rounds: list.length,
    batch,
  }
}

export function memoryStats(bytesPerOp: number, seed = seedOf(String(bytesPerOp))): MemoryStats {
  const random = seededRandom(seed)
  return {
    bytesPerOp,
    batches: Array.from({ length: 8 }, () => bytesPerOp * (0.97 + random() * 0.06)),
    opsPerBatch: 1000,
    discarded: Math.floor(random() * 2),
  }
}

export function processStats(peakRssBytes: number, gcCount = 14, gcTotalMs = 9.5): ProcessStats {
  return { peakRssBytes, heapUsedBytes: peakRssBytes * 0.42, gc: { count: gcCount, totalMs: gcTotalMs } }
}

/**
 * A latency breakdown: `phases` maps a phase name to its share of the op's mean time; what the shares
 * leave over is the unattributed rest.
 */
export function breakdown(totalMeanNs: number, phases: Record<string, number>, ops = 2000): Breakdown {
  const list = Object.entries(phases).map(([name, share]) => ({
    name,
    meanNs: totalMeanNs * share,
    medianNs: totalMeanNs * share * 0.94,
    share,
    count: ops,
  }))
  const restShare = Math.max(0, 1 - list.reduce((sum, p) => sum + p.share, 0))
  return { ops, totalMeanNs, totalMedianNs: totalMeanNs * 0.95, phases: list, restMeanNs: totalMeanNs * restShare, restShare }
}

interface VariantCommon {
  name: string
  isBaseline?: boolean
  flags?: Flag[]
  process?: ProcessStats
  counters?: Record<string, number>
}

export interface CompletedVariantOptions extends VariantCommon {
  medianNs: number
  spread?: number
  roundCount?: number
  batch?: number
  bytesPerOp?: number
  breakdown?: Breakdown
  /** Seed of the round noise. @default derived from the name, so the same name gives the same rounds */
  seed?: number
}

export function completedVariant(options: CompletedVariantOptions): VariantCompleted {
  const batch = options.batch ?? 1
  const list = rounds({
    count: options.roundCount,
    medianNs: options.medianNs,
    spread: options.spread,
    batch,
    seed: options.seed ?? seedOf(options.name),
  })
  return {
    name: options.name,
    isBaseline: options.isBaseline ?? false,
    state: 'completed',
    rounds: list,
    flags: options.flags ?? [],
    process: options.process ?? processStats(90_000_000 + options.medianNs * 50),
    ...(options.counters ? { counters: options.counters } : {}),
    stats: statsFromRounds(list, batch),
    ...(options.bytesPerOp === undefined ? {} : { memory: memoryStats(options.bytesPerOp) }),
    ...(options.breakdown ? { breakdown: options.breakdown } : {}),
  }
}

export interface FailedVariantOptions extends VariantCommon {
  /** Where it failed. @default 'round' */
  phase?: string
  /** Rounds it completed before failing (their typical median). */
  partialRounds?: { count: number; medianNs: number }
}

function partial(options: FailedVariantOptions): RoundSummary[] {
  if (!options.partialRounds) return []
  return rounds({ ...options.partialRounds, seed: seedOf(options.name) })
}

export function erroredVariant(options: FailedVariantOptions & { error: ErrorInfo | string }): VariantErrored {
  return {
    name: options.name,
    isBaseline: options.isBaseline ?? false,
    state: 'errored',
    rounds: partial(options),
    flags: options.flags ?? [],
    ...(options.process ? { process: options.process } : {}),
    error: typeof options.error === 'string' ? { message: options.error } : options.error,
    phase: options.phase ?? 'round',
  }
}

export function timedOutVariant(options: FailedVariantOptions & { timeoutMs?: number }): VariantTimedOut {
  return {
    name: options.name,
    isBaseline: options.isBaseline ?? false,
    state: 'timeout',
    rounds: partial(options),
    flags: options.flags ?? [],
    ...(options.process ? { process: options.process } : {}),
    timeoutMs: options.timeoutMs ?? 60_000,
    phase: options.phase ?? 'round',
  }
}

export function interruptedVariant(options: FailedVariantOptions): VariantInterrupted {
  return {
    name: options.name,
    isBaseline: options.isBaseline ?? false,
    state: 'interrupted',
    rounds: partial(options),
    flags: options.flags ?? [],
  }
}

export interface CompareSettings {
  minEffect: number
  alpha: number
  level: number
}

/**
 * The comparison of two completed variants from their paired rounds, made by perfkit's own
 * statistics (cli/stats/compare.ts: per-process when the rounds carry processes), so a synthetic
 * result can never hold a verdict the engine would not give.
 */
export function compare(variant: VariantCompleted, baseline: VariantCompleted, settings: CompareSettings): Comparison {
  const core = comparePairs(
    variant.rounds.map((r) => r.medianNs),
    baseline.rounds.map((r) => r.medianNs),
    settings,
    variant.rounds.map((r) => r.process ?? 0),
  )
  return { variant: variant.name, baseline: baseline.name, ...core }
}

/** The comparison of paired per-round figures (variant's and baseline's, index by index). */
export function comparePairs(
  variantRounds: number[],
  baselineRounds: number[],
  settings: CompareSettings,
  processes?: number[],
): Omit<Comparison, 'variant' | 'baseline'> {
  const n = Math.min(variantRounds.length, baselineRounds.length)
  return compareClustered(baselineRounds.slice(0, n), variantRounds.slice(0, n), (processes ?? []).slice(0, n).concat(Array(n).fill(0)).slice(0, n), {
    minEffect: settings.minEffect,
    alpha: settings.alpha,
    seed: 1,
    resamples: 500,
  })
}

export interface MicroScenarioOptions {
  name: string
  title?: string
  source?: string
  description?: string
  file?: string
  /** @default the first variant's name */
  baseline?: string
  params?: Record<string, ParamValue>
  state?: ScenarioState
  error?: ErrorInfo
  variants: VariantResult[]
  warnings?: string[]
  budgets?: BudgetResult[]
  claims?: ClaimResult[]
  minEffect?: number
  alpha?: number
  startedAt?: string
  durationMs?: number
}

/** A micro scenario; comparisons are derived for every completed variant when the baseline completed. */
export function microScenario(options: MicroScenarioOptions): MicroScenarioResult {
  const baselineName = options.baseline ?? options.variants[0]?.name ?? 'baseline'
  const variants = options.variants.map((v) => ({ ...v, isBaseline: v.name === baselineName }))
  const minEffect = options.minEffect ?? 0.05
  const alpha = options.alpha ?? 0.01
  const settings = { minEffect, alpha, level: 1 - alpha }
  const baseline = variants.find((v) => v.name === baselineName)
  const comparisons: Comparison[] = []
  if (baseline?.state === 'completed') {
    for (const v of variants) {
      if (v.state === 'completed' && v !== baseline) comparisons.push(compare(v, baseline, settings))
    }
  }
  const params = options.params ?? {}
  const paramText = Object.entries(params).map(([k, v]) => `${k}=${v}`).join(',')
  return {
    kind: 'micro',
    id: paramText ? `${options.name}[${paramText}]` : options.name,
    name: options.name,
    title: options.title ?? options.name,
    ...(options.source ? { source: options.source } : {}),
    ...(options.description ? { description: options.description } : {}),
    file: options.file ?? `scenarios/${options.name}.bench.ts`,
    baseline: baselineName,
    params,
    state: options.state ?? 'completed',
    ...(options.error ? { error: options.error } : {}),
    startedAt: options.startedAt ?? '2025-03-04T12:00:01.000Z',
    durationMs: options.durationMs ?? 8_200,
    warnings: options.warnings ?? [],
    budgets: options.budgets ?? [],
    claims: options.claims ?? [],
    settings: { roundMs: 200, minEffect, alpha, resamples: 2000, level: 1 - alpha },
    variants,
    comparisons,
  }
}

export function runResult(scenarios: ScenarioResult[], overrides: { run?: Partial<RunInfo>; environment?: Partial<Environment> } = {}): RunResult {
  return {
    schema: RESULT_SCHEMA,
    perfkit: '0.1.0',
    run: runInfo(overrides.run),
    environment: environment(overrides.environment),
    scenarios,
  }
}

export function budget(expression: string, fields: Omit<BudgetResult, 'expression' | 'origin'> & { origin?: BudgetResult['origin'] }): BudgetResult {
  return { expression, origin: fields.origin ?? 'scenario', ...fields }
}

/** A use-case broker against a direct repository call (seed 000), with an errored variant and a breakdown. */
export function brokerScenario(): MicroScenarioResult {
  return microScenario({
    name: 'broker-vs-direct',
    title: 'Use-case broker vs direct repository call',
    source: 'seed 000',
    description: 'Creates one activity row per op, either straight through the repository or through the broker (transaction, timeout wrapper, map-based chaining, logging).',
    params: { backend: 'pglite' },
    baseline: 'direct',
    variants: [
      completedVariant({ name: 'broker', medianNs: 171_000, bytesPerOp: 2_610, process: processStats(148_000_000, 31, 24.8),
        breakdown: breakdown(168_000, { 'tx.begin': 0.18, 'use-case': 0.52, 'result.chain': 0.04, logging: 0.07, 'tx.commit': 0.12 }) }),
      completedVariant({ name: 'direct', medianNs: 152_000, bytesPerOp: 1_180, process: processStats(131_000_000, 22, 15.1),
        breakdown: breakdown(150_000, { 'tx.begin': 0.2, 'use-case': 0.61, 'tx.commit': 0.13 }) }),
      completedVariant({ name: 'broker-no-timeout', medianNs: 158_500, bytesPerOp: 2_050, spread: 0.05 }),
      erroredVariant({ name: 'broker-typed-input', phase: 'round 4', partialRounds: { count: 3, medianNs: 160_000 },
        error: 'connection terminated unexpectedly (PGlite worker exited with code 1)' }),
    ],
    warnings: ['broker-no-timeout: spread is wide (cv 5.1%); the interval is wider than it would be on a quiet machine'],
    claims: [
      { text: 'A request through the broker costs about 160 µs', published: '~160 µs/op', check: 'broker: median <= 200us', measured: 171_000, measuredText: '171 µs', holds: true },
      { text: 'Broker overhead is < 1 % of request time', published: '< 1 %', check: 'broker: ratio <= 1.01', measured: 1.151, measuredText: '1.15×', holds: false },
      { text: 'About 2.5 KB and 30 allocations per op', published: '2.5 KB, 30 allocs/op', measured: 2_610, measuredText: '2.61 kB/op', holds: null },
    ],
    budgets: [
      budget('broker: ratio <= 1.20', { variant: 'broker', metric: 'ratio', state: 'pass', measured: 1.151, measuredText: '1.15' }),
      budget('broker: p99 < 2ms', { variant: 'broker', metric: 'p99', state: 'pass', measured: 310_000, measuredText: '0.31ms' }),
      budget('*: bytesPerOp <= 2kB', { origin: 'config', variant: 'broker', metric: 'bytesPerOp', state: 'fail', measured: 2_610, measuredText: '2.61kB', message: 'broker allocates 2.61 kB per op, over the 2 kB budget' }),
      budget('broker-typed-input: ratio <= 1.05', { variant: 'broker-typed-input', metric: 'ratio', state: 'missing', measuredText: '—', message: 'broker-typed-input errored, so it has no ratio' }),
    ],
  })
}

/** Plain vs facade vs decorated services with a cache (seed 001). */
export function servicesScenario(): MicroScenarioResult {
  return microScenario({
    name: 'services-layering',
    title: 'Plain service vs facade vs decorated service',
    source: 'seed 001',
    params: { cache: 'redis', hitRate: 0.9 },
    baseline: 'plain',
    variants: [
      completedVariant({ name: 'plain', medianNs: 2_150, batch: 64, bytesPerOp: 312 }),
      completedVariant({ name: 'facade', medianNs: 2_170, batch: 64, bytesPerOp: 344, spread: 0.012 }),
      completedVariant({ name: 'decorated', medianNs: 3_420, batch: 32, bytesPerOp: 968,
        breakdown: breakdown(3_380, { 'decorator.logging': 0.21, 'decorator.cache': 0.17, service: 0.49 }) }),
      completedVariant({ name: 'decorated-cached', medianNs: 1_240, batch: 64, bytesPerOp: 420, counters: { hits: 18_421, misses: 2_047 } }),
    ],
    claims: [
      { text: 'Decorators add under 60 % to a call', published: '+55 %', check: 'decorated: ratio <= 1.6', measured: 1.59, measuredText: '1.59×', holds: true },
    ],
    budgets: [
      budget('decorated: ratio <= 1.75', { variant: 'decorated', metric: 'ratio', state: 'pass', measured: 1.59, measuredText: '1.59' }),
    ],
  })
}

/** Appends to an event store of a million events (seed 002), with a variant that timed out. */
export function eventStoreScenario(): MicroScenarioResult {
  return microScenario({
    name: 'eventstore-append',
    title: 'Event store: append with optimistic locking',
    source: 'seed 002',
    params: { backend: 'pglite', events: 1_000_000, gin: true },
    baseline: 'single-append',
    variants: [
      completedVariant({ name: 'single-append', medianNs: 2_550_000, roundCount: 10, bytesPerOp: 18_400, process: processStats(412_000_000, 96, 181) }),
      completedVariant({ name: 'multi-append', medianNs: 2_630_000, roundCount: 10, spread: 0.09, bytesPerOp: 22_100, process: processStats(436_000_000, 104, 196),
        flags: [{ code: 'high-variance', message: 'round medians vary by 9% (cv); consider a longer --time' }] }),
      timedOutVariant({ name: 'append-cte', phase: 'round 6', timeoutMs: 60_000, partialRounds: { count: 5, medianNs: 3_900_000 } }),
    ],
    warnings: ['multi-append: the interval straddles the ±5% band; run longer to decide'],
    claims: [
      { text: 'Append takes 2.55 ms with 1 M events', published: '2.55 ms', check: 'single-append: median <= 3ms', measured: 2_550_000, measuredText: '2.55 ms', holds: true },
    ],
    budgets: [
      budget('append-cte: p99 < 10ms', { variant: 'append-cte', metric: 'p99', state: 'missing', measuredText: '—', message: 'append-cte timed out, so it has no p99' }),
    ],
  })
}

/** A realistic run: three scenarios, several variants, an errored and a timed-out variant, breakdowns, claims, budgets. */
export function syntheticRun(overrides: { run?: Partial<RunInfo>; environment?: Partial<Environment> } = {}): RunResult {
  return runResult([brokerScenario(), servicesScenario(), eventStoreScenario()], {
    ...overrides,
    environment: {
      noise: ['load average 1.92 on 2 CPUs: the machine was busy; timings may be noisy'],
      ...overrides.environment,
    },
  })
}

/** `count` scenarios cycling through the three realistic ones, each with a distinct id. */
export function manyScenarioRun(count: number): RunResult {
  const makers = [brokerScenario, servicesScenario, eventStoreScenario]
  const scenarios = Array.from({ length: count }, (_, i) => {
    const scenario = makers[i % makers.length]()
    return { ...scenario, id: `${scenario.id}#${i + 1}` }
  })
  return runResult(scenarios)
}

/** Strings that try to escape HTML text, attributes, `<script>` elements, Markdown and XML. */
export const HOSTILE = {
  scenarioName: '<img src=x onerror=alert(1)>',
  errorMessage: '</script><script>alert(2)</script>',
  variantName: 'x</script><script>alert(3)</script>',
  paramValue: `he said "hi" & 'bye' <b>`,
  lineSeparators: 'line\u2028separator\u2029paragraph',
} as const

/** A run whose scenario name, variant names, error, parameter, claims and budgets carry {@link HOSTILE} strings. */
export function hostileRun(): RunResult {
  const scenario = microScenario({
    name: HOSTILE.scenarioName,
    title: HOSTILE.scenarioName,
    description: HOSTILE.lineSeparators,
    params: { quote: HOSTILE.paramValue },
    baseline: 'base',
    variants: [
      completedVariant({ name: 'base', medianNs: 1_000, bytesPerOp: 100,
        breakdown: breakdown(1_000, { [HOSTILE.scenarioName]: 0.5 }) }),
      completedVariant({ name: HOSTILE.variantName, medianNs: 1_300, bytesPerOp: 120,
        flags: [{ code: 'high-variance', message: HOSTILE.errorMessage }], counters: { [HOSTILE.paramValue]: 1 } }),
      erroredVariant({ name: 'broken', error: HOSTILE.errorMessage, phase: HOSTILE.paramValue }),
    ],
    warnings: [HOSTILE.errorMessage],
    claims: [{ text: HOSTILE.scenarioName, published: HOSTILE.paramValue, measuredText: HOSTILE.errorMessage, holds: null }],
    budgets: [budget(HOSTILE.paramValue, { variant: HOSTILE.variantName, metric: 'ratio', state: 'fail', measuredText: HOSTILE.errorMessage, message: HOSTILE.scenarioName })],
  })
  return runResult([scenario], { run: { id: HOSTILE.paramValue }, environment: { noise: [HOSTILE.scenarioName], hostname: HOSTILE.errorMessage } })
}

/**
 * A run that is still `running` (no finish time) and holds every awkward case: a scenario in which no
 * variant completed, one whose baseline failed, a skipped one, an errored one without variants, an
 * interrupted one, and every variant state.
 */
export function edgeCaseRun(): RunResult {
  return runResult(
    [
      microScenario({
        name: 'nothing-completed',
        baseline: 'base',
        variants: [
          erroredVariant({ name: 'base', error: { message: 'relation "activity" does not exist', stack: 'Error: relation "activity" does not exist\n    at setup (scenarios/x.bench.ts:12:5)' }, phase: 'round 3', partialRounds: { count: 2, medianNs: 40_000 } }),
          timedOutVariant({ name: 'slow', phase: 'setup', timeoutMs: 30_000 }),
          interruptedVariant({ name: 'stopped', partialRounds: { count: 1, medianNs: 55_000 } }),
        ],
      }),
      microScenario({
        name: 'baseline-failed',
        baseline: 'base',
        variants: [
          erroredVariant({ name: 'base', error: 'ECONNREFUSED 127.0.0.1:5432', phase: 'setup' }),
          completedVariant({ name: 'other', medianNs: 800 }),
          completedVariant({ name: 'another', medianNs: 950, bytesPerOp: 0 }),
        ],
      }),
      microScenario({ name: 'skipped-one', state: 'skipped', error: { message: 'PERFKIT_PG_URL is not set' }, variants: [] }),
      microScenario({ name: 'crashed-one', state: 'errored', error: { message: 'scenario file threw while loading', stack: 'SyntaxError: Unexpected token' }, variants: [] }),
      microScenario({
        name: 'cut-short',
        state: 'interrupted',
        baseline: 'base',
        variants: [
          completedVariant({ name: 'base', medianNs: 12_000, roundCount: 1, breakdown: breakdown(12_000, {}) }),
          interruptedVariant({ name: 'candidate' }),
        ],
      }),
    ],
    { run: { state: 'running', finishedAt: undefined } },
  )
}

// ---------------------------------------------------------------------------------------------------
// Load and http scenarios: one result per case (a level of the sweep); reporters gather them by name.
// ---------------------------------------------------------------------------------------------------

/** Latency percentiles around a median, with a tail `tail` times the median at p99. */
export function latencyPercentiles(p50Ns: number, tail = 4, count = 100_000): LatencyPercentiles {
  return { count, meanNs: p50Ns * 1.3, p50Ns, p90Ns: p50Ns * (1 + (tail - 1) * 0.35), p99Ns: p50Ns * tail, p999Ns: p50Ns * tail * 2.2, maxNs: p50Ns * tail * 6 }
}

export interface LoadFiguresOptions {
  completedPerSec: number
  /** @default completedPerSec */
  offeredPerSec?: number
  p50Ns: number
  /** p99 ÷ p50. @default 4 */
  tail?: number
  peakRssBytes: number
  /** Event-loop delay p99. @default 12 ms */
  loopP99Ns?: number
  dropped?: number
  failed?: number
  /** Measured window, s: turns rates into counts and sizes the once-a-second series. @default 5 */
  seconds?: number
}

/** What a load cell measured over its window, with a once-a-second series. */
export function loadFigures(options: LoadFiguresOptions): LoadFigures {
  const seconds = options.seconds ?? 5
  const offered = options.offeredPerSec ?? options.completedPerSec
  const completed = Math.round(options.completedPerSec * seconds)
  const dropped = options.dropped ?? 0
  const failed = options.failed ?? 0
  const loopP99Ns = options.loopP99Ns ?? 12_000_000
  return {
    emitted: Math.round(offered * seconds),
    completed,
    dropped,
    failed,
    offeredPerSec: offered,
    completedPerSec: options.completedPerSec,
    latency: latencyPercentiles(options.p50Ns, options.tail ?? 4, completed),
    eventLoopDelay: { p50Ns: loopP99Ns * 0.18, p99Ns: loopP99Ns, maxNs: loopP99Ns * 2.5, meanNs: loopP99Ns * 0.25 },
    peakRssBytes: options.peakRssBytes,
    peakHeapBytes: options.peakRssBytes * 0.62,
    gc: { count: Math.round(12 + options.peakRssBytes / 20e6), totalMs: 8 + options.peakRssBytes / 4e6 },
    series: Array.from({ length: seconds }, (_, i) => ({
      tMs: (i + 1) * 1000,
      completed: Math.round((completed * (i + 1)) / seconds),
      rssBytes: options.peakRssBytes * (0.55 + (0.45 * (i + 1)) / seconds),
      heapBytes: options.peakRssBytes * 0.62 * (0.5 + (0.5 * (i + 1)) / seconds),
      queued: Math.round((offered - options.completedPerSec) * (i + 1)),
    })),
  }
}

type LoadCellCommon = { name: string; level: number; isBaseline?: boolean; flags?: Flag[]; counters?: Record<string, number>; figures?: LoadFigures }

/** One variant at one level of a load sweep, in any of its states. */
export const loadCell = {
  completed: (o: LoadCellCommon & { figures: LoadFigures }): LoadVariantResult => ({ ...loadBase(o), state: 'completed', figures: o.figures }),
  oom: (o: LoadCellCommon & { afterMs: number; maxMemoryMB?: number }): LoadVariantResult => ({ ...loadBase(o), state: 'oom', afterMs: o.afterMs, ...(o.maxMemoryMB ? { maxMemoryMB: o.maxMemoryMB } : {}) }),
  timeout: (o: LoadCellCommon & { timeoutMs: number; phase?: string }): LoadVariantResult => ({ ...loadBase(o), state: 'timeout', timeoutMs: o.timeoutMs, phase: o.phase ?? 'measured window' }),
  errored: (o: LoadCellCommon & { error: string | ErrorInfo; phase?: string }): LoadVariantResult => ({ ...loadBase(o), state: 'errored', error: typeof o.error === 'string' ? { message: o.error } : o.error, phase: o.phase ?? 'measured window' }),
  skipped: (o: LoadCellCommon & { reason: string }): LoadVariantResult => ({ ...loadBase(o), state: 'skipped', reason: o.reason }),
  interrupted: (o: LoadCellCommon): LoadVariantResult => ({ ...loadBase(o), state: 'interrupted' }),
}

function loadBase(o: LoadCellCommon) {
  return { name: o.name, isBaseline: o.isBaseline ?? false, level: o.level, rounds: [] as never[], flags: o.flags ?? [], ...(o.counters ? { counters: o.counters } : {}), ...(o.figures ? { figures: o.figures } : {}) }
}

export interface SweepCaseOptions<V> {
  name: string
  title?: string
  source?: string
  description?: string
  baseline: string
  /** The swept parameter. @default 'concurrency' (load), 'connections' (http) */
  levelName?: string
  level: number
  /** Parameters besides the swept one. */
  params?: Record<string, ParamValue>
  state?: ScenarioState
  error?: ErrorInfo
  variants: V[]
  warnings?: string[]
  budgets?: BudgetResult[]
  claims?: ClaimResult[]
  durationMs?: number
}

function sweepCommon<V extends { name: string }>(options: SweepCaseOptions<V>, levelName: string) {
  const params: Record<string, ParamValue> = { ...options.params, [levelName]: options.level }
  const paramText = Object.entries(params).map(([k, v]) => `${k}=${v}`).join(',')
  return {
    id: `${options.name}[${paramText}]`,
    name: options.name,
    title: options.title ?? options.name,
    ...(options.source ? { source: options.source } : {}),
    ...(options.description ? { description: options.description } : {}),
    file: `scenarios/${options.name}.bench.ts`,
    baseline: options.baseline,
    params,
    state: options.state ?? 'completed',
    ...(options.error ? { error: options.error } : {}),
    startedAt: '2025-03-04T12:01:00.000Z',
    durationMs: options.durationMs ?? 24_000,
    warnings: options.warnings ?? [],
    budgets: options.budgets ?? [],
    claims: options.claims ?? [],
    level: { name: levelName, value: options.level },
  }
}

/** One case (level) of a load sweep. */
export function loadCase(options: SweepCaseOptions<LoadVariantResult> & { durationMsPerVariant?: number; maxMemoryMB?: number }): LoadScenarioResult {
  const levelName = options.levelName ?? 'concurrency'
  return {
    kind: 'load',
    ...sweepCommon(options, levelName),
    settings: { durationMs: options.durationMsPerVariant ?? 5000, warmupMs: 1000, ...(options.maxMemoryMB ? { maxMemoryMB: options.maxMemoryMB } : {}) },
    variants: options.variants.map((v) => ({ ...v, isBaseline: v.name === options.baseline, level: options.level })),
    comparisons: [],
  }
}

/**
 * The seed-003 event bus swept from 10 to 10 000 concurrent producers: unbounded async dispatch runs out
 * of memory at 10 000, the thread pool times out there, NATS is skipped (not reachable), Redis errors
 * once; the bounded pool drops events under backpressure.
 */
export function eventBusSweep(): LoadScenarioResult[] {
  const levels = [10, 100, 1_000, 10_000]
  const scale = (level: number) => Math.log10(level) // 1 … 4
  return levels.map((level) => {
    const s = scale(level)
    const variants: LoadVariantResult[] = [
      level < 10_000
        ? loadCell.completed({ name: 'unbounded', level, figures: loadFigures({ completedPerSec: 95_000 / s ** 1.6, offeredPerSec: 98_000 / s ** 1.2, p50Ns: 180_000 * s ** 3, tail: 3 + s, peakRssBytes: 70e6 * s ** 2.6, loopP99Ns: 4e6 * s ** 2.2 }) })
        : loadCell.oom({ name: 'unbounded', level, afterMs: 4_210, maxMemoryMB: 512, figures: loadFigures({ completedPerSec: 2_100, offeredPerSec: 60_000, p50Ns: 2.4e9, tail: 2, peakRssBytes: 548e6, loopP99Ns: 1.9e9, seconds: 4 }) }),
      loadCell.completed({ name: 'pooled', level, figures: loadFigures({ completedPerSec: 72_000 - 2_000 * s, offeredPerSec: 72_000 - 2_000 * s + (level >= 1_000 ? 1_500 * s : 0), p50Ns: 210_000 * (1 + s / 4), tail: 3, peakRssBytes: 61e6 + 4e6 * s, loopP99Ns: 3.1e6 + 0.4e6 * s, dropped: level >= 1_000 ? 7_500 * s : 0 }), counters: { rejected: level >= 1_000 ? 7_500 * s : 0 } }),
      level < 10_000
        ? loadCell.completed({ name: 'thread-pool', level, figures: loadFigures({ completedPerSec: 41_000 - 3_000 * s, p50Ns: 900_000 * s, tail: 5, peakRssBytes: 118e6 + 22e6 * s, loopP99Ns: 2.2e6 }) })
        : loadCell.timeout({ name: 'thread-pool', level, timeoutMs: 20_000, phase: 'draining the queue' }),
      level === 1_000
        ? loadCell.errored({ name: 'redis-streams', level, error: 'XADD: OOM command not allowed when used memory > maxmemory', phase: 'measured window', figures: loadFigures({ completedPerSec: 8_400, p50Ns: 3.1e6, peakRssBytes: 88e6, seconds: 2 }) })
        : loadCell.completed({ name: 'redis-streams', level, figures: loadFigures({ completedPerSec: 11_000 - 400 * s, p50Ns: 2.2e6 * s, tail: 6, peakRssBytes: 80e6 + 3e6 * s, loopP99Ns: 1.6e6 }) }),
      loadCell.skipped({ name: 'nats-jetstream', level, reason: 'NATS is not reachable at 127.0.0.1:4222 (set PERFKIT_NATS_URL)' }),
    ]
    return loadCase({
      name: 'eventbus-sweep',
      title: 'Event bus: unbounded dispatch vs bounded worker pool vs external queues',
      source: 'seed 003',
      description: 'Producers emit events as fast as they can; each event runs three handlers. The sweep raises the number of concurrent producers until a variant falls over.',
      baseline: 'unbounded',
      level,
      params: { handlers: 3 },
      maxMemoryMB: 512,
      variants,
      warnings: level === 10_000 ? ['unbounded: ran out of its 512 MB heap after 4.21 s; the figures shown are the last before it died'] : [],
      budgets: [budget('pooled: p99 < 5ms', { variant: 'pooled', metric: 'p99', state: level < 10_000 ? 'pass' : 'fail', measured: 630_000 * (1 + s / 4), measuredText: `${(0.63 * (1 + s / 4)).toFixed(2)}ms` })],
      claims: level === 10_000
        ? [{ text: 'Throughput falls and memory explodes at 10 k users (unbounded)', published: '10 k users', check: 'unbounded: peakRss < 500MB', measured: 548e6, measuredText: '548 MB', holds: false }]
        : [],
    })
  })
}

/** Per-round windows of an http variant around `requestsPerSec`. */
export function httpRounds(requestsPerSec: number, p50Ns: number, count = 8, seed = seedOf(String(requestsPerSec))): HttpRound[] {
  const random = seededRandom(seed)
  return Array.from({ length: count }, (_, index) => {
    const rps = requestsPerSec * (1 + 0.025 * gaussian(random))
    return { index, position: index % 2, durationMs: 2000, requests: Math.round(rps * 2), requestsPerSec: rps, latency: latencyPercentiles(p50Ns * (1 + 0.03 * gaussian(random)), 3.5, Math.round(rps * 2)), errors: 0, timeouts: 0, non2xx: 0 }
  })
}

export function httpStatsFromRounds(list: HttpRound[], extra: Partial<Pick<HttpStats, 'errors' | 'timeouts' | 'non2xx'>> = {}): HttpStats {
  const rps = list.map((r) => r.requestsPerSec)
  const p50 = median(list.map((r) => r.latency.p50Ns))
  return {
    requestsPerSec: median(rps),
    cv: standardDeviation(rps) / mean(rps),
    requests: list.reduce((sum, r) => sum + r.requests, 0),
    latency: latencyPercentiles(p50, 3.5, list.reduce((sum, r) => sum + r.requests, 0)),
    errors: extra.errors ?? 0,
    timeouts: extra.timeouts ?? 0,
    non2xx: extra.non2xx ?? 0,
    rounds: list.length,
  }
}

type HttpCellCommon = { name: string; isBaseline?: boolean; flags?: Flag[]; process?: ProcessStats; counters?: Record<string, number> }

export const httpCell = {
  completed: (o: HttpCellCommon & { requestsPerSec: number; p50Ns: number; breakdown?: Breakdown; errors?: number }): HttpVariantResult => {
    const list = httpRounds(o.requestsPerSec, o.p50Ns, 8, seedOf(o.name + o.requestsPerSec))
    return { ...httpBase(o), rounds: list, state: 'completed', stats: httpStatsFromRounds(list, { errors: o.errors ?? 0 }), ...(o.breakdown ? { breakdown: o.breakdown } : {}) }
  },
  errored: (o: HttpCellCommon & { error: string | ErrorInfo; phase?: string; partial?: { requestsPerSec: number; p50Ns: number; rounds: number } }): HttpVariantResult => {
    const list = o.partial ? httpRounds(o.partial.requestsPerSec, o.partial.p50Ns, o.partial.rounds, seedOf(o.name)) : []
    return { ...httpBase(o), rounds: list, state: 'errored', error: typeof o.error === 'string' ? { message: o.error } : o.error, phase: o.phase ?? 'round 3', ...(list.length ? { stats: httpStatsFromRounds(list) } : {}) }
  },
  timeout: (o: HttpCellCommon & { timeoutMs: number; phase?: string }): HttpVariantResult => ({ ...httpBase(o), rounds: [], state: 'timeout', timeoutMs: o.timeoutMs, phase: o.phase ?? 'server start' }),
  interrupted: (o: HttpCellCommon): HttpVariantResult => ({ ...httpBase(o), rounds: [], state: 'interrupted' }),
}

function httpBase(o: HttpCellCommon) {
  return { name: o.name, isBaseline: o.isBaseline ?? false, flags: o.flags ?? [], process: o.process ?? processStats(82_000_000), ...(o.counters ? { counters: o.counters } : {}) }
}

/** Paired comparison on time per request (1 / requests per second) of every completed variant with the baseline. */
function httpComparisons(variants: HttpVariantResult[], baselineName: string, settings: CompareSettings): Comparison[] {
  const baseline = variants.find((v) => v.name === baselineName)
  if (baseline?.state !== 'completed') return []
  const perRequest = (v: HttpVariantResult) => v.rounds.map((r) => 1e9 / r.requestsPerSec)
  return variants
    .filter((v) => v !== baseline && v.state === 'completed')
    .map((v) => ({ variant: v.name, baseline: baselineName, ...comparePairs(perRequest(v), perRequest(baseline), settings) }))
}

/** One case (level) of an http sweep; comparisons derived from the rounds. */
export function httpCase(options: SweepCaseOptions<HttpVariantResult> & { request?: HttpScenarioResult['request'] }): HttpScenarioResult {
  const levelName = options.levelName ?? 'connections'
  const minEffect = 0.05
  const alpha = 0.01
  const variants = options.variants.map((v) => ({ ...v, isBaseline: v.name === options.baseline }))
  return {
    kind: 'http',
    ...sweepCommon(options, levelName),
    request: options.request ?? { method: 'GET', path: '/users/42', bodyBytes: 0 },
    settings: { roundMs: 2000, warmupMs: 1000, minEffect, alpha, resamples: 2000, level: 1 - alpha },
    variants,
    comparisons: httpComparisons(variants, options.baseline, { minEffect, alpha, level: 1 - alpha }),
  }
}

/** Raw HTTP against the layered app of seed 001 at 10, 50 and 100 connections. */
export function httpSweep(): HttpScenarioResult[] {
  return [10, 50, 100].map((connections) => {
    const load = connections / 10
    const variants: HttpVariantResult[] = [
      httpCell.completed({ name: 'raw', requestsPerSec: 24_000 - 300 * load, p50Ns: 380_000 * (1 + load / 3), process: processStats(71e6 + 1e6 * load, 40, 31) }),
      httpCell.completed({ name: 'layered', requestsPerSec: 17_500 - 350 * load, p50Ns: 540_000 * (1 + load / 3), process: processStats(96e6 + 2e6 * load, 64, 58),
        breakdown: breakdown(410_000 * (1 + load / 10), { 'http.parse': 0.12, 'facade': 0.05, 'decorator.logging': 0.16, 'decorator.cache': 0.09, 'repository.query': 0.41 }) }),
      connections === 100
        ? httpCell.errored({ name: 'layered-cached', error: 'ECONNRESET: the server closed 312 connections (socket hang up)', phase: 'round 3', partial: { requestsPerSec: 21_000, p50Ns: 700_000, rounds: 2 } })
        : httpCell.completed({ name: 'layered-cached', requestsPerSec: 22_800 - 250 * load, p50Ns: 400_000 * (1 + load / 3), process: processStats(104e6 + 2e6 * load, 52, 41),
            breakdown: breakdown(300_000, { 'http.parse': 0.16, 'decorator.cache': 0.3, 'decorator.logging': 0.22 }) }),
    ]
    return httpCase({
      name: 'raw-vs-layered-http',
      title: 'Raw HTTP handler vs the layered service app',
      source: 'seed 001',
      baseline: 'raw',
      level: connections,
      params: { backend: 'pglite' },
      variants,
      claims: connections === 100 ? [{ text: 'The layered app serves ~70 % of raw throughput', published: '70 %', check: 'layered: throughputRatio >= 0.6', measured: 0.72, measuredText: '0.72×', holds: true }] : [],
      budgets: [budget('layered: ratio <= 1.6', { variant: 'layered', metric: 'ratio', state: 'pass', measured: 1.37, measuredText: '1.37' })],
    })
  })
}

/** A run with a micro scenario, a load sweep and an http sweep. */
export function mixedRun(): RunResult {
  return runResult([brokerScenario(), ...eventBusSweep(), ...httpSweep()], {
    environment: { noise: ['load average 1.92 on 2 CPUs: the machine was busy; timings may be noisy'] },
  })
}

/** Load and http sweeps whose names, variants, errors and parameters carry {@link HOSTILE} strings, in every state. */
export function hostileSweepRun(): RunResult {
  const load = [10, 100].map((level) =>
    loadCase({
      name: HOSTILE.scenarioName,
      title: HOSTILE.scenarioName,
      baseline: HOSTILE.variantName,
      level,
      params: { quote: HOSTILE.paramValue },
      variants: [
        loadCell.completed({ name: HOSTILE.variantName, level, figures: loadFigures({ completedPerSec: 5000 / level, p50Ns: 1e5 * level, peakRssBytes: 5e7 * level }), counters: { [HOSTILE.paramValue]: 3 } }),
        level === 10 ? loadCell.completed({ name: 'ok', level, figures: loadFigures({ completedPerSec: 900, p50Ns: 2.5e6, peakRssBytes: 2e8, loopP99Ns: 3e6 }) }) : loadCell.oom({ name: 'ok', level, afterMs: 1200 }),
        loadCell.errored({ name: 'broken', level, error: HOSTILE.errorMessage, phase: HOSTILE.paramValue }),
        loadCell.skipped({ name: 'absent', level, reason: HOSTILE.errorMessage }),
        loadCell.timeout({ name: 'slow', level, timeoutMs: 1000, phase: HOSTILE.scenarioName }),
        loadCell.interrupted({ name: 'stopped', level }),
      ],
      warnings: [HOSTILE.errorMessage],
      claims: [{ text: HOSTILE.scenarioName, published: HOSTILE.paramValue, measuredText: HOSTILE.errorMessage, holds: null }],
      budgets: [budget(HOSTILE.paramValue, { variant: HOSTILE.variantName, metric: 'p99', state: 'fail', measuredText: HOSTILE.errorMessage, message: HOSTILE.scenarioName })],
    }),
  )
  const http = [5, 20].map((level) =>
    httpCase({
      name: `${HOSTILE.scenarioName}-http`,
      title: HOSTILE.errorMessage,
      baseline: 'base',
      level,
      request: { method: 'POST', path: HOSTILE.scenarioName, bodyBytes: 12 },
      variants: [
        httpCell.completed({ name: 'base', requestsPerSec: 9000, p50Ns: 3e5 }),
        httpCell.completed({ name: HOSTILE.variantName, requestsPerSec: 7000, p50Ns: 4e5, process: processStats(120e6), breakdown: breakdown(3e5, { [HOSTILE.scenarioName]: 0.4 }) }),
        httpCell.errored({ name: 'broken', error: HOSTILE.errorMessage }),
        httpCell.timeout({ name: 'slow', timeoutMs: 5000 }),
        httpCell.interrupted({ name: 'stopped' }),
      ],
    }),
  )
  return runResult([...load, ...http], { run: { id: HOSTILE.paramValue } })
}

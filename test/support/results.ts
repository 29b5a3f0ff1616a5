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
  type LatencyStats,
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
    opsPerSec: 1e9 / meanNs,
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
}

export function completedVariant(options: CompletedVariantOptions): VariantCompleted {
  const batch = options.batch ?? 1
  const list = rounds({
    count: options.roundCount,
    medianNs: options.medianNs,
    spread: options.spread,
    batch,
    seed: seedOf(options.name),
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
 * A plausible comparison of two completed variants from their paired rounds: the median log-ratio, a
 * normal-approximation interval and p-value, and the four-outcome verdict rule of DESIGN.md.
 */
export function compare(variant: VariantCompleted, baseline: VariantCompleted, settings: CompareSettings): Comparison {
  const n = Math.min(variant.rounds.length, baseline.rounds.length)
  const logs = Array.from({ length: n }, (_, i) => Math.log(variant.rounds[i].medianNs / baseline.rounds[i].medianNs))
  const centre = median(logs)
  const standardError = Math.max(standardDeviation(logs), 0.005) / Math.sqrt(Math.max(n, 1))
  const z = 2.576 // 99 %
  const ratio = { estimate: Math.exp(centre), low: Math.exp(centre - z * standardError), high: Math.exp(centre + z * standardError), level: settings.level }
  const t = Math.abs(mean(logs)) / standardError
  const pValue = Math.min(1, 2 * (1 - normalCdf(t)))
  return {
    variant: variant.name,
    baseline: baseline.name,
    ratio,
    pValue,
    test: 'wilcoxon-signed-rank',
    n,
    verdict: verdictFor(ratio, pValue, settings),
    minEffect: settings.minEffect,
    alpha: settings.alpha,
  }
}

function verdictFor(ratio: { low: number; high: number }, pValue: number, settings: CompareSettings): Verdict {
  const { minEffect, alpha } = settings
  if (ratio.low > 1 + minEffect && pValue < alpha) return 'slower'
  if (ratio.high < 1 - minEffect && pValue < alpha) return 'faster'
  if (ratio.low >= 1 - minEffect && ratio.high <= 1 + minEffect) return 'same'
  return 'inconclusive'
}

/** Abramowitz–Stegun 7.1.26 approximation of the standard normal CDF. */
function normalCdf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x / Math.SQRT2))
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
  const erf = 1 - poly * Math.exp(-((x / Math.SQRT2) ** 2))
  return 0.5 * (1 + Math.sign(x) * erf)
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

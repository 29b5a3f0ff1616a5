/**
 * The budget language: `<variant|*>: <metric> <op> <value>[unit]`, e.g.
 *
 *   broker: ratio <= 1.10        pooled: p99 < 5ms        unbounded: peakRss < 500MB
 *   *: bytesPerOp <= 2kB         event-store: counters.conflicts < 100
 *
 * Budgets are parsed when scenario files are validated (before anything runs) and evaluated on
 * every run; claims use the same expressions as their `check`.
 */
import type {
  AnyVariantResult,
  BudgetResult,
  Comparison,
  HttpScenarioResult,
  HttpVariantResult,
  LatencyPercentiles,
  LoadScenarioResult,
  LoadVariantResult,
  MicroScenarioResult,
  ScenarioKindName,
  ScenarioResult,
  VariantResult,
} from '../result/schema.ts'
import { formatBytes, formatCount, formatDuration, formatPercent, formatRate, formatRatio } from '../report/format.ts'
import { throughputRatio } from '../stats/compare.ts'
import { median } from '../stats/describe.ts'
import { roundRatios } from './rounds.ts'

export type Comparator = '<' | '<=' | '>' | '>='

/** What a metric measures; decides which units its value may carry and how it is printed. */
export type Dimension = 'time' | 'bytes' | 'ratio' | 'rate' | 'count' | 'fraction'

export interface Budget {
  /** The text as written. */
  expression: string
  /** A variant name, or `*` for every variant (the baseline is skipped for `ratio`). */
  target: string
  metric: string
  dimension: Dimension
  op: Comparator
  /** The threshold in the metric's base unit (ns, bytes, ratio, per second, count, fraction). */
  threshold: number
  /** The unit the user wrote, used to print the measured value the same way. */
  unit: string
}

/** A budget that does not parse; `column` is 1-based. */
export class BudgetSyntaxError extends Error {
  constructor(
    readonly expression: string,
    readonly column: number,
    readonly reason: string,
  ) {
    super(`${reason} at column ${column} of "${expression}"`)
    this.name = 'BudgetSyntaxError'
  }
}

/** Reads a metric from one variant of one scenario of a given kind; undefined when it was not measured. */
type Reader<S extends ScenarioResult> = (variant: S['variants'][number], scenario: S) => number | undefined

/**
 * A metric: its dimension, and how each scenario kind measures it. A kind without a reader does
 * not have the metric (a budget naming it on such a scenario is a usage error).
 */
interface MetricSpec {
  dimension: Dimension
  micro?: Reader<MicroScenarioResult>
  load?: Reader<LoadScenarioResult>
  http?: Reader<HttpScenarioResult>
  /**
   * The figure's confidence interval, for metrics estimated from a comparison (`ratio`,
   * `throughputRatio`, `delta`): a budget on them holds or fails only when the whole interval
   * decides it, otherwise it reads `can't tell`.
   */
  interval?: (variant: AnyVariantResult, scenario: ScenarioResult) => { low: number; high: number } | undefined
}

const microStats = (v: VariantResult) => (v.state === 'completed' ? v.stats : undefined)
const loadFigures = (v: LoadVariantResult) => (v.state === 'completed' ? v.figures : undefined)
const httpStats = (v: HttpVariantResult) => (v.state === 'completed' ? v.stats : undefined)

function comparisonOf(scenario: ScenarioResult, variant: string) {
  return scenario.comparisons.find((c) => c.variant === variant)
}

const ratioReader = (pick: (c: Comparison) => number) => (v: { name: string }, s: ScenarioResult) => {
  const c = comparisonOf(s, v.name)
  return c ? pick(c) : undefined
}

/** Latency percentiles of load and http scenarios, by the name a budget uses. */
const percentile = (key: keyof LatencyPercentiles) => ({
  load: (v: LoadVariantResult) => loadFigures(v)?.latency[key],
  http: (v: HttpVariantResult) => httpStats(v)?.latency[key],
})

/** Metrics, by the name users write. */
const METRICS: Record<string, MetricSpec> = {
  ratio: {
    dimension: 'ratio',
    micro: ratioReader((c) => c.ratio.estimate),
    http: ratioReader((c) => c.ratio.estimate),
    interval: (v, s) => comparisonOf(s, v.name)?.ratio,
  },
  'ratio.low': { dimension: 'ratio', micro: ratioReader((c) => c.ratio.low), http: ratioReader((c) => c.ratio.low) },
  'ratio.high': { dimension: 'ratio', micro: ratioReader((c) => c.ratio.high), http: ratioReader((c) => c.ratio.high) },
  /**
   * Like `ratio`, but each round summarised by its MEAN time per op instead of its median: the median,
   * over the rounds both ran, of variant mean ÷ baseline mean. For claims about averages — reads from
   * a cache at an 80 % hit rate, whose median op is simply a hit — where a median picks one mode of a mixture.
   */
  meanRatio: { dimension: 'ratio', micro: meanRatio },
  /** (ratio − 1) × the baseline's median: how much time the variant adds per op, from the paired estimate. */
  delta: {
    dimension: 'time',
    micro: (v, s) => {
      const comparison = comparisonOf(s, v.name)
      const baseMedian = baselineMedian(s)
      return comparison && baseMedian !== undefined ? (comparison.ratio.estimate - 1) * baseMedian : undefined
    },
    interval: (v, s) => {
      const comparison = comparisonOf(s, v.name)
      const baseMedian = s.kind === 'micro' ? baselineMedian(s) : undefined
      return comparison && baseMedian !== undefined ? { low: (comparison.ratio.low - 1) * baseMedian, high: (comparison.ratio.high - 1) * baseMedian } : undefined
    },
  },
  median: { dimension: 'time', micro: (v) => microStats(v)?.medianNs, ...percentile('p50Ns') },
  p50: { dimension: 'time', micro: (v) => microStats(v)?.medianNs, ...percentile('p50Ns') },
  mean: { dimension: 'time', micro: (v) => microStats(v)?.meanNs, ...percentile('meanNs') },
  p75: { dimension: 'time', micro: (v) => microStats(v)?.p75Ns },
  p90: { dimension: 'time', ...percentile('p90Ns') },
  p99: { dimension: 'time', micro: (v) => microStats(v)?.p99Ns, ...percentile('p99Ns') },
  p999: { dimension: 'time', micro: (v) => microStats(v)?.p999Ns, ...percentile('p999Ns') },
  min: { dimension: 'time', micro: (v) => microStats(v)?.minNs },
  max: { dimension: 'time', micro: (v) => microStats(v)?.maxNs, ...percentile('maxNs') },
  cv: { dimension: 'fraction', micro: (v) => microStats(v)?.cv, http: (v) => httpStats(v)?.cv },
  opsPerSec: { dimension: 'rate', micro: (v) => microStats(v)?.opsPerSec },
  /** Operations per second (micro), requests per second (http), completed events per second (load). */
  throughput: {
    dimension: 'rate',
    micro: (v) => microStats(v)?.opsPerSec,
    http: (v) => httpStats(v)?.requestsPerSec,
    load: (v) => loadFigures(v)?.completedPerSec,
  },
  /** The variant's throughput ÷ the baseline's (> 1 = more work per second). */
  throughputRatio: {
    dimension: 'ratio',
    micro: ratioReader((c) => throughputRatio(c).estimate),
    http: ratioReader((c) => throughputRatio(c).estimate),
    interval: (v, s) => {
      const c = comparisonOf(s, v.name)
      return c ? throughputRatio(c) : undefined
    },
    load: (v, s) => {
      const base = baselineOf(s)
      const mine = loadFigures(v)?.completedPerSec
      const theirs = base ? loadFigures(base)?.completedPerSec : undefined
      return mine === undefined || !theirs ? undefined : mine / theirs
    },
  },
  offered: { dimension: 'rate', load: (v) => loadFigures(v)?.offeredPerSec },
  dropped: { dimension: 'count', load: (v) => loadFigures(v)?.dropped },
  /** Dropped ÷ emitted. */
  dropRate: {
    dimension: 'fraction',
    load: (v) => {
      const f = loadFigures(v)
      return f && f.emitted > 0 ? f.dropped / f.emitted : f ? 0 : undefined
    },
  },
  eventLoopP50: { dimension: 'time', load: (v) => loadFigures(v)?.eventLoopDelay.p50Ns },
  eventLoopP99: { dimension: 'time', load: (v) => loadFigures(v)?.eventLoopDelay.p99Ns },
  errors: { dimension: 'count', http: (v) => httpStats(v)?.errors, load: (v) => loadFigures(v)?.failed },
  timeouts: { dimension: 'count', http: (v) => httpStats(v)?.timeouts },
  non2xx: { dimension: 'count', http: (v) => httpStats(v)?.non2xx },
  bytesPerOp: { dimension: 'bytes', micro: bytesPerOp },
  bytesPerOpRatio: {
    dimension: 'ratio',
    micro: (v, s) => {
      const base = baselineOf(s)
      const mine = bytesPerOp(v)
      const theirs = base ? bytesPerOp(base) : undefined
      return mine === undefined || !theirs ? undefined : mine / theirs
    },
  },
  /** The variant's bytes/op minus the baseline's: what a layer allocates beyond the work it wraps. */
  bytesPerOpDelta: {
    dimension: 'bytes',
    micro: (v, s) => {
      const base = baselineOf(s)
      const mine = bytesPerOp(v)
      const theirs = base ? bytesPerOp(base) : undefined
      return mine === undefined || theirs === undefined || v === base ? undefined : mine - theirs
    },
  },
  peakRss: { dimension: 'bytes', micro: (v) => v.process?.peakRssBytes, http: (v) => v.process?.peakRssBytes, load: (v) => loadFigures(v)?.peakRssBytes },
  peakHeap: { dimension: 'bytes', load: (v) => loadFigures(v)?.peakHeapBytes },
  heapUsed: { dimension: 'bytes', micro: (v) => v.process?.heapUsedBytes, http: (v) => v.process?.heapUsedBytes },
  gcCount: { dimension: 'count', micro: (v) => v.process?.gc.count, http: (v) => v.process?.gc.count, load: (v) => loadFigures(v)?.gc.count },
  gcTime: {
    dimension: 'time',
    micro: (v) => (v.process ? v.process.gc.totalMs * 1e6 : undefined),
    http: (v) => (v.process ? v.process.gc.totalMs * 1e6 : undefined),
    load: (v) => {
      const f = loadFigures(v)
      return f ? f.gc.totalMs * 1e6 : undefined
    },
  },
}

function meanRatio(v: VariantResult, s: MicroScenarioResult): number | undefined {
  const base = baselineOf(s)
  if (!base || v === base) return undefined
  const means = (x: VariantResult) => new Map(x.rounds.map((r) => [r.index, r.meanNs]))
  const ratios = roundRatios(means(v), means(base))
  return ratios.length > 0 ? median(ratios) : undefined
}

function baselineMedian(s: MicroScenarioResult): number | undefined {
  const base = baselineOf(s)
  return base ? microStats(base)?.medianNs : undefined
}

/** The scenario's baseline variant. */
function baselineOf<V extends { isBaseline: boolean }>(s: { variants: readonly V[] }): V | undefined {
  return s.variants.find((b) => b.isBaseline)
}

function bytesPerOp(v: VariantResult): number | undefined {
  return v.state === 'completed' ? v.memory?.bytesPerOp : undefined
}

function metricSpec(metric: string): MetricSpec | undefined {
  if (metric.startsWith('counters.') && metric.length > 'counters.'.length) {
    const name = metric.slice('counters.'.length)
    const read = (v: { counters?: Record<string, number> }) => v.counters?.[name]
    return { dimension: 'count', micro: read, load: read, http: read }
  }
  return Object.hasOwn(METRICS, metric) ? METRICS[metric] : undefined
}

/** Reads a metric for one variant of a scenario of any kind. */
function readMetric(spec: MetricSpec, variant: AnyVariantResult, scenario: ScenarioResult): number | undefined {
  switch (scenario.kind) {
    case 'micro':
      return spec.micro?.(variant as VariantResult, scenario)
    case 'load':
      return spec.load?.(variant as LoadVariantResult, scenario)
    case 'http':
      return spec.http?.(variant as HttpVariantResult, scenario)
  }
}

/** The metrics a scenario kind has. */
export function metricsOf(kind: ScenarioKindName): string[] {
  return [...Object.keys(METRICS).filter((name) => METRICS[name]![kind] !== undefined), 'counters.<name>']
}

/** The metric names a budget may use (counters are `counters.<name>`). */
export const METRIC_NAMES = [...Object.keys(METRICS), 'counters.<name>']

const UNITS: Record<string, { dimension: Dimension; factor: number }> = {
  ns: { dimension: 'time', factor: 1 },
  us: { dimension: 'time', factor: 1e3 },
  'µs': { dimension: 'time', factor: 1e3 },
  ms: { dimension: 'time', factor: 1e6 },
  s: { dimension: 'time', factor: 1e9 },
  B: { dimension: 'bytes', factor: 1 },
  kB: { dimension: 'bytes', factor: 1e3 },
  KB: { dimension: 'bytes', factor: 1e3 },
  KiB: { dimension: 'bytes', factor: 1024 },
  MB: { dimension: 'bytes', factor: 1e6 },
  MiB: { dimension: 'bytes', factor: 1024 ** 2 },
  GB: { dimension: 'bytes', factor: 1e9 },
  GiB: { dimension: 'bytes', factor: 1024 ** 3 },
  '%': { dimension: 'fraction', factor: 0.01 },
  x: { dimension: 'ratio', factor: 1 },
  '/s': { dimension: 'rate', factor: 1 },
  'ops/s': { dimension: 'rate', factor: 1 },
}

const BUDGET_PATTERN =
  /^(\s*)([^:\s][^:]*?)(\s*:\s*)([A-Za-z][\w.-]*)(\s*)(<=|>=|<|>)(\s*)(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)(\s*)([^\s\d][^\s]*)?\s*$/i

/** Parses one budget; throws BudgetSyntaxError pointing at the offending column. */
export function parseBudget(expression: string): Budget {
  const match = BUDGET_PATTERN.exec(expression)
  if (!match) throw explainSyntax(expression)
  const [, lead, target, colon, metric, gap1, op, gap2, number, gap3, unitText] = match as unknown as string[]
  const metricColumn = lead!.length + target!.length + colon!.length + 1
  const spec = metricSpec(metric!)
  if (!spec) {
    throw new BudgetSyntaxError(expression, metricColumn, `unknown metric "${metric}" (known: ${METRIC_NAMES.join(', ')})`)
  }
  const valueColumn = metricColumn + metric!.length + gap1!.length + op!.length + gap2!.length
  let threshold = Number(number)
  let unit = ''
  if (unitText) {
    const unitSpec = UNITS[unitText]
    const unitColumn = valueColumn + number!.length + gap3!.length
    if (!unitSpec) {
      throw new BudgetSyntaxError(expression, unitColumn, `unknown unit "${unitText}" (use ns, us, ms, s, B, kB, MB, GB, KiB, MiB, %, x, ops/s)`)
    }
    const compatible = unitSpec.dimension === spec.dimension || (unitSpec.dimension === 'fraction' && spec.dimension === 'ratio')
    if (!compatible) {
      throw new BudgetSyntaxError(expression, unitColumn, `unit "${unitText}" does not fit ${metric}, which is a ${spec.dimension}`)
    }
    // `ratio <= 5%` means a change of at most 5 %: 1.05.
    threshold = unitSpec.dimension === 'fraction' && spec.dimension === 'ratio' ? 1 + threshold * unitSpec.factor : threshold * unitSpec.factor
    unit = unitText
  } else if (spec.dimension === 'time' || spec.dimension === 'bytes') {
    throw new BudgetSyntaxError(expression, valueColumn + number!.length, `${metric} needs a unit, e.g. ${spec.dimension === 'time' ? '5ms' : '2kB'}`)
  }
  return { expression, target: target!.trim(), metric: metric!, dimension: spec.dimension, op: op as Comparator, threshold, unit }
}

function explainSyntax(expression: string): BudgetSyntaxError {
  const colon = expression.indexOf(':')
  if (colon <= 0 || expression.slice(0, colon).trim() === '') {
    return new BudgetSyntaxError(expression, 1, 'expected "<variant or *>: <metric> <op> <value>"')
  }
  const rest = expression.slice(colon + 1)
  const metricMatch = /^\s*([A-Za-z][\w.-]*)?/.exec(rest)!
  const afterMetric = colon + 1 + metricMatch[0].length
  if (!metricMatch[1]) return new BudgetSyntaxError(expression, afterMetric + 1, 'expected a metric name')
  const opMatch = /^\s*(<=|>=|<|>)?/.exec(expression.slice(afterMetric))!
  const afterOp = afterMetric + opMatch[0].length
  if (!opMatch[1]) return new BudgetSyntaxError(expression, afterOp + 1, 'expected one of <, <=, >, >=')
  const valueMatch = /^\s*(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)?/i.exec(expression.slice(afterOp))!
  const afterValue = afterOp + valueMatch[0].length
  if (!valueMatch[1]) return new BudgetSyntaxError(expression, afterValue + 1, 'expected a number')
  return new BudgetSyntaxError(expression, afterValue + 1, 'unexpected text after the value')
}

/** Parses `'variant: metric'` (a claim's figure to show, unjudged) into a budget that always passes. */
export function parseMetricReference(text: string): Budget | undefined {
  const match = /^\s*([^:\s][^:]*?)\s*:\s*([A-Za-z][\w.-]*)\s*$/.exec(text)
  const spec = match ? metricSpec(match[2]!) : undefined
  if (!match || !spec) return undefined
  return { expression: text, target: match[1]!.trim(), metric: match[2]!, dimension: spec.dimension, op: '>=', threshold: -Infinity, unit: '' }
}

/**
 * Checks a parsed budget against the scenario it belongs to: the variant must exist.
 * Returns a reason when it does not fit, or undefined.
 */
export function budgetMismatch(budget: Budget, variants: readonly string[], kind: ScenarioKindName = 'micro'): string | undefined {
  if (budget.target !== '*' && !variants.includes(budget.target)) {
    return `budget "${budget.expression}" names variant "${budget.target}", which the scenario does not have (variants: ${variants.join(', ')})`
  }
  if (!appliesTo(budget, kind)) {
    return `budget "${budget.expression}": ${kind} scenarios have no metric "${budget.metric}" (they have: ${metricsOf(kind).join(', ')})`
  }
  return undefined
}

/** Whether a scenario of this kind measures the budget's metric (config budgets apply only where it does). */
export function appliesTo(budget: Pick<Budget, 'metric'>, kind: ScenarioKindName): boolean {
  return metricSpec(budget.metric)?.[kind] !== undefined
}

function compare(value: number, op: Comparator, threshold: number): boolean {
  switch (op) {
    case '<':
      return value < threshold
    case '<=':
      return value <= threshold
    case '>':
      return value > threshold
    case '>=':
      return value >= threshold
  }
}

/** Prints a measured value in the budget's own unit when it has one, else in the metric's natural unit. */
export function formatMeasured(budget: Pick<Budget, 'dimension' | 'unit'>, value: number): string {
  const unit = budget.unit ? UNITS[budget.unit] : undefined
  if (unit && unit.dimension === budget.dimension) {
    const scaled = value / unit.factor
    return `${+scaled.toPrecision(4)}${budget.unit === 'x' ? '×' : budget.unit}`
  }
  switch (budget.dimension) {
    case 'time':
      return formatDuration(value)
    case 'bytes':
      return formatBytes(value)
    case 'ratio':
      return formatRatio(value)
    case 'fraction':
      return formatPercent(value)
    case 'rate':
      return formatRate(value)
    case 'count':
      return formatCount(value)
  }
}

/** Evaluates budgets on one scenario's result: one BudgetResult per budget and target variant. */
export function evaluateBudgets(scenario: ScenarioResult, budgets: ReadonlyArray<{ budget: Budget; origin: BudgetResult['origin'] }>): BudgetResult[] {
  const results: BudgetResult[] = []
  for (const { budget, origin } of budgets) {
    const spec = metricSpec(budget.metric)!
    if (spec[scenario.kind] === undefined) continue
    const variants: AnyVariantResult[] = scenario.variants
    const targets =
      budget.target === '*'
        ? variants.filter((v) => !(budget.dimension === 'ratio' && v.isBaseline))
        : variants.filter((v) => v.name === budget.target)
    for (const variant of targets) {
      const measured = readMetric(spec, variant, scenario)
      const base = { expression: budget.expression, origin, variant: variant.name, metric: budget.metric }
      if (measured === undefined || !Number.isFinite(measured)) {
        const why = variant.state === 'completed' ? `${budget.metric} was not measured` : `variant ${variant.state}`
        results.push({ ...base, state: 'missing', measuredText: '—', message: why })
        continue
      }
      const interval = spec.interval?.(variant, scenario)
      if (interval && Number.isFinite(interval.low) && Number.isFinite(interval.high)) {
        const passLow = compare(interval.low, budget.op, budget.threshold)
        const passHigh = compare(interval.high, budget.op, budget.threshold)
        results.push({
          ...base,
          state: passLow && passHigh ? 'pass' : !passLow && !passHigh ? 'fail' : 'cant-tell',
          measured,
          interval: { low: interval.low, high: interval.high },
          measuredText: `${formatMeasured(budget, measured)} [${formatMeasured(budget, interval.low)}–${formatMeasured(budget, interval.high)}]`,
          ...(passLow !== passHigh ? { message: 'the interval straddles the threshold' } : {}),
        })
        continue
      }
      results.push({
        ...base,
        state: compare(measured, budget.op, budget.threshold) ? 'pass' : 'fail',
        measured,
        measuredText: formatMeasured(budget, measured),
      })
    }
  }
  return results
}

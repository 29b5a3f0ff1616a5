/**
 * Comparing a variant with a baseline: the ratio estimate with its interval, the rank test and the
 * verdict. Paired (rounds of one run) or unpaired (a saved baseline against a new run).
 */
import type { Interval, Verdict } from '../result/schema.ts'
import { bootstrapOneSample, bootstrapTwoSample, DEFAULT_RESAMPLES } from './bootstrap.ts'
import { hodgesLehmannOneSample, hodgesLehmannShift } from './hodges-lehmann.ts'
import { mannWhitneyU } from './mann-whitney.ts'
import { createRng } from './rng.ts'
import { ptStudent, qtStudent } from './student-t.ts'
import { verdict } from './verdict.ts'
import { wilcoxonSignedRank } from './wilcoxon.ts'

export interface CompareOptions {
  minEffect: number
  alpha: number
  /** Seeds the bootstrap: the same inputs and seed give the same interval. */
  seed: number
  /** @default 2000 */
  resamples?: number
}

export interface ComparisonCore {
  /** variant (or head) / baseline (or base). */
  ratio: Interval
  pValue: number
  test: 'wilcoxon-signed-rank' | 'mann-whitney-u' | 'student-t-per-process' | 'welch-t-per-process'
  /** Pairs, or the smaller group; processes (pairs of them) for a per-process test. */
  n: number
  /** Paired rounds behind a per-process test (its `n` counts processes). */
  rounds?: number
  verdict: Verdict
  minEffect: number
  alpha: number
}

/**
 * The throughput ratio (variant ÷ baseline operations per second) from a comparison of times per
 * operation: the reciprocal, its interval's ends swapped.
 */
export function throughputRatio(c: { ratio: Interval }): { estimate: number; low: number; high: number } {
  return { estimate: 1 / c.ratio.estimate, low: 1 / c.ratio.high, high: 1 / c.ratio.low }
}

function checkPositive(values: readonly number[], what: string): void {
  for (const v of values) if (!(v > 0) || !Number.isFinite(v)) throw new RangeError(`${what} must be positive, finite times (got ${v})`)
}

/** Per-round medians paired by index: d = ln(variant / baseline), estimate exp(HL(d)), Wilcoxon signed-rank. */
export function comparePaired(baseline: readonly number[], variant: readonly number[], options: CompareOptions): ComparisonCore {
  if (baseline.length !== variant.length) throw new RangeError(`paired comparison needs as many baseline rounds (${baseline.length}) as variant rounds (${variant.length})`)
  if (baseline.length === 0) throw new RangeError('paired comparison of no rounds')
  checkPositive(baseline, 'baseline rounds')
  checkPositive(variant, 'variant rounds')
  const d = baseline.map((b, i) => Math.log(variant[i]! / b))
  const level = 1 - options.alpha
  const scratch = new Float64Array((d.length * (d.length + 1)) / 2)
  const estimate = Math.exp(hodgesLehmannOneSample(d, scratch))
  const { low, high } = bootstrapOneSample(d, (sample) => hodgesLehmannOneSample(sample, scratch), {
    level,
    resamples: options.resamples ?? DEFAULT_RESAMPLES,
    rng: createRng(options.seed),
  })
  const ratio = { estimate, low: Math.exp(low), high: Math.exp(high), level }
  const { pValue } = wilcoxonSignedRank(d)
  return {
    ratio,
    pValue,
    test: 'wilcoxon-signed-rank',
    n: d.length,
    verdict: verdict(ratio, pValue, options),
    minEffect: options.minEffect,
    alpha: options.alpha,
  }
}

/** Unpaired samples (e.g. round medians of two runs): HL shift of the logs, two-sample bootstrap, Mann–Whitney. */
export function compareUnpaired(base: readonly number[], head: readonly number[], options: CompareOptions): ComparisonCore {
  if (base.length === 0 || head.length === 0) throw new RangeError('unpaired comparison needs rounds on both sides')
  checkPositive(base, 'base rounds')
  checkPositive(head, 'head rounds')
  const lb = base.map(Math.log)
  const lh = head.map(Math.log)
  const level = 1 - options.alpha
  const scratch = new Float64Array(lb.length * lh.length)
  const estimate = Math.exp(hodgesLehmannShift(lb, lh, scratch))
  const { low, high } = bootstrapTwoSample(lb, lh, (x, y) => hodgesLehmannShift(x, y, scratch), {
    level,
    resamples: options.resamples ?? DEFAULT_RESAMPLES,
    rng: createRng(options.seed),
  })
  const ratio = { estimate, low: Math.exp(low), high: Math.exp(high), level }
  const { pValue } = mannWhitneyU(lh, lb)
  return {
    ratio,
    pValue,
    test: 'mann-whitney-u',
    n: Math.min(base.length, head.length),
    verdict: verdict(ratio, pValue, options),
    minEffect: options.minEffect,
    alpha: options.alpha,
  }
}

/** Fewer processes than this cannot give a per-process interval worth having: the rounds are the unit then. */
export const MIN_PROCESSES = 3

/**
 * Paired rounds spread over several processes per variant, `process[i]` naming the process (pair)
 * round i ran in. A process has state its own rounds cannot sample — heap layout, JIT decisions, the
 * machine's mood while it lived — so its rounds are one cluster, not independent draws.
 *
 * Each process contributes one summary, the Hodges–Lehmann estimate of its rounds' log-ratios
 * d = ln(variant / baseline); the estimate is exp(mean of the summaries), the interval and the
 * two-sided p-value are Student's t on them with (processes − 1) degrees of freedom. An unlucky
 * process widens the interval instead of producing a verdict.
 *
 * With fewer than MIN_PROCESSES processes the rounds are the unit (comparePaired), as one process
 * per variant always was.
 */
export function compareClustered(
  baseline: readonly number[],
  variant: readonly number[],
  process: readonly number[],
  options: CompareOptions,
): ComparisonCore {
  if (baseline.length !== variant.length || baseline.length !== process.length) {
    throw new RangeError(`clustered comparison needs a baseline round, a variant round and a process for each pair (${baseline.length}, ${variant.length}, ${process.length})`)
  }
  checkPositive(baseline, 'baseline rounds')
  checkPositive(variant, 'variant rounds')
  const clusters = new Map<number, number[]>()
  for (let i = 0; i < baseline.length; i++) {
    const list = clusters.get(process[i]!) ?? []
    list.push(Math.log(variant[i]! / baseline[i]!))
    clusters.set(process[i]!, list)
  }
  if (clusters.size < MIN_PROCESSES) return comparePaired(baseline, variant, options)
  const summaries = [...clusters.values()].map((d) => hodgesLehmannOneSample(d, new Float64Array((d.length * (d.length + 1)) / 2)))
  const g = summaries.length
  const centre = summaries.reduce((a, b) => a + b, 0) / g
  const variance = summaries.reduce((a, b) => a + (b - centre) ** 2, 0) / (g - 1)
  const se = Math.sqrt(variance / g)
  const level = 1 - options.alpha
  const half = se * qtStudent(1 - options.alpha / 2, g - 1)
  const ratio = { estimate: Math.exp(centre), low: Math.exp(centre - half), high: Math.exp(centre + half), level }
  const pValue = se > 0 ? Math.min(1, 2 * (1 - ptStudent(Math.abs(centre) / se, g - 1))) : centre === 0 ? 1 : 0
  return {
    ratio,
    pValue,
    test: 'student-t-per-process',
    n: g,
    rounds: baseline.length,
    verdict: verdict(ratio, pValue, options),
    minEffect: options.minEffect,
    alpha: options.alpha,
  }
}

/**
 * Alpha spending for auto-sampling: a case looks at its verdicts after its first stage of
 * processes and, while one is inconclusive and the budget allows, once more after a second stage.
 * Testing both looks at α would call identical code different more often than α; each look spends
 * α / looks, so by the union bound the chance that either look errs stays at most α, whatever their
 * correlation. (Geometric spending — α/2, α/4, … over many small looks — was tried first: on this
 * machine's per-process spread each later look's t-quantile grew faster than its extra process
 * narrowed the interval, so the looks after the first could almost never decide.)
 */
export function alphaAtLook(alpha: number, looks: number): number {
  return looks <= 1 ? alpha : alpha / looks
}

/**
 * Unpaired figures of two runs whose rounds were spread over several processes each (a saved
 * baseline against a new run): each process contributes one summary, the median of its rounds'
 * logs; the estimate is exp(difference of the mean summaries), the interval and p-value Welch's t
 * on them. With fewer than MIN_PROCESSES processes on a side the rounds are the unit (compareUnpaired).
 */
export function compareUnpairedClustered(
  base: readonly number[],
  baseProcess: readonly number[],
  head: readonly number[],
  headProcess: readonly number[],
  options: CompareOptions,
): ComparisonCore {
  if (base.length !== baseProcess.length || head.length !== headProcess.length) throw new RangeError('each round needs its process')
  checkPositive(base, 'base rounds')
  checkPositive(head, 'head rounds')
  const summaries = (values: readonly number[], process: readonly number[]) => {
    const groups = new Map<number, number[]>()
    values.forEach((v, i) => groups.set(process[i]!, [...(groups.get(process[i]!) ?? []), Math.log(v)]))
    return [...groups.values()].map((logs) => {
      const sorted = [...logs].sort((a, b) => a - b)
      const mid = sorted.length >> 1
      return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
    })
  }
  const b = summaries(base, baseProcess)
  const h = summaries(head, headProcess)
  if (b.length < MIN_PROCESSES || h.length < MIN_PROCESSES) return compareUnpaired(base, head, options)
  const meanOf = (x: number[]) => x.reduce((a, v) => a + v, 0) / x.length
  const varOf = (x: number[], m: number) => x.reduce((a, v) => a + (v - m) ** 2, 0) / (x.length - 1)
  const mb = meanOf(b)
  const mh = meanOf(h)
  const vb = varOf(b, mb) / b.length
  const vh = varOf(h, mh) / h.length
  const se = Math.sqrt(vb + vh)
  const diff = mh - mb
  // Welch–Satterthwaite degrees of freedom (the smaller side's when both variances are zero).
  const df = se > 0 ? (vb + vh) ** 2 / ((vb * vb) / (b.length - 1) + (vh * vh) / (h.length - 1)) : Math.min(b.length, h.length) - 1
  const level = 1 - options.alpha
  const half = se * qtStudent(1 - options.alpha / 2, df)
  const ratio = { estimate: Math.exp(diff), low: Math.exp(diff - half), high: Math.exp(diff + half), level }
  const pValue = se > 0 ? Math.min(1, 2 * (1 - ptStudent(Math.abs(diff) / se, df))) : diff === 0 ? 1 : 0
  return {
    ratio,
    pValue,
    test: 'welch-t-per-process',
    n: Math.min(b.length, h.length),
    rounds: Math.min(base.length, head.length),
    verdict: verdict(ratio, pValue, options),
    minEffect: options.minEffect,
    alpha: options.alpha,
  }
}

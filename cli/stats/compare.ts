/**
 * Comparing a variant with a baseline: the ratio estimate with its interval, the rank test and the
 * verdict. Paired (rounds of one run) or unpaired (a saved baseline against a new run).
 */
import type { Interval, Verdict } from '../result/schema.ts'
import { bootstrapOneSample, bootstrapTwoSample, DEFAULT_RESAMPLES } from './bootstrap.ts'
import { hodgesLehmannOneSample, hodgesLehmannShift } from './hodges-lehmann.ts'
import { mannWhitneyU } from './mann-whitney.ts'
import { createRng } from './rng.ts'
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
  test: 'wilcoxon-signed-rank' | 'mann-whitney-u'
  /** Pairs, or the smaller group. */
  n: number
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

/** The four-outcome verdict on a ratio (variant / baseline, > 1 = slower). */
import type { Verdict } from '../result/schema.ts'

export interface VerdictOptions {
  /** Smallest relative change worth reporting, e.g. 0.05. */
  minEffect: number
  /** False-alarm rate of the test, e.g. 0.01. */
  alpha: number
}

/**
 * With m = minEffect, in this order:
 * 1. `same` when the whole interval lies within [1/(1+m), 1+m] — including a change that is
 *    significant but too small to matter;
 * 2. `slower` when p < α, the interval lies above 1 **and the estimate is at least 1+m**;
 * 3. `faster` symmetrically (p < α, the interval below 1, the estimate at most 1/(1+m));
 * 4. otherwise `inconclusive`.
 *
 * The minimum effect means what it says: a change is called only when its best estimate is at
 * least that large. An earlier rule let an interval that merely *reached* past 1+m call a change,
 * and called identical code `1.00× [1.00–1.07] slower` whenever a significant 0.1 % shift had a long
 * tail. With this rule a true change of exactly m is caught about half the time — that is what a
 * threshold of m means; detection is promised from 2m.
 */
export function verdict(ratio: { estimate: number; low: number; high: number }, pValue: number, options: VerdictOptions): Verdict {
  const upper = 1 + options.minEffect
  const lower = 1 / upper
  if (ratio.low >= lower && ratio.high <= upper) return 'same'
  if (pValue < options.alpha && ratio.low > 1 && ratio.estimate >= upper) return 'slower'
  if (pValue < options.alpha && ratio.high < 1 && ratio.estimate <= lower) return 'faster'
  return 'inconclusive'
}

/**
 * Why a verdict is `inconclusive`, in a few words a table can show beside it ("p = 0.017 ≥ α 0.01",
 * "estimate inside ±5 %", "interval wider than ±5 %"); undefined for the other verdicts.
 */
export function inconclusiveReason(c: { ratio: { estimate: number; low: number; high: number }; pValue: number; minEffect: number; alpha: number; verdict: Verdict }): string | undefined {
  if (c.verdict !== 'inconclusive') return undefined
  const upper = 1 + c.minEffect
  const lower = 1 / upper
  const m = `±${+(c.minEffect * 100).toPrecision(3)} %`
  const excludesOne = c.ratio.low > 1 || c.ratio.high < 1
  if (excludesOne && c.pValue >= c.alpha) return `p = ${formatP(c.pValue)} ≥ α ${c.alpha}`
  if (excludesOne && c.ratio.estimate < upper && c.ratio.estimate > lower) return `estimate inside ${m}`
  return `interval wider than ${m}`
}

function formatP(p: number): string {
  return p < 0.001 ? p.toExponential(1) : p.toPrecision(2)
}

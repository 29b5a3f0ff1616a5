/** The four-outcome verdict on a ratio (variant / baseline, > 1 = slower). */
import type { Verdict } from '../result/schema.ts'

export interface VerdictOptions {
  /** Smallest relative change worth reporting, e.g. 0.05. */
  minEffect: number
  /** False-alarm rate of the rank test, e.g. 0.01. */
  alpha: number
}

/**
 * With m = minEffect, in this order:
 * 1. `same` when the whole interval lies within [1/(1+m), 1+m] — including a change that is
 *    significant but too small to matter;
 * 2. `slower` when p < α, the interval lies above 1 and reaches beyond 1+m;
 * 3. `faster` symmetrically;
 * 4. otherwise `inconclusive`.
 *
 * Why not "the whole interval above 1+m" (DESIGN.md's first sketch)? Then a true slowdown of
 * exactly m could never be reported, and one slightly above it only rarely, while the CI gate must
 * catch ≥ 15/20 changes of +5 % at m = 5 %. Requiring significance *and* an interval that reaches
 * past ±m keeps false alarms on identical code near α/2 per side or below (an A/A comparison needs
 * both a chance significance and a wide interval), and a change well inside ±m still reads `same`.
 */
export function verdict(ratio: { low: number; high: number }, pValue: number, options: VerdictOptions): Verdict {
  const upper = 1 + options.minEffect
  const lower = 1 / upper
  if (ratio.low >= lower && ratio.high <= upper) return 'same'
  if (pValue < options.alpha && ratio.low > 1 && ratio.high > upper) return 'slower'
  if (pValue < options.alpha && ratio.high < 1 && ratio.low < lower) return 'faster'
  return 'inconclusive'
}

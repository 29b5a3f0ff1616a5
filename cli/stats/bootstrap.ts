/** Percentile bootstrap intervals, seeded so the same inputs give the same interval. */
import { quantileSorted } from './describe.ts'
import type { Rng } from './rng.ts'

export interface BootstrapOptions {
  /** Resamples drawn. @default 2000 */
  resamples?: number
  /** Confidence level, e.g. 0.99. */
  level: number
  rng: Rng
}

export const DEFAULT_RESAMPLES = 2000

function interval(estimates: Float64Array, level: number): { low: number; high: number } {
  estimates.sort()
  const tail = (1 - level) / 2
  return { low: quantileSorted(estimates, tail), high: quantileSorted(estimates, 1 - tail) }
}

/** Resamples `d` with replacement and takes the percentile interval of `statistic`. */
export function bootstrapOneSample(
  d: readonly number[],
  statistic: (sample: Float64Array) => number,
  options: BootstrapOptions,
): { low: number; high: number } {
  if (d.length === 0) throw new RangeError('bootstrap of an empty sample')
  const resamples = options.resamples ?? DEFAULT_RESAMPLES
  const sample = new Float64Array(d.length)
  const estimates = new Float64Array(resamples)
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < d.length; i++) sample[i] = d[Math.floor(options.rng() * d.length)]!
    estimates[r] = statistic(sample)
  }
  return interval(estimates, options.level)
}

/** Resamples each group independently and takes the percentile interval of `statistic(x, y)`. */
export function bootstrapTwoSample(
  x: readonly number[],
  y: readonly number[],
  statistic: (x: Float64Array, y: Float64Array) => number,
  options: BootstrapOptions,
): { low: number; high: number } {
  if (x.length === 0 || y.length === 0) throw new RangeError('bootstrap of an empty sample')
  const resamples = options.resamples ?? DEFAULT_RESAMPLES
  const sx = new Float64Array(x.length)
  const sy = new Float64Array(y.length)
  const estimates = new Float64Array(resamples)
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < x.length; i++) sx[i] = x[Math.floor(options.rng() * x.length)]!
    for (let i = 0; i < y.length; i++) sy[i] = y[Math.floor(options.rng() * y.length)]!
    estimates[r] = statistic(sx, sy)
  }
  return interval(estimates, options.level)
}

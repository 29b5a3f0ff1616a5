/** Descriptive statistics. Pure functions. */

function assertNonEmpty(x: readonly number[], what: string): void {
  if (x.length === 0) throw new RangeError(`${what} of an empty sample`)
}

/** Numbers sorted ascending (a copy). */
export function sortNumbers(x: readonly number[]): number[] {
  return Float64Array.from(x).sort() as unknown as number[]
}

/** Quantile of sorted data by linear interpolation between order statistics (R type 7, numpy's default). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) throw new RangeError('quantile of an empty sample')
  if (q <= 0) return sorted[0]!
  if (q >= 1) return sorted[sorted.length - 1]!
  const h = (sorted.length - 1) * q
  const lo = Math.floor(h)
  const frac = h - lo
  const a = sorted[lo]!
  return frac === 0 ? a : a + frac * (sorted[lo + 1]! - a)
}

export function median(x: readonly number[]): number {
  assertNonEmpty(x, 'median')
  return quantileSorted(Float64Array.from(x).sort(), 0.5)
}

export function mean(x: readonly number[]): number {
  assertNonEmpty(x, 'mean')
  let sum = 0
  for (const v of x) sum += v
  return sum / x.length
}

/** Sample standard deviation (n − 1); 0 below two values. */
export function sd(x: readonly number[]): number {
  if (x.length < 2) return 0
  const m = mean(x)
  let ss = 0
  for (const v of x) ss += (v - m) ** 2
  return Math.sqrt(ss / (x.length - 1))
}

export interface Summary {
  n: number
  mean: number
  median: number
  p75: number
  p99: number
  p999: number
  min: number
  max: number
  sd: number
  /** sd / mean; 0 when the mean is 0. */
  cv: number
}

/** Everything the result needs about a sample, with one sort. */
export function summarize(x: ArrayLike<number>): Summary {
  if (x.length === 0) throw new RangeError('summary of an empty sample')
  const sorted = Float64Array.from(x).sort()
  let sum = 0
  for (const v of sorted) sum += v
  const m = sum / sorted.length
  let ss = 0
  for (const v of sorted) ss += (v - m) ** 2
  const deviation = sorted.length > 1 ? Math.sqrt(ss / (sorted.length - 1)) : 0
  return {
    n: sorted.length,
    mean: m,
    median: quantileSorted(sorted, 0.5),
    p75: quantileSorted(sorted, 0.75),
    p99: quantileSorted(sorted, 0.99),
    p999: quantileSorted(sorted, 0.999),
    min: sorted[0]!,
    max: sorted[sorted.length - 1]!,
    sd: deviation,
    cv: m === 0 ? 0 : deviation / m,
  }
}

/** Hodges–Lehmann estimators: robust location (one sample) and shift (two samples). */
import { medianInPlace } from './select.ts'

/** Median of the Walsh averages (d_i + d_j) / 2, i ≤ j: the pseudo-median of a paired difference. */
export function hodgesLehmannOneSample(d: ArrayLike<number>, scratch?: Float64Array): number {
  const n = d.length
  if (n === 0) throw new RangeError('Hodges–Lehmann estimate of an empty sample')
  const count = (n * (n + 1)) / 2
  const buffer = scratch && scratch.length >= count ? scratch : new Float64Array(count)
  let k = 0
  for (let i = 0; i < n; i++) {
    const di = d[i]!
    for (let j = i; j < n; j++) buffer[k++] = (di + d[j]!) / 2
  }
  return medianInPlace(buffer, count)
}

/** Median of all pairwise differences y_j − x_i: how far y is shifted from x. */
export function hodgesLehmannShift(x: ArrayLike<number>, y: ArrayLike<number>, scratch?: Float64Array): number {
  if (x.length === 0 || y.length === 0) throw new RangeError('Hodges–Lehmann shift of an empty sample')
  const count = x.length * y.length
  const buffer = scratch && scratch.length >= count ? scratch : new Float64Array(count)
  let k = 0
  for (let j = 0; j < y.length; j++) {
    const yj = y[j]!
    for (let i = 0; i < x.length; i++) buffer[k++] = yj - x[i]!
  }
  return medianInPlace(buffer, count)
}

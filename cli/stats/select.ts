/** The median of a scratch buffer by quickselect, O(n): the hot path of every bootstrap resample. */

/** Moves the k-th smallest of a[0..n) into a[k] (partial order around it). */
function select(a: Float64Array, n: number, k: number): number {
  let lo = 0
  let hi = n - 1
  while (hi > lo) {
    const mid = (lo + hi) >>> 1
    // median of three as the pivot keeps sorted input from degrading
    if (a[mid]! < a[lo]!) swap(a, mid, lo)
    if (a[hi]! < a[lo]!) swap(a, hi, lo)
    if (a[hi]! < a[mid]!) swap(a, hi, mid)
    const pivot = a[mid]!
    let i = lo
    let j = hi
    while (i <= j) {
      while (a[i]! < pivot) i++
      while (a[j]! > pivot) j--
      if (i <= j) {
        swap(a, i, j)
        i++
        j--
      }
    }
    if (k <= j) hi = j
    else if (k >= i) lo = i
    else return a[k]!
  }
  return a[k]!
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i]!
  a[i] = a[j]!
  a[j] = t
}

/** Median of the first n values of a scratch buffer (which it reorders). */
export function medianInPlace(a: Float64Array, n: number): number {
  if (n === 0) throw new RangeError('median of an empty sample')
  const k = n >>> 1
  const upper = select(a, n, k)
  if (n % 2 === 1) return upper
  // After selecting k, everything below index k is ≤ a[k]: the other middle value is their maximum.
  let lower = -Infinity
  for (let i = 0; i < k; i++) if (a[i]! > lower) lower = a[i]!
  return (lower + upper) / 2
}

/** The Mann–Whitney U (Wilcoxon rank-sum) test, as R's wilcox.test(x, y) computes it. */
import { twoSidedNormal } from './normal.ts'
import { averageRanks } from './ranks.ts'

export interface RankSumResult {
  /** U of x: W − n1(n1+1)/2, the number of pairs with x above y (ties count ½) — R's W. */
  u: number
  /** Two-sided p-value. */
  pValue: number
  method: 'exact' | 'normal'
}

const EXACT_LIMIT = 50

/**
 * counts[u] = the number of orderings of m x's and n y's with U = u, by the recurrence
 * f(m, n, u) = f(m − 1, n, u − n) + f(m, n − 1, u): only additions, so it stays exact in floating point
 * relative terms.
 */
export function rankSumCounts(m: number, n: number): Float64Array {
  const max = m * n
  // table[i] holds f(i, j, ·) for the current j.
  const table = Array.from({ length: m + 1 }, () => new Float64Array(max + 1))
  for (let i = 0; i <= m; i++) table[i]![0] = 1 // j = 0: only U = 0
  for (let j = 1; j <= n; j++) {
    for (let i = 1; i <= m; i++) {
      const row = table[i]!
      const prev = table[i - 1]!
      // f(i, j, u) = f(i−1, j, u−j) + f(i, j−1, u); row holds f(i, j−1, ·), prev already f(i−1, j, ·).
      for (let u = i * j; u >= j; u--) row[u]! += prev[u - j]!
    }
  }
  return table[m]!
}

export function mannWhitneyU(x: readonly number[], y: readonly number[]): RankSumResult {
  const m = x.length
  const n = y.length
  if (m === 0 || n === 0) throw new RangeError('Mann–Whitney test needs two non-empty samples')
  const { ranks, tieSizes } = averageRanks([...x, ...y])
  let rankSumX = 0
  for (let i = 0; i < m; i++) rankSumX += ranks[i]!
  const u = rankSumX - (m * (m + 1)) / 2
  if (m <= EXACT_LIMIT && n <= EXACT_LIMIT && tieSizes.length === 0) {
    const counts = rankSumCounts(m, n)
    let total = 0
    for (const c of counts) total += c
    let lower = 0
    for (let k = 0; k <= u; k++) lower += counts[k]!
    let upper = 0
    for (let k = u; k < counts.length; k++) upper += counts[k]!
    return { u, pValue: Math.min(1, (2 * Math.min(lower, upper)) / total), method: 'exact' }
  }
  const N = m + n
  const tieTerm = tieSizes.reduce((sum, t) => sum + t ** 3 - t, 0) / (N * (N - 1))
  const sigma = Math.sqrt(((m * n) / 12) * (N + 1 - tieTerm))
  if (sigma === 0) return { u, pValue: 1, method: 'normal' }
  const diff = u - (m * n) / 2
  const z = (diff - Math.sign(diff) * 0.5) / sigma
  return { u, pValue: twoSidedNormal(z), method: 'normal' }
}

/** The Wilcoxon signed-rank test on paired differences, as R's wilcox.test(paired = TRUE) computes it. */
import { twoSidedNormal } from './normal.ts'
import { averageRanks } from './ranks.ts'

export interface SignedRankResult {
  /** W+: the sum of the ranks of the positive differences. */
  statistic: number
  /** Non-zero differences (zeros are dropped, Wilcoxon's method). */
  n: number
  /** Two-sided p-value. */
  pValue: number
  method: 'exact' | 'normal'
}

const EXACT_LIMIT = 50

/** Number of subsets of {1..n} with each rank sum: counts[w] for w = 0 … n(n+1)/2. */
export function signedRankCounts(n: number): Float64Array {
  const max = (n * (n + 1)) / 2
  const counts = new Float64Array(max + 1)
  counts[0] = 1
  for (let k = 1; k <= n; k++) {
    for (let w = (k * (k + 1)) / 2; w >= k; w--) counts[w]! += counts[w - k]!
  }
  return counts
}

export function wilcoxonSignedRank(d: readonly number[]): SignedRankResult {
  const nonzero = d.filter((x) => x !== 0)
  const n = nonzero.length
  if (n === 0) return { statistic: 0, n: 0, pValue: 1, method: 'exact' }
  const { ranks, tieSizes } = averageRanks(nonzero.map(Math.abs))
  let statistic = 0
  nonzero.forEach((x, i) => {
    if (x > 0) statistic += ranks[i]!
  })
  if (n <= EXACT_LIMIT && tieSizes.length === 0) {
    const counts = signedRankCounts(n)
    const total = 2 ** n
    // P(W ≤ w) and P(W ≥ w) from the exact null distribution; the statistic is a whole number here.
    let lower = 0
    for (let w = 0; w <= statistic; w++) lower += counts[w]!
    let upper = 0
    for (let w = statistic; w < counts.length; w++) upper += counts[w]!
    return { statistic, n, pValue: Math.min(1, (2 * Math.min(lower, upper)) / total), method: 'exact' }
  }
  const meanW = (n * (n + 1)) / 4
  const tieCorrection = tieSizes.reduce((sum, t) => sum + t ** 3 - t, 0) / 48
  const sigma = Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24 - tieCorrection)
  if (sigma === 0) return { statistic, n, pValue: 1, method: 'normal' }
  const diff = statistic - meanW
  const z = (diff - Math.sign(diff) * 0.5) / sigma
  return { statistic, n, pValue: twoSidedNormal(z), method: 'normal' }
}

/** Rank tests against published answers (R's documented wilcox.test examples, textbook tables). */
import { describe, expect, it } from 'vitest'
import { mannWhitneyU, rankSumCounts } from '../../../cli/stats/mann-whitney.ts'
import { signedRankCounts, wilcoxonSignedRank } from '../../../cli/stats/wilcoxon.ts'
import { pnorm } from '../../../cli/stats/normal.ts'

describe('Wilcoxon signed-rank', () => {
  it("matches R's paired example (Hollander & Wolfe): V = 40, two-sided p = 0.03906", () => {
    const x = [1.83, 0.5, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.3]
    const y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29]
    const result = wilcoxonSignedRank(x.map((v, i) => v - y[i]!))
    expect(result).toMatchObject({ statistic: 40, n: 9, method: 'exact' })
    expect(result.pValue).toBeCloseTo(0.0390625, 6) // 2 × 10/512
  })

  it('reproduces the textbook critical value T = 8 for n = 10 at two-sided 0.05', () => {
    // Differences whose negative ranks sum to T: ranks 1..10, negatives on a chosen set.
    const withNegatives = (negativeRanks: number[]) => Array.from({ length: 10 }, (_, i) => (negativeRanks.includes(i + 1) ? -(i + 1) : i + 1))
    const at8 = wilcoxonSignedRank(withNegatives([1, 7])) // T = W− = 8
    const at9 = wilcoxonSignedRank(withNegatives([2, 7])) // T = 9
    expect(at8.pValue).toBeLessThanOrEqual(0.05)
    expect(at9.pValue).toBeGreaterThan(0.05)
  })

  it('has the exact null distribution (checked by enumerating all sign patterns)', () => {
    for (const n of [1, 2, 5, 8]) {
      const counts = signedRankCounts(n)
      const brute = new Array(counts.length).fill(0)
      for (let mask = 0; mask < 2 ** n; mask++) {
        let w = 0
        for (let k = 0; k < n; k++) if (mask & (1 << k)) w += k + 1
        brute[w]++
      }
      expect(Array.from(counts)).toEqual(brute)
    }
  })

  it('drops zeros, and returns p = 1 with nothing left', () => {
    expect(wilcoxonSignedRank([0, 0, 0])).toMatchObject({ n: 0, pValue: 1 })
    expect(wilcoxonSignedRank([0, 1, 2, 3]).n).toBe(3)
  })

  it('uses the tie-corrected normal approximation with continuity correction when |d| tie', () => {
    const d = [1, 1, 2, 2, 2, -3, 4, 5, 6, 7, 8, -1]
    const result = wilcoxonSignedRank(d)
    expect(result.method).toBe('normal')
    // By hand: |d| ranks — 1,1,1 → 2 each; 2,2,2 → 5 each; 3 → 7; 4..8 → 8..12.
    const wPlus = 2 + 2 + 5 * 3 + 8 + 9 + 10 + 11 + 12
    expect(result.statistic).toBe(wPlus)
    const n = 12
    const sigma = Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24 - (2 * (27 - 3)) / 48)
    const z = (wPlus - n * (n + 1) / 4 - 0.5) / sigma
    expect(result.pValue).toBeCloseTo(2 * (1 - pnorm(z)), 10)
  })

  it('the exact p agrees with the normal approximation for a large tie-free sample', () => {
    const d = Array.from({ length: 40 }, (_, i) => (i % 3 === 0 ? -1 : 1) * (i + 1))
    const exact = wilcoxonSignedRank(d)
    expect(exact.method).toBe('exact')
    const n = 40
    const diff = exact.statistic - (n * (n + 1)) / 4
    const z = (diff - Math.sign(diff) * 0.5) / Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24)
    expect(exact.pValue).toBeGreaterThan(0.001)
    expect(Math.abs(exact.pValue - 2 * pnorm(-Math.abs(z)))).toBeLessThan(0.002)
  })
})

describe('Mann–Whitney U', () => {
  it("matches R's two-sample example: W = 35, two-sided p = 0.2544", () => {
    const x = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46]
    const y = [1.15, 0.88, 0.9, 0.74, 1.21]
    const result = mannWhitneyU(x, y)
    expect(result).toMatchObject({ u: 35, method: 'exact' })
    expect(result.pValue).toBeCloseTo(0.2544, 4)
  })

  /** x ranks chosen so U of x = u exactly, for n1 = n2 = n. */
  function withU(n: number, u: number): [number[], number[]] {
    // Start with all x below all y (U = 0) and lift x's largest values past y's smallest.
    const x = Array.from({ length: n }, (_, i) => i)
    const y = Array.from({ length: n }, (_, i) => n + i)
    let remaining = u
    for (let i = n - 1; i >= 0 && remaining > 0; i--) {
      const lift = Math.min(n, remaining)
      x[i] = n - 1 + lift + 0.5 // above exactly `lift` of the y's
      remaining -= lift
    }
    return [x, y]
  }

  it('reproduces the textbook critical values (two-sided 0.05): U = 23 for 10 + 10, U = 2 for 5 + 5', () => {
    const [x23, y23] = withU(10, 23)
    const [x24, y24] = withU(10, 24)
    expect(mannWhitneyU(x23, y23).u).toBe(23)
    expect(mannWhitneyU(x23, y23).pValue).toBeLessThanOrEqual(0.05)
    expect(mannWhitneyU(x24, y24).pValue).toBeGreaterThan(0.05)
    const [x2, y2] = withU(5, 2)
    const [x3, y3] = withU(5, 3)
    expect(mannWhitneyU(x2, y2).pValue).toBeLessThanOrEqual(0.05)
    expect(mannWhitneyU(x3, y3).pValue).toBeGreaterThan(0.05)
  })

  it('has the exact null distribution (checked by enumerating every arrangement)', () => {
    for (const [m, n] of [[1, 1], [2, 3], [4, 4], [3, 6]] as const) {
      const counts = rankSumCounts(m, n)
      const brute = new Array(m * n + 1).fill(0)
      const total = m + n
      for (let mask = 0; mask < 2 ** total; mask++) {
        if (popcount(mask) !== m) continue
        // bit k set: position k (ascending) holds an x; U = pairs with x above y.
        let u = 0
        let ysBelow = 0
        for (let k = 0; k < total; k++) {
          if (mask & (1 << k)) u += ysBelow
          else ysBelow++
        }
        brute[u]++
      }
      expect(Array.from(counts)).toEqual(brute)
    }
  })

  it('uses the tie-corrected normal approximation when values tie', () => {
    const x = [1, 2, 2, 3, 5]
    const y = [2, 4, 4, 6, 7, 8]
    const result = mannWhitneyU(x, y)
    expect(result.method).toBe('normal')
    // By hand: ranks of [1,2,2,3,5 | 2,4,4,6,7,8]: 1→1, 2,2,2→3, 3→5, 4,4→6.5, 5→8, 6→9, 7→10, 8→11.
    const u = 1 + 3 + 3 + 5 + 8 - 15
    expect(result.u).toBe(u)
    const sigma = Math.sqrt(((5 * 6) / 12) * (12 - (24 + 6) / (11 * 10)))
    const z = (u - 15 + 0.5) / sigma
    expect(result.pValue).toBeCloseTo(2 * pnorm(z), 10)
  })
})

function popcount(v: number): number {
  let c = 0
  for (; v; v &= v - 1) c++
  return c
}

describe('pnorm', () => {
  it('gives the standard normal distribution function', () => {
    expect(pnorm(0)).toBeCloseTo(0.5, 7)
    expect(pnorm(1.959964)).toBeCloseTo(0.975, 6)
    expect(pnorm(-3)).toBeCloseTo(0.0013499, 6)
    expect(pnorm(8)).toBeCloseTo(1, 7)
  })
})

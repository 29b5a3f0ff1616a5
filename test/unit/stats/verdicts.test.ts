import { describe, expect, it } from 'vitest'
import { summarizeBreakdown } from '../../../cli/stats/breakdown.ts'
import { comparePaired, compareUnpaired } from '../../../cli/stats/compare.ts'
import { createRng } from '../../../cli/stats/rng.ts'
import { inconclusiveReason, verdict } from '../../../cli/stats/verdict.ts'

const opts = { minEffect: 0.05, alpha: 0.01 }

describe('verdict', () => {
  it('same when the whole interval is within ±m, even if significant', () => {
    expect(verdict({ estimate: 1, low: 0.96, high: 1.04 }, 0.5, opts)).toBe('same')
    expect(verdict({ estimate: 1.02, low: 1.01, high: 1.03 }, 0.001, opts)).toBe('same')
    expect(verdict({ estimate: 1, low: 1 / 1.05, high: 1.05 }, 0.5, opts)).toBe('same') // boundaries included
  })
  it('slower needs p < α, an interval above 1 and an estimate of at least 1 + m', () => {
    expect(verdict({ estimate: 1.06, low: 1.02, high: 1.08 }, 0.001, opts)).toBe('slower')
    expect(verdict({ estimate: 1.05, low: 1.02, high: 1.08 }, 0.001, opts)).toBe('slower') // estimate exactly 1 + m
    expect(verdict({ estimate: 1.06, low: 1.02, high: 1.08 }, 0.01, opts)).toBe('inconclusive') // p not < α
    expect(verdict({ estimate: 1.1, low: 0.99, high: 1.3 }, 0.001, opts)).toBe('inconclusive') // includes 1
    expect(verdict({ estimate: 1.1, low: 1.0, high: 1.3 }, 0.001, opts)).toBe('inconclusive') // touches 1
  })
  it('never calls a change whose estimate is inside ±m, however long its tail (the old rule called these)', () => {
    expect(verdict({ estimate: 1.0, low: 1.001, high: 1.07 }, 0.001, opts)).toBe('inconclusive')
    expect(verdict({ estimate: 1.0, low: 1.001, high: 1.38 }, 0.001, opts)).toBe('inconclusive')
    expect(verdict({ estimate: 0.999, low: 0.69, high: 0.9995 }, 0.001, opts)).toBe('inconclusive')
    expect(verdict({ estimate: 1.049, low: 1.02, high: 1.08 }, 0.001, opts)).toBe('inconclusive')
  })
  it('faster symmetrically', () => {
    expect(verdict({ estimate: 0.94, low: 0.9, high: 0.98 }, 0.001, opts)).toBe('faster')
    expect(verdict({ estimate: 1 / 1.05, low: 0.9, high: 0.98 }, 0.001, opts)).toBe('faster')
    expect(verdict({ estimate: 0.96, low: 0.9, high: 0.98 }, 0.001, opts)).toBe('inconclusive') // estimate inside ±m
    expect(verdict({ estimate: 0.94, low: 0.9, high: 1.0 }, 0.001, opts)).toBe('inconclusive')
    expect(verdict({ estimate: 0.94, low: 0.9, high: 0.98 }, 0.2, opts)).toBe('inconclusive')
  })
  it('inconclusive for a wide interval around 1', () => {
    expect(verdict({ estimate: 1, low: 0.8, high: 1.2 }, 0.6, opts)).toBe('inconclusive')
  })
  it('says why a verdict is inconclusive', () => {
    const base = { minEffect: 0.05, alpha: 0.01, verdict: 'inconclusive' as const }
    expect(inconclusiveReason({ ...base, ratio: { estimate: 0.8, low: 0.69, high: 0.98 }, pValue: 0.017 })).toBe('p = 0.017 ≥ α 0.01')
    expect(inconclusiveReason({ ...base, ratio: { estimate: 1.01, low: 1.001, high: 1.07 }, pValue: 0.001 })).toBe('estimate inside ±5 %')
    expect(inconclusiveReason({ ...base, ratio: { estimate: 1.01, low: 0.8, high: 1.3 }, pValue: 0.4 })).toBe('interval wider than ±5 %')
    expect(inconclusiveReason({ ...base, verdict: 'same', ratio: { estimate: 1, low: 0.99, high: 1.01 }, pValue: 0.4 })).toBeUndefined()
  })
})

function noisy(base: number, n: number, rng: () => number, spread = 0.02): number[] {
  return Array.from({ length: n }, () => base * Math.exp((rng() - 0.5) * 2 * spread))
}

describe('comparePaired', () => {
  it('finds a 1.25× variant slower, with 1.25 inside the interval', () => {
    const rng = createRng(21)
    const baseline = noisy(1000, 16, rng)
    const variant = baseline.map((b) => b * 1.25 * Math.exp((rng() - 0.5) * 0.02))
    const c = comparePaired(baseline, variant, { ...opts, seed: 1 })
    expect(c.verdict).toBe('slower')
    expect(c.ratio.estimate).toBeCloseTo(1.25, 2)
    expect(c.ratio.low).toBeLessThanOrEqual(1.25)
    expect(c.ratio.high).toBeGreaterThanOrEqual(1.25)
    expect(c.ratio.level).toBe(0.99)
    expect(c).toMatchObject({ test: 'wilcoxon-signed-rank', n: 16 })
  })
  it('rarely calls identical inputs different (200 seeded A/A simulations)', () => {
    const rng = createRng(33)
    let alarms = 0
    for (let t = 0; t < 200; t++) {
      const a = noisy(1000, 12, rng, 0.05)
      const b = noisy(1000, 12, rng, 0.05)
      const v = comparePaired(a, b, { ...opts, seed: t, resamples: 400 }).verdict
      if (v === 'slower' || v === 'faster') alarms++
    }
    expect(alarms).toBeLessThanOrEqual(4)
  })
  it('cannot be significant on 4 pairs at α = 0.01', () => {
    const c = comparePaired([1, 1, 1, 1], [2, 2.1, 2.2, 2.3], { ...opts, seed: 1 })
    expect(c.pValue).toBeGreaterThan(0.01)
    expect(c.verdict).not.toBe('slower')
  })
  it('is reproducible for a seed and rejects mismatched or non-positive input', () => {
    const rng = createRng(5)
    const a = noisy(10, 10, rng)
    const b = noisy(11, 10, rng)
    expect(comparePaired(a, b, { ...opts, seed: 3 })).toEqual(comparePaired(a, b, { ...opts, seed: 3 }))
    expect(() => comparePaired([1, 2], [1], { ...opts, seed: 1 })).toThrow(/as many/)
    expect(() => comparePaired([1, 0], [1, 1], { ...opts, seed: 1 })).toThrow(/positive/)
  })
})

describe('compareUnpaired', () => {
  it('finds a 1.2× head slower and identical runs not different', () => {
    const rng = createRng(8)
    const base = noisy(500, 15, rng)
    const head = noisy(600, 15, rng)
    const c = compareUnpaired(base, head, { ...opts, seed: 2 })
    expect(c.verdict).toBe('slower')
    expect(c.ratio.low).toBeLessThan(1.2)
    expect(c.ratio.high).toBeGreaterThan(1.2)
    expect(c.test).toBe('mann-whitney-u')
    const same = compareUnpaired(base, noisy(500, 15, rng), { ...opts, seed: 2 })
    expect(['same', 'inconclusive']).toContain(same.verdict)
  })
})

describe('summarizeBreakdown', () => {
  it('phases plus the rest add up to the mean total; a missing phase counts 0', () => {
    const b = summarizeBreakdown([
      { totalNs: 100, phases: { 'tx.begin': 20, query: 50 } },
      { totalNs: 200, phases: { 'tx.begin': 40, query: 100, log: 30 } },
    ])
    expect(b.totalMeanNs).toBe(150)
    expect(b.phases.map((p) => [p.name, p.meanNs, p.count])).toEqual([
      ['query', 75, 2],
      ['tx.begin', 30, 2],
      ['log', 15, 1],
    ])
    expect(b.restMeanNs).toBe(30)
    expect(b.phases.reduce((s, p) => s + p.meanNs, 0) + b.restMeanNs).toBe(b.totalMeanNs)
    expect(b.phases[0]!.share).toBe(0.5)
    expect(b.restShare).toBeCloseTo(0.2, 12)
    expect(() => summarizeBreakdown([])).toThrow()
  })

  it('leaves out ops stalled beyond 10× the median op, and counts them', () => {
    const op = (totalNs: number) => ({ totalNs, phases: { work: totalNs * 0.8 } })
    const b = summarizeBreakdown([op(100), op(110), op(90), op(105), op(5000), op(1000)])
    // median 107.5 → limit 1075: the 5000 ns op goes, the 1000 ns one stays.
    expect(b.ops).toBe(5)
    expect(b.outliers).toBe(1)
    expect(b.totalMeanNs).toBe(281)
    expect(b.phases[0]!.meanNs).toBeCloseTo(224.8, 9)
    expect(summarizeBreakdown([op(100), op(120)]).outliers).toBeUndefined()
  })

  it('marks phases that ran concurrently (they add up to more than the op), and only those', () => {
    // Two writers in parallel inside one 100 ns op, each 80 ns in the database: 160 ns of phases.
    const parallel = summarizeBreakdown([{ totalNs: 100, phases: { 'append.db': 160 } }])
    expect(parallel.overlapping).toBe(true)
    expect(parallel.restMeanNs).toBe(-60)
    expect(parallel.phases[0]!.share).toBe(1.6)
    // Sequential phases: no overlap, and a sliver under zero (clock rounding) is not overlap either.
    expect(summarizeBreakdown([{ totalNs: 100, phases: { a: 60, b: 40 } }]).overlapping).toBeUndefined()
    expect(summarizeBreakdown([{ totalNs: 1000, phases: { a: 1005 } }]).overlapping).toBeUndefined()
  })
})

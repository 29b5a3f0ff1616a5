import { describe, expect, it } from 'vitest'
import { bootstrapOneSample, bootstrapTwoSample } from '../../../cli/stats/bootstrap.ts'
import { median, mean, quantileSorted, sd, summarize } from '../../../cli/stats/describe.ts'
import { hodgesLehmannOneSample, hodgesLehmannShift } from '../../../cli/stats/hodges-lehmann.ts'
import { createRng, roundOrders, shuffle } from '../../../cli/stats/rng.ts'
import { medianInPlace } from '../../../cli/stats/select.ts'

function naiveMedian(values: number[]): number {
  const s = [...values].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

function walsh(d: number[]): number[] {
  const out: number[] = []
  for (let i = 0; i < d.length; i++) for (let j = i; j < d.length; j++) out.push((d[i]! + d[j]!) / 2)
  return out
}

describe('describe', () => {
  it('quantiles follow R type 7', () => {
    const oneToTen = Array.from({ length: 10 }, (_, i) => i + 1)
    expect(quantileSorted(oneToTen, 0.25)).toBe(3.25)
    expect(quantileSorted(oneToTen, 0.9)).toBeCloseTo(9.1, 12)
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5)
    expect(quantileSorted([5], 0.99)).toBe(5)
    expect(() => quantileSorted([], 0.5)).toThrow(/empty/)
  })
  it('summarises a small sample with known values', () => {
    const s = summarize([2, 4, 4, 4, 5, 5, 7, 9])
    expect(s).toMatchObject({ n: 8, mean: 5, median: 4.5, min: 2, max: 9 })
    expect(s.sd).toBeCloseTo(Math.sqrt(32 / 7), 12)
    expect(s.cv).toBeCloseTo(Math.sqrt(32 / 7) / 5, 12)
    expect(s.p75).toBe(5.5)
    expect(summarize([3])).toMatchObject({ n: 1, sd: 0, cv: 0, p99: 3 })
    expect(median([3, 1, 2])).toBe(2)
    expect(mean([1, 2, 3, 4])).toBe(2.5)
    expect(sd([1])).toBe(0)
  })
})

describe('quickselect median', () => {
  it('matches a sort on random, duplicated, sorted and reversed data of odd and even length', () => {
    const rng = createRng(1)
    const cases: number[][] = []
    for (const n of [1, 2, 3, 10, 11, 100, 101, 1000]) {
      cases.push(Array.from({ length: n }, () => rng()))
      cases.push(Array.from({ length: n }, () => Math.floor(rng() * 4)))
      cases.push(Array.from({ length: n }, (_, i) => i))
      cases.push(Array.from({ length: n }, (_, i) => n - i))
    }
    for (const values of cases) expect(medianInPlace(Float64Array.from(values), values.length)).toBe(naiveMedian(values))
  })
})

describe('Hodges–Lehmann', () => {
  it('one sample: the median of the Walsh averages, by hand', () => {
    // Walsh averages of [1, 2, 10]: 1, 1.5, 5.5, 2, 6, 10 → median (2 + 5.5) / 2
    expect(hodgesLehmannOneSample([1, 2, 10])).toBe(3.75)
    expect(hodgesLehmannOneSample([4])).toBe(4)
  })
  it('two samples: the median of pairwise differences, by hand', () => {
    // y − x for x = [1, 2], y = [3, 10]: 2, 1, 9, 8 → median 5
    expect(hodgesLehmannShift([1, 2], [3, 10])).toBe(5)
  })
  it('agrees with a naive implementation on random data', () => {
    const rng = createRng(2)
    for (const n of [5, 6, 30, 31]) {
      const d = Array.from({ length: n }, () => rng() - 0.4)
      expect(hodgesLehmannOneSample(d)).toBeCloseTo(naiveMedian(walsh(d)), 12)
      const y = Array.from({ length: n + 3 }, () => rng())
      const diffs = y.flatMap((yj) => d.map((xi) => yj - xi))
      expect(hodgesLehmannShift(d, y)).toBeCloseTo(naiveMedian(diffs), 12)
    }
  })
})

describe('rng', () => {
  it('is deterministic per seed and differs between seeds', () => {
    const a = createRng(42)
    const b = createRng(42)
    const c = createRng(43)
    const seqA = Array.from({ length: 5 }, a)
    expect(Array.from({ length: 5 }, b)).toEqual(seqA)
    expect(Array.from({ length: 5 }, c)).not.toEqual(seqA)
    expect(seqA.every((v) => v >= 0 && v < 1)).toBe(true)
    expect(shuffle([1, 2, 3, 4, 5], createRng(7)).sort()).toEqual([1, 2, 3, 4, 5])
  })
  it('is roughly uniform', () => {
    const rng = createRng(3)
    const bins = new Array(10).fill(0)
    for (let i = 0; i < 20_000; i++) bins[Math.floor(rng() * 10)]++
    for (const count of bins) expect(Math.abs(count - 2000)).toBeLessThan(200)
  })
  it('round orders come in reversed pairs, so positions balance', () => {
    const variants = ['a', 'b', 'c']
    const orders = roundOrders(variants, 40, createRng(5))
    for (let r = 0; r < 40; r += 2) expect(orders[r + 1]).toEqual([...orders[r]!].reverse())
    for (const v of variants) {
      const positions = orders.map((o) => o.indexOf(v))
      // reversed pairs make each variant's positions sum to (k − 1) per pair
      expect(positions.reduce((s, p) => s + p, 0)).toBe(20 * (variants.length - 1))
    }
    expect(new Set(orders.filter((_, i) => i % 2 === 0).map((o) => o.join())).size).toBeGreaterThan(1)
  })
})

describe('bootstrap', () => {
  const hl = (s: Float64Array) => hodgesLehmannOneSample(s)
  it('is reproducible for a seed and contains the estimate', () => {
    const d = Array.from({ length: 20 }, (_, i) => Math.sin(i) * 0.1 + 0.2)
    const first = bootstrapOneSample(d, hl, { level: 0.95, resamples: 500, rng: createRng(9) })
    const second = bootstrapOneSample(d, hl, { level: 0.95, resamples: 500, rng: createRng(9) })
    expect(second).toEqual(first)
    const estimate = hodgesLehmannOneSample(d)
    expect(first.low).toBeLessThanOrEqual(estimate)
    expect(first.high).toBeGreaterThanOrEqual(estimate)
  })
  it('covers a known centre near the nominal rate', () => {
    // Symmetric data around 1: the HL interval should contain 1 in about 90 % of samples.
    const rng = createRng(11)
    let covered = 0
    const trials = 200
    for (let t = 0; t < trials; t++) {
      const d = Array.from({ length: 25 }, () => 1 + (rng() + rng() + rng() - 1.5))
      const { low, high } = bootstrapOneSample(d, hl, { level: 0.9, resamples: 300, rng })
      if (low <= 1 && 1 <= high) covered++
    }
    expect(covered / trials).toBeGreaterThan(0.8)
    expect(covered / trials).toBeLessThan(0.97)
  })
  it('two-sample intervals are reproducible and contain the shift', () => {
    const x = [1, 2, 3, 4, 5, 6]
    const y = [3, 4, 5, 6, 7, 8]
    const stat = (a: Float64Array, b: Float64Array) => hodgesLehmannShift(a, b)
    const i1 = bootstrapTwoSample(x, y, stat, { level: 0.95, resamples: 400, rng: createRng(4) })
    const i2 = bootstrapTwoSample(x, y, stat, { level: 0.95, resamples: 400, rng: createRng(4) })
    expect(i1).toEqual(i2)
    expect(i1.low).toBeLessThanOrEqual(2)
    expect(i1.high).toBeGreaterThanOrEqual(2)
  })
})

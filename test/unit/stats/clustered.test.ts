import { describe, expect, it } from 'vitest'
import { alphaAtLook, compareClustered, comparePaired, compareUnpairedClustered } from '../../../cli/stats/compare.ts'
import { createRng } from '../../../cli/stats/rng.ts'
import { twoSpeeds } from '../../../cli/stats/speeds.ts'
import { logGamma, ptStudent, qtStudent } from '../../../cli/stats/student-t.ts'

const opts = { minEffect: 0.05, alpha: 0.01, seed: 1 }

describe("Student's t", () => {
  it('matches textbook quantiles', () => {
    expect(qtStudent(0.975, 10)).toBeCloseTo(2.228139, 5)
    expect(qtStudent(0.995, 5)).toBeCloseTo(4.032143, 5)
    expect(qtStudent(0.995, 3)).toBeCloseTo(5.840909, 5)
    expect(qtStudent(0.975, 1)).toBeCloseTo(12.7062, 3)
    expect(qtStudent(0.025, 10)).toBeCloseTo(-2.228139, 5)
    expect(qtStudent(0.995, 1e6)).toBeCloseTo(2.575829, 4) // the normal's
  })
  it('has the right distribution function', () => {
    expect(ptStudent(0, 4)).toBeCloseTo(0.5, 12)
    expect(ptStudent(2.776445, 4)).toBeCloseTo(0.975, 6)
    expect(ptStudent(-1.812461, 10)).toBeCloseTo(0.05, 6)
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12)
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12)
  })
})

/** Rounds of `processes` process pairs, each pair with its own offset (log sd `between`), rounds with log sd `within`. */
function clustered(rng: () => number, processes: number, rounds: number, effect: number, between: number, within: number) {
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng())
  const baseline: number[] = []
  const variant: number[] = []
  const process: number[] = []
  for (let p = 0; p < processes; p++) {
    const offsetA = between * gauss()
    const offsetB = between * gauss()
    for (let r = 0; r < rounds; r++) {
      baseline.push(1000 * Math.exp(offsetA + within * gauss()))
      variant.push(1000 * effect * Math.exp(offsetB + within * gauss()))
      process.push(p)
    }
  }
  return { baseline, variant, process }
}

describe('compareClustered', () => {
  it('gives the known t interval on per-process summaries', () => {
    // Three process pairs whose rounds read exactly 1.00, 1.02 and 1.04: summaries ln(1.00), ln(1.02), ln(1.04).
    const baseline = [100, 100, 100, 100, 100, 100]
    const variant = [100, 100, 102, 102, 104, 104]
    const c = compareClustered(baseline, variant, [0, 0, 1, 1, 2, 2], opts)
    const logs = [0, Math.log(1.02), Math.log(1.04)]
    const m = (logs[0]! + logs[1]! + logs[2]!) / 3
    const sd = Math.sqrt(logs.reduce((a, x) => a + (x - m) ** 2, 0) / 2)
    const half = (qtStudent(0.995, 2) * sd) / Math.sqrt(3)
    expect(c.test).toBe('student-t-per-process')
    expect(c).toMatchObject({ n: 3, rounds: 6 })
    expect(c.ratio.estimate).toBeCloseTo(Math.exp(m), 12)
    expect(c.ratio.low).toBeCloseTo(Math.exp(m - half), 12)
    expect(c.ratio.high).toBeCloseTo(Math.exp(m + half), 12)
    expect(c.verdict).toBe('inconclusive')
  })
  it('an unlucky process widens the interval instead of producing a verdict', () => {
    // Five process pairs agree; in the sixth the baseline's process ran 25 % slow throughout.
    const baseline: number[] = []
    const variant: number[] = []
    const process: number[] = []
    for (let p = 0; p < 6; p++) {
      for (let r = 0; r < 4; r++) {
        baseline.push(p === 5 ? 1250 + r : 1000 + r)
        variant.push(1000 + ((r * 7) % 5))
        process.push(p)
      }
    }
    const rounds = comparePaired(baseline, variant, opts)
    const clusteredResult = compareClustered(baseline, variant, process, opts)
    expect(clusteredResult.verdict).toBe('inconclusive')
    expect(clusteredResult.ratio.low).toBeLessThan(0.9)
    expect(clusteredResult.ratio.high).toBeGreaterThan(1)
    expect(rounds.ratio.high - rounds.ratio.low).toBeLessThan(clusteredResult.ratio.high - clusteredResult.ratio.low)
  })
  it('falls back to the rounds as the unit below three processes', () => {
    const c = compareClustered([1, 1, 1, 1, 1, 1], [1.3, 1.31, 1.29, 1.3, 1.32, 1.3], [0, 0, 0, 1, 1, 1], opts)
    expect(c.test).toBe('wilcoxon-signed-rank')
    expect(c.n).toBe(6)
  })
  it('keeps its interval honest on identical code with per-process offsets, where the rounds as the unit do not (400 seeded A/A)', () => {
    const rng = createRng(7)
    let clusteredMisses = 0
    let roundMisses = 0
    let alarms = 0
    for (let t = 0; t < 400; t++) {
      const { baseline, variant, process } = clustered(rng, 6, 4, 1, 0.025, 0.01)
      const c = compareClustered(baseline, variant, process, { ...opts, seed: t })
      const r = comparePaired(baseline, variant, { ...opts, seed: t, resamples: 200 })
      if (c.ratio.low > 1 || c.ratio.high < 1) clusteredMisses++
      if (r.ratio.low > 1 || r.ratio.high < 1) roundMisses++
      if (c.verdict === 'slower' || c.verdict === 'faster') alarms++
    }
    // A 99 % interval should miss the true ratio (1) about 1 % of the time: 4 of 400.
    expect(clusteredMisses).toBeLessThanOrEqual(10)
    expect(roundMisses).toBeGreaterThan(100)
    expect(alarms).toBeLessThanOrEqual(2)
  })
  it('catches +10 % and +25 % with the true ratio inside the interval', () => {
    const rng = createRng(9)
    for (const effect of [1.1, 1.25]) {
      let caught = 0
      for (let t = 0; t < 100; t++) {
        const { baseline, variant, process } = clustered(rng, 6, 4, effect, 0.02, 0.01)
        const c = compareClustered(baseline, variant, process, { ...opts, seed: t })
        if (c.verdict === 'slower' && c.ratio.low <= effect && c.ratio.high >= effect) caught++
      }
      expect(caught).toBeGreaterThanOrEqual(95)
    }
  })
})

describe('compareUnpairedClustered', () => {
  it("gives Welch's t interval on per-process medians", () => {
    // Base: processes at 100, 102, 98 (two rounds each, equal); head: 110, 112, 108.
    const base = [100, 100, 102, 102, 98, 98]
    const head = [110, 110, 112, 112, 108, 108]
    const process = [0, 0, 1, 1, 2, 2]
    const c = compareUnpairedClustered(base, process, head, process, opts)
    const lb = [100, 102, 98].map(Math.log)
    const lh = [110, 112, 108].map(Math.log)
    const mean = (x: number[]) => x.reduce((a, v) => a + v, 0) / x.length
    const v = (x: number[]) => x.reduce((a, y) => a + (y - mean(x)) ** 2, 0) / (x.length - 1) / x.length
    const se = Math.sqrt(v(lb) + v(lh))
    const df = (v(lb) + v(lh)) ** 2 / (v(lb) ** 2 / 2 + v(lh) ** 2 / 2)
    const diff = mean(lh) - mean(lb)
    expect(c.test).toBe('welch-t-per-process')
    expect(c.ratio.estimate).toBeCloseTo(Math.exp(diff), 12)
    expect(c.ratio.high).toBeCloseTo(Math.exp(diff + se * qtStudent(0.995, df)), 10)
    expect(c.pValue).toBeCloseTo(2 * (1 - ptStudent(diff / se, df)), 10)
    expect(c.verdict).toBe('slower')
  })
  it('falls back to the rounds below three processes on a side', () => {
    expect(compareUnpairedClustered([1, 1, 1], [0, 0, 0], [1, 1, 1], [0, 1, 2], opts).test).toBe('mann-whitney-u')
  })
})

describe('alphaAtLook', () => {
  it('splits α evenly between the looks a case may take (one, or two with a second stage)', () => {
    expect(alphaAtLook(0.01, 1)).toBe(0.01)
    expect(alphaAtLook(0.01, 2)).toBe(0.005)
    for (const looks of [1, 2, 3]) {
      let sum = 0
      for (let k = 0; k < looks; k++) sum += alphaAtLook(0.01, looks)
      expect(sum).toBeCloseTo(0.01, 15)
    }
  })
})

describe('twoSpeeds', () => {
  it('finds two speeds in rounds that switch between them', () => {
    const rounds = [3291, 3219, 3125, 3219, 3403, 3479, 3547, 5057, 5568, 5242, 5198, 3479, 3654, 5452, 3501, 3471, 3465, 3529, 3625, 3609, 5372, 3579]
    const speeds = twoSpeeds(rounds)!
    expect(speeds.fast.rounds).toBe(16)
    expect(speeds.slow.rounds).toBe(6)
    expect(speeds.fast.value).toBe(3479)
    expect(speeds.slow.value).toBe(5307)
  })
  it('sees one speed in spread-out rounds, in tight ones, and in a single outlier', () => {
    expect(twoSpeeds([1, 1.1, 1.2, 1.3, 1.5, 1.65, 1.8, 1.95])).toBeUndefined()
    expect(twoSpeeds([100, 101, 99, 100, 102, 100])).toBeUndefined()
    expect(twoSpeeds([100, 101, 99, 100, 102, 190])).toBeUndefined()
    expect(twoSpeeds([100, 101, 99])).toBeUndefined()
  })
})

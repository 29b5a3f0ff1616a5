import { describe, expect, it } from 'vitest'
import { BudgetSyntaxError, budgetMismatch, evaluateBudgets, parseBudget, parseMetricReference } from '../../cli/gate/budget.ts'
import type { MicroScenarioResult, VariantResult } from '../../cli/result/schema.ts'

describe('parseBudget', () => {
  it('parses the forms DESIGN.md shows, converting to base units', () => {
    expect(parseBudget('broker: ratio <= 1.10')).toMatchObject({ target: 'broker', metric: 'ratio', op: '<=', threshold: 1.1, dimension: 'ratio' })
    expect(parseBudget('pooled: p99 < 5ms')).toMatchObject({ target: 'pooled', metric: 'p99', op: '<', threshold: 5e6, unit: 'ms' })
    expect(parseBudget('unbounded: peakRss < 500MB')).toMatchObject({ metric: 'peakRss', threshold: 500e6 })
    expect(parseBudget('*: bytesPerOp <= 2kB')).toMatchObject({ target: '*', threshold: 2000 })
    expect(parseBudget('a: bytesPerOp <= 1KiB').threshold).toBe(1024)
    expect(parseBudget('a: median < 250us').threshold).toBe(250_000)
    expect(parseBudget('a: median < 250µs').threshold).toBe(250_000)
    expect(parseBudget('a: cv < 5%').threshold).toBeCloseTo(0.05)
    expect(parseBudget('a: ratio <= 10%').threshold).toBeCloseTo(1.1)
    expect(parseBudget('a: opsPerSec >= 1e6').threshold).toBe(1e6)
    expect(parseBudget('store: counters.conflicts < 100')).toMatchObject({ metric: 'counters.conflicts', dimension: 'count' })
    expect(parseBudget('  broker-2.x : ratio>=0.5 ')).toMatchObject({ target: 'broker-2.x', op: '>=', threshold: 0.5 })
  })

  const bad: Array<[string, number, RegExp]> = [
    ['broker ratio <= 1.1', 1, /expected "<variant or \*>: <metric> <op> <value>"/],
    ['broker: <= 1.1', 9, /expected a metric name/],
    ['broker: ratio == 1.1', 15, /expected one of <, <=, >, >=/],
    ['broker: ratio <== 1.1', 17, /expected a number/],
    ['broker: latency < 1ms', 9, /unknown metric "latency"/],
    ['broker: p99 < 5', 16, /p99 needs a unit/],
    ['broker: p99 < 5 parsecs', 17, /unknown unit "parsecs"/],
    ['broker: p99 < 5MB', 16, /unit "MB" does not fit p99, which is a time/],
    ['broker: ratio <= 1.1 please', 22, /unknown unit "please"/],
  ]
  it.each(bad)('rejects %j, pointing at column %i', (text, column, reason) => {
    let error: unknown
    try {
      parseBudget(text)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(BudgetSyntaxError)
    expect((error as BudgetSyntaxError).column).toBe(column)
    expect((error as BudgetSyntaxError).reason).toMatch(reason)
  })
})

function variant(name: string, medianNs: number, extra: Partial<VariantResult> = {}): VariantResult {
  return {
    name,
    isBaseline: name === 'base',
    state: 'completed',
    rounds: [],
    flags: [],
    stats: { medianNs, meanNs: medianNs, p75Ns: medianNs, p99Ns: medianNs * 2, p999Ns: medianNs * 3, minNs: 1, maxNs: 9, sdNs: 1, cv: 0.01, opsPerSec: 1e9 / medianNs, samples: 10, rounds: 10, batch: 1 },
    memory: { bytesPerOp: medianNs, batches: [], opsPerBatch: 1, discarded: 0 },
    ...extra,
  } as VariantResult
}

function scenario(variants: VariantResult[]): MicroScenarioResult {
  return {
    kind: 'micro', id: 's', name: 's', title: 's', file: 's.bench.ts', baseline: 'base', params: {}, state: 'completed', startedAt: '', durationMs: 0,
    warnings: [], budgets: [], claims: [], settings: { roundMs: 10, minEffect: 0.05, alpha: 0.01, resamples: 100, level: 0.99 },
    variants,
    comparisons: [{ variant: 'slow', baseline: 'base', ratio: { estimate: 1.2, low: 1.1, high: 1.3, level: 0.99 }, pValue: 0.001, test: 'wilcoxon-signed-rank', n: 12, verdict: 'slower', minEffect: 0.05, alpha: 0.01 }],
  }
}

describe('evaluateBudgets', () => {
  const s = scenario([variant('base', 1000), variant('slow', 1200), { name: 'dead', isBaseline: false, state: 'errored', phase: 'setup', error: { message: 'x' }, rounds: [], flags: [] }])
  const run = (text: string) => evaluateBudgets(s, [{ budget: parseBudget(text), origin: 'scenario' }])

  it('passes and fails on the measured value, printed in the budget\'s unit', () => {
    expect(run('slow: ratio <= 1.05')).toMatchObject([{ state: 'fail', measured: 1.2, interval: { low: 1.1, high: 1.3 }, measuredText: '1.20× [1.10×–1.30×]' }])
    expect(run('slow: ratio <= 1.35')).toMatchObject([{ state: 'pass' }])
    expect(run('slow: ratio.high <= 1.25')).toMatchObject([{ state: 'fail', measured: 1.3 }])
    expect(run('slow: p99 < 2.5us')).toMatchObject([{ state: 'pass', measured: 2400, measuredText: '2.4us' }])
    expect(run('slow: bytesPerOpRatio < 1.1')).toMatchObject([{ state: 'fail', measured: 1.2 }])
    expect(run('slow: bytesPerOpDelta <= 200B')).toMatchObject([{ state: 'pass', measured: 200, measuredText: '200B' }])
    expect(run('base: bytesPerOpDelta <= 1kB')).toMatchObject([{ state: 'missing' }])
  })

  it("reads can't tell when the interval of a ratio, throughputRatio or delta straddles the threshold", () => {
    // slow: 1.20× [1.10–1.30] of a 1 µs baseline.
    expect(run('slow: ratio <= 1.25')).toMatchObject([{ state: 'cant-tell', measured: 1.2, message: 'the interval straddles the threshold' }])
    expect(run('slow: ratio <= 1.1')).toMatchObject([{ state: 'cant-tell' }]) // the low end sits on the threshold
    expect(run('slow: throughputRatio >= 0.8')).toMatchObject([{ state: 'cant-tell' }]) // [0.769–0.909]
    expect(run('slow: throughputRatio >= 0.75')).toMatchObject([{ state: 'pass' }])
    expect(run('slow: throughputRatio >= 0.95')).toMatchObject([{ state: 'fail' }])
    expect(run('slow: delta < 250ns')).toMatchObject([{ state: 'cant-tell' }]) // [100–300 ns]
    expect(run('slow: delta < 350ns')).toMatchObject([{ state: 'pass' }])
    expect(run('slow: delta < 50ns')).toMatchObject([{ state: 'fail' }])
  })

  it('expands * to every variant, skipping the baseline for ratios, and marks unmeasurable ones missing', () => {
    expect(run('*: ratio < 2').map((r) => [r.variant, r.state])).toEqual([['slow', 'pass'], ['dead', 'missing']])
    expect(run('*: median < 1.1us').map((r) => [r.variant, r.state])).toEqual([['base', 'pass'], ['slow', 'fail'], ['dead', 'missing']])
  })

  it('meanRatio pairs rounds by index and takes the median of the ratios of their means', () => {
    const round = (index: number, medianNs: number, meanNs: number) => ({ index, position: 0, samples: 10, ops: 10, medianNs, meanNs, minNs: 1, maxNs: meanNs * 3, p99Ns: meanNs * 3 })
    // A cache at 80 % hits: the median op is a hit (10), the mean is 0.8 × 10 + 0.2 × 1000 = 208.
    const base = variant('base', 1000, { rounds: [round(0, 1000, 1000), round(1, 1000, 1040), round(2, 1000, 1000), round(3, 900, 900)] })
    const cached = variant('slow', 10, { rounds: [round(0, 10, 208), round(1, 10, 260), round(2, 10, 250), round(5, 10, 1)] })
    const mix = scenario([base, cached])
    const [result] = evaluateBudgets(mix, [{ budget: parseBudget('slow: meanRatio <= 0.125'), origin: 'scenario' }])
    // Rounds 0, 1, 2 pair (3 and 5 have no partner): ratios 0.208, 0.25, 0.25 → median 0.25.
    expect(result).toMatchObject({ state: 'fail', measured: 0.25 })
    expect(evaluateBudgets(mix, [{ budget: parseBudget('base: meanRatio <= 1'), origin: 'scenario' }])).toMatchObject([{ state: 'missing' }])
    expect(evaluateBudgets(scenario([base, variant('slow', 10)]), [{ budget: parseBudget('slow: meanRatio < 1'), origin: 'scenario' }])).toMatchObject([{ state: 'missing' }])
  })

  it('reads a variant\'s figure without judging it (claims)', () => {
    const ref = parseMetricReference('slow: median')!
    expect(evaluateBudgets(s, [{ budget: ref, origin: 'scenario' }])).toMatchObject([{ state: 'pass', measured: 1200, measuredText: '1.20 µs' }])
    expect(parseMetricReference('slow median')).toBeUndefined()
    expect(parseMetricReference('slow: nothing')).toBeUndefined()
  })
})

describe('budgetMismatch', () => {
  it('accepts a budget whose variant exists (or *) and whose metric the kind measures', () => {
    expect(budgetMismatch(parseBudget('b: ratio <= 1.1'), ['a', 'b'])).toBeUndefined()
    expect(budgetMismatch(parseBudget('*: bytesPerOp <= 2kB'), ['a', 'b'])).toBeUndefined()
    expect(budgetMismatch(parseBudget('pooled: dropRate < 1%'), ['pooled'], 'load')).toBeUndefined()
    expect(budgetMismatch(parseBudget('raw: throughput >= 10000/s'), ['raw'], 'http')).toBeUndefined()
  })
  it('names a variant the scenario does not have, and the variants it has', () => {
    expect(budgetMismatch(parseBudget('c: ratio <= 1.1'), ['a', 'b'])).toBe('budget "c: ratio <= 1.1" names variant "c", which the scenario does not have (variants: a, b)')
  })
  it('names a metric the scenario\'s kind does not measure, and the ones it does', () => {
    expect(budgetMismatch(parseBudget('a: dropRate < 1%'), ['a'], 'micro')).toMatch(/^budget "a: dropRate < 1%": micro scenarios have no metric "dropRate" \(they have: ratio, .*counters\.<name>\)$/)
    expect(budgetMismatch(parseBudget('a: bytesPerOp < 1kB'), ['a'], 'load')).toMatch(/load scenarios have no metric "bytesPerOp"/)
  })
})

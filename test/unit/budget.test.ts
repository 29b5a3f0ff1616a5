import { describe, expect, it } from 'vitest'
import { BudgetSyntaxError, evaluateBudgets, parseBudget, parseMetricReference } from '../../cli/gate/budget.ts'
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
    expect(run('slow: ratio <= 1.1')).toMatchObject([{ state: 'fail', measured: 1.2, measuredText: '1.20×' }])
    expect(run('slow: ratio <= 1.25')).toMatchObject([{ state: 'pass' }])
    expect(run('slow: p99 < 2.5us')).toMatchObject([{ state: 'pass', measured: 2400, measuredText: '2.4us' }])
    expect(run('slow: bytesPerOpRatio < 1.1')).toMatchObject([{ state: 'fail', measured: 1.2 }])
  })

  it('expands * to every variant, skipping the baseline for ratios, and marks unmeasurable ones missing', () => {
    expect(run('*: ratio < 2').map((r) => [r.variant, r.state])).toEqual([['slow', 'pass'], ['dead', 'missing']])
    expect(run('*: median < 1.1us').map((r) => [r.variant, r.state])).toEqual([['base', 'pass'], ['slow', 'fail'], ['dead', 'missing']])
  })

  it('reads a variant\'s figure without judging it (claims)', () => {
    const ref = parseMetricReference('slow: median')!
    expect(evaluateBudgets(s, [{ budget: ref, origin: 'scenario' }])).toMatchObject([{ state: 'pass', measured: 1200, measuredText: '1.20 µs' }])
    expect(parseMetricReference('slow median')).toBeUndefined()
    expect(parseMetricReference('slow: nothing')).toBeUndefined()
  })
})

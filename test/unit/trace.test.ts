/** The span API: self times that add up, nesting across awaits, concurrent operations kept apart, a no-op when off. */
import { setTimeout as sleep } from 'node:timers/promises'
import { afterEach, describe, expect, it } from 'vitest'
import { isTracing, span, spanStart, startTracing, stopTracing, traceOp, type OpTrace } from '../../cli/trace/index.ts'
import { summarizeBreakdown } from '../../cli/stats/breakdown.ts'

/** An operation with awaited, nested and synchronous phases. */
async function operation(): Promise<string> {
  await span('outer', async () => {
    await sleep(2)
    await span('inner', () => sleep(2))
    span('sync', () => {
      for (let i = 0; i < 1e4; i++) Math.sqrt(i)
    })
  })
  const end = spanStart('tail')
  await sleep(1)
  end()
  return 'done'
}

afterEach(() => {
  stopTracing()
})

describe.each([false, true])('tracing (sequential: %s)', (sequential) => {
  it('records each phase once per op, nested phases apart from their parent, and phases + rest = total', async () => {
    startTracing({ sequential })
    for (let i = 0; i < 3; i++) expect(await traceOp(operation)).toBe('done')
    const ops = stopTracing()
    expect(ops).toHaveLength(3)
    for (const op of ops) {
      expect(Object.keys(op.phases).sort()).toEqual(['inner', 'outer', 'sync', 'tail'])
      const attributed = Object.values(op.phases).reduce((a, b) => a + b, 0)
      expect(attributed).toBeLessThanOrEqual(op.totalNs)
      // `outer` lasted at least its own sleep plus `inner`'s; its self time excludes `inner`.
      expect(op.phases.inner!).toBeGreaterThan(0)
      expect(op.phases.outer!).toBeGreaterThan(0)
    }
    const breakdown = summarizeBreakdown(ops)
    expect(breakdown.phases.reduce((sum, p) => sum + p.meanNs, 0) + breakdown.restMeanNs).toBeCloseTo(breakdown.totalMeanNs, 6)
    expect(breakdown.restMeanNs).toBeGreaterThanOrEqual(0)
  })

  it('does nothing outside a traced pass or outside an operation', async () => {
    expect(isTracing()).toBe(false)
    expect(await operation()).toBe('done')
    startTracing({ sequential })
    expect(await operation()).toBe('done')
    expect(stopTracing()).toEqual([])
  })
})

it('keeps operations that run at the same time apart (concurrent mode)', async () => {
  startTracing()
  const tagged = (name: string, ms: number) => traceOp(() => span(name, () => sleep(ms)))
  await Promise.all([tagged('a', 3), tagged('b', 1), tagged('a', 2)])
  const ops: OpTrace[] = stopTracing()
  expect(ops.map((op) => Object.keys(op.phases))).toEqual(expect.arrayContaining([['a'], ['b'], ['a']]))
  expect(ops).toHaveLength(3)
})

/** Summarising traced operations into a latency breakdown whose parts add up. */
import type { OpTrace } from '../../fixtures/trace/index.ts'
import type { Breakdown, BreakdownPhase } from '../result/schema.ts'
import { median } from './describe.ts'

/**
 * Means are additive where medians are not: each phase's mean self time over ALL ops (0 where it
 * did not run) plus the rest's mean equals the mean total exactly, so the stacked bar adds up.
 */
export function summarizeBreakdown(ops: readonly OpTrace[]): Breakdown {
  if (ops.length === 0) throw new RangeError('breakdown of no traced operations')
  const names = new Set<string>()
  for (const op of ops) for (const name of Object.keys(op.phases)) names.add(name)
  const totals = ops.map((op) => op.totalNs)
  const totalMeanNs = totals.reduce((a, b) => a + b, 0) / ops.length
  const phases: BreakdownPhase[] = [...names].map((name) => {
    const values = ops.map((op) => op.phases[name] ?? 0)
    const meanNs = values.reduce((a, b) => a + b, 0) / ops.length
    return {
      name,
      meanNs,
      medianNs: median(values),
      share: totalMeanNs > 0 ? meanNs / totalMeanNs : 0,
      count: ops.filter((op) => name in op.phases).length,
    }
  })
  phases.sort((a, b) => b.meanNs - a.meanNs)
  const restMeanNs = totalMeanNs - phases.reduce((sum, p) => sum + p.meanNs, 0)
  return {
    ops: ops.length,
    totalMeanNs,
    totalMedianNs: median(totals),
    phases,
    restMeanNs,
    restShare: totalMeanNs > 0 ? restMeanNs / totalMeanNs : 0,
  }
}

/** Summarising traced operations into a latency breakdown whose parts add up. */
import type { OpTrace } from '../trace/index.ts'
import type { Breakdown, BreakdownPhase } from '../result/schema.ts'
import { median } from './describe.ts'

/** A traced op this many times slower than the median one was stalled (preempted, a GC pause), not slow in any phase. */
export const OUTLIER_FACTOR = 10

/** Phases adding up to more than the op by over this share of it ran concurrently. */
const OVERLAP_TOLERANCE = 0.01

/**
 * Means are additive where medians are not: each phase's mean self time over ALL ops (0 where it
 * did not run) plus the rest's mean equals the mean total exactly, so the stacked bar adds up.
 *
 * Means are also at the mercy of a few stalls: on a busy machine, a handful of ops preempted for
 * milliseconds made a 17 µs operation's mean 220 µs, all of it in the rest. Ops slower than
 * OUTLIER_FACTOR × the median op are therefore left out (and counted in `outliers`).
 */
export function summarizeBreakdown(traced: readonly OpTrace[]): Breakdown {
  if (traced.length === 0) throw new RangeError('breakdown of no traced operations')
  const limit = OUTLIER_FACTOR * median(traced.map((op) => op.totalNs))
  const ops = traced.filter((op) => op.totalNs <= limit)
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
    ...(ops.length < traced.length ? { outliers: traced.length - ops.length } : {}),
    // Phases that ran side by side overlap; a sliver below zero is rounding in the clock, not overlap.
    ...(restMeanNs < -OVERLAP_TOLERANCE * totalMeanNs ? { overlapping: true as const } : {}),
  }
}

/**
 * Between-run noise: how far two runs of identical code land apart, and how that widens a head ÷
 * base comparison. Pure functions.
 *
 * Why: one run's rounds share one process per variant (one JIT outcome, one memory layout, one
 * core) and one stretch of machine time, so two runs of the same code differ by more than the
 * spread of rounds within either run — and not in a bell shape: on a small shared machine most runs
 * agree within a fraction of a percent while now and then a whole process lands a few percent off.
 * An interval built from rounds alone is too narrow across runs, and a gate built on it cries wolf.
 *
 * `perfkit calibrate` runs the scenarios several times and compares each run with the others pooled,
 * exactly as the gate compares a run with a baseline (A/A changes). The noise floor is the band that
 * held every one of those changes. It assumes no bell shape: a new run of identical code is as
 * likely as any calibration run to be the most extreme, so it falls outside the band with
 * probability at most 1/(runs + 1).
 */
import type { ScenarioCalibration, VariantCalibration } from '../result/schema.ts'
import { hodgesLehmannShift } from '../stats/hodges-lehmann.ts'

/**
 * Each run against the others pooled: head ÷ base of the runs' figures (Hodges–Lehmann shift of the
 * logs, the estimate the gate uses). `runs[k]` holds run k's per-round figures.
 */
export function leaveOneOutChanges(runs: ReadonlyArray<readonly number[]>): number[] {
  return runs.map((head, k) => {
    const base = runs.filter((_, j) => j !== k).flat()
    return Math.exp(hodgesLehmannShift(base.map(Math.log), head.map(Math.log)))
  })
}

/**
 * The noise floor for comparisons whose base pools `baseRuns` runs, from the A/A changes of a
 * calibration of `runs` runs (each change: one run against `runs − 1` pooled): the width, as a
 * fraction, of the band ±h that holds them all, h = the largest |log change|.
 *
 * A base that pools fewer runs than the calibration's comparisons did moves more: h grows by
 * √((1 + 1/baseRuns) / (1 + 1/(runs − 1))), the ratio of the spreads of head − base in the two cases.
 */
export function noiseFloor(changes: readonly number[], runs: number, baseRuns: number): number {
  if (changes.length === 0 || runs < 2) return 0
  let widest = 0
  for (const change of changes) widest = Math.max(widest, Math.abs(Math.log(change)))
  const scale = Math.sqrt((1 + 1 / Math.max(1, baseRuns)) / (1 + 1 / (runs - 1)))
  return Math.expm1(2 * widest * scale)
}

/** The noise floor of each reading over every variant's A/A changes. */
export function floors(variants: readonly VariantCalibration[], runs: number, baseRuns: number): ScenarioCalibration['noiseFloor'] {
  const ratioChanges = variants.flatMap((v) => v.ratioChanges ?? [])
  return {
    time: noiseFloor(variants.flatMap((v) => v.timeChanges), runs, baseRuns),
    ...(ratioChanges.length > 0 ? { ratio: noiseFloor(ratioChanges, runs, baseRuns) } : {}),
  }
}

/**
 * Widens an interval of head ÷ base by the noise floor: in log space each side's half-width and
 * half the floor are added in quadrature (independent errors: the rounds, and where each run landed).
 */
export function widenByNoise(interval: { estimate: number; low: number; high: number }, floor: number): { low: number; high: number } {
  if (floor <= 0) return { low: interval.low, high: interval.high }
  const noise = Math.log1p(floor) / 2
  const centre = Math.log(interval.estimate)
  const below = centre - Math.log(interval.low)
  const above = Math.log(interval.high) - centre
  return { low: Math.exp(centre - Math.hypot(below, noise)), high: Math.exp(centre + Math.hypot(above, noise)) }
}

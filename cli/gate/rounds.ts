/** The per-round figures the gate compares: round times, and per-round ratios to the baseline variant. */
import type { AnyVariantResult, HttpRound, RoundSummary } from '../result/schema.ts'

/** What carries rounds a comparison can read: a variant result, or a scheduler's variant while it runs. */
export type WithRounds = Pick<AnyVariantResult, 'rounds'> | { rounds: ReadonlyArray<RoundSummary> } | { rounds: ReadonlyArray<HttpRound> }

/** Per-round times (ns): per op for micro, per request (1 / requests per second) for http. */
export function roundTimes(variant: WithRounds, kind: 'micro' | 'http'): Map<number, number> {
  const times = new Map<number, number>()
  if (kind === 'micro') for (const r of variant.rounds as ReadonlyArray<RoundSummary>) times.set(r.index, r.medianNs)
  else for (const r of variant.rounds as ReadonlyArray<HttpRound>) if (r.requestsPerSec > 0) times.set(r.index, 1e9 / r.requestsPerSec)
  return times
}

/** Per-round ratios of a variant to the baseline variant, paired by round index. */
export function roundRatios(variant: ReadonlyMap<number, number>, baseline: ReadonlyMap<number, number>): number[] {
  const ratios: number[] = []
  for (const [index, time] of variant) {
    const reference = baseline.get(index)
    if (reference !== undefined && reference > 0 && time > 0) ratios.push(time / reference)
  }
  return ratios
}

/** The process each round ran in, by round index (0 for results of one process per variant). */
export function roundProcesses(variant: WithRounds): Map<number, number> {
  const processes = new Map<number, number>()
  for (const r of variant.rounds as ReadonlyArray<{ index: number; process?: number }>) processes.set(r.index, r.process ?? 0)
  return processes
}

/** Per-round ratios of a variant to the baseline variant, by round index. */
export function roundRatioMap(variant: ReadonlyMap<number, number>, baseline: ReadonlyMap<number, number>): Map<number, number> {
  const ratios = new Map<number, number>()
  for (const [index, time] of variant) {
    const reference = baseline.get(index)
    if (reference !== undefined && reference > 0 && time > 0) ratios.set(index, time / reference)
  }
  return ratios
}

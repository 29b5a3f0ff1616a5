/**
 * Two speeds in one variant's rounds. On a shared VM code that touches memory can run at two
 * speeds (the same function at 322 ns or ~600 ns, for several rounds or a whole process); a CV
 * hides that, a reader should see it. Pure.
 */
import { median } from './describe.ts'

export interface Speed {
  /** Median round figure of the group. */
  value: number
  rounds: number
}

/** Groups this far apart (ratio of neighbouring sorted rounds) are two speeds, not spread. */
const MIN_GAP = 1.15
/** ... and the gap must be this many times wider than the spread (range) inside either group. */
const GAP_OVER_SPREAD = 2

/**
 * The two speeds among round figures, when there are two: the widest gap between neighbouring sorted
 * values splits them into a fast and a slow group of at least two rounds each, the slow group's
 * median at least 15 % above the fast one's, and the gap at least twice the widest spread
 * (max − min, in log terms) inside a group. Undefined for one speed.
 */
export function twoSpeeds(values: readonly number[]): { fast: Speed; slow: Speed } | undefined {
  const sorted = values.filter((v) => v > 0 && Number.isFinite(v)).sort((a, b) => a - b)
  if (sorted.length < 4) return undefined
  const logs = sorted.map(Math.log)
  let split = -1
  let widest = 0
  for (let k = 2; k <= logs.length - 2; k++) {
    const gap = logs[k]! - logs[k - 1]!
    if (gap > widest) {
      widest = gap
      split = k
    }
  }
  if (split < 0 || widest < Math.log(MIN_GAP)) return undefined
  const spread = Math.max(logs[split - 1]! - logs[0]!, logs[logs.length - 1]! - logs[split]!)
  if (widest < GAP_OVER_SPREAD * spread) return undefined
  const fast = sorted.slice(0, split)
  const slow = sorted.slice(split)
  return { fast: { value: median(fast), rounds: fast.length }, slow: { value: median(slow), rounds: slow.length } }
}

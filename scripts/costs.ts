/** Functions of known cost for comparing perfkit's figures with mitata's on the same code. */

const DATA = Float64Array.from({ length: 100_000 }, (_, i) => (i * 7919) % 1000)
let cursor = 0

/** Sums `n` square roots from a rotating window, so nothing can be folded away or hoisted. */
function sqrtSum(n: number): number {
  cursor = (cursor + 1) % 1024
  let acc = 0
  for (let i = 0; i < n; i++) acc += Math.sqrt(DATA[(cursor + i) % DATA.length]!)
  return acc
}

/** ~50 ns */
export const fn50ns = (): number => sqrtSum(24)
/** ~1 µs */
export const fn1us = (): number => sqrtSum(500)
/** ~100 µs */
export const fn100us = (): number => sqrtSum(50_000)
export const empty = (): void => {}

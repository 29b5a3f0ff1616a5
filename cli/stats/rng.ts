/** A seeded random number generator, so round orders and bootstrap intervals can be reproduced. */

/** Uniform in [0, 1). */
export type Rng = () => number

/** Stable 32-bit hash, so each comparison (and each round order) gets its own seed derived from the run's. */
export function hashSeed(seed: number, text: string): number {
  let h = (seed ^ 0x9e3779b9) >>> 0
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0
  return h
}

/** splitmix32: spreads a seed over the state words. */
function splitmix32(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s + 0x9e3779b9) >>> 0
    let z = s
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0
    return (z ^ (z >>> 16)) >>> 0
  }
}

/** sfc32 seeded through splitmix32: fast, well-distributed, deterministic for a seed. */
export function createRng(seed: number): Rng {
  const init = splitmix32(seed)
  let a = init()
  let b = init()
  let c = init()
  let d = init()
  const next = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0
    d = (d + 1) >>> 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) >>> 0
    c = ((c << 21) | (c >>> 11)) >>> 0
    c = (c + t) >>> 0
    return t / 4294967296
  }
  for (let i = 0; i < 12; i++) next()
  return next
}

/** A whole number in [0, n). */
export function randomInt(rng: Rng, n: number): number {
  return Math.floor(rng() * n)
}

/** Fisher–Yates; returns a shuffled copy. */
export function shuffle<T>(items: readonly T[], rng: Rng): T[] {
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(rng, i + 1)
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out
}

/**
 * The variant order of each round, ABBA-like: rounds come in pairs, the first a fresh random
 * permutation, the second its reverse, so every variant spends as long in each position and a
 * drifting machine hits all variants alike.
 */
export function roundOrders(variants: readonly string[], rounds: number, rng: Rng): string[][] {
  const orders: string[][] = []
  for (let r = 0; r < rounds; r++) {
    orders.push(r % 2 === 0 ? shuffle(variants, rng) : [...orders[r - 1]!].reverse())
  }
  return orders
}

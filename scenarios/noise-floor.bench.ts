/**
 * The A/A checks: two identical variants. Run them to see the noise floor of this machine: the
 * verdict should be `same`, and the interval's width is how small a change a run can resolve.
 *
 * - `noise-floor`: an arithmetic loop, the quietest code there is;
 * - `noise-floor-alloc`: object building (200 envelopes per call), the noise floor of ordinary
 *   code that touches memory, which on a shared VM runs at more than one speed.
 *
 * `--param slowdown=0.1` makes `b` do 10 % more of the same work, to check that perfkit detects it.
 */
import { defineScenario } from 'perfkit'
import { makeEvents, processFresh } from '../fixtures/pooling/index.ts'

/** Deterministic integer work whose cost is proportional to `iterations`. */
export function work(iterations: number): number {
  let h = 0x811c9dc5
  for (let i = 0; i < iterations; i++) h = Math.imul(h ^ i, 0x01000193)
  return h >>> 0
}

export default [
  defineScenario({
    name: 'noise-floor',
    title: 'A/A check: two identical variants',
    description: 'Both variants run the same 2 000-step hash loop in their own processes. Any verdict but `same` is noise.',
    baseline: 'a',
    params: { iterations: [2000], slowdown: [0] },
    setup: ({ params }) => {
      const iterations = Number(params.iterations)
      return { a: iterations, b: Math.round(iterations * (1 + Number(params.slowdown))) }
    },
    variants: {
      a: (s) => work(s.a),
      b: (s) => work(s.b),
    },
    claims: [{ text: 'Identical variants are judged the same', check: 'b: ratio <= 1.05' }],
  }),

  defineScenario({
    name: 'noise-floor-alloc',
    title: 'A/A check on object-building code',
    description: 'Both variants wrap the same 200 events in new envelope objects, in their own processes. Any verdict but `same` is noise.',
    baseline: 'a',
    params: { events: [200], slowdown: [0] },
    setup: ({ params }) => {
      const events = Number(params.events)
      const all = makeEvents(Math.round(events * (1 + Number(params.slowdown))))
      return { a: all.slice(0, events), b: all }
    },
    variants: {
      a: (s) => processFresh(s.a),
      b: (s) => processFresh(s.b),
    },
    claims: [{ text: 'Identical variants are judged the same', check: 'b: ratio <= 1.05' }],
  }),
]

/**
 * How many events per second the pooled event bus dispatches when its handlers do nothing: the
 * bus's own cost (queue, workers, backpressure, completion tracking), against the seed's
 * 50 000–100 000 events/s for its worker pool. One process, one producer offering as fast as the
 * bus accepts (with `block`, emit returns a promise only when the queue is full).
 *
 *   node --import tsx scripts/eventbus-dispatch.ts [seconds per round = 1]
 */
import { PooledEventBus, UnboundedEventBus, type EventBus, type Handler } from '../fixtures/eventbus/index.ts'

const seconds = Number(process.argv[2] ?? 1)

interface Case {
  name: string
  make: (onHandled: () => void) => EventBus
  handlers: number
  handler: Handler
}

const noop: Handler = () => undefined
const asyncNoop: Handler = async () => undefined
const pooled = (onHandled: () => void) => new PooledEventBus({ workers: 50, queueSize: 10_000, policy: 'block', onHandled })
const cases: Case[] = [
  { name: 'pooled (50 workers, queue 10 000, block), 1 no-op handler', make: pooled, handlers: 1, handler: noop },
  { name: 'pooled, 5 no-op handlers', make: pooled, handlers: 5, handler: noop },
  { name: 'pooled, 1 async no-op handler (returns a promise)', make: pooled, handlers: 1, handler: asyncNoop },
  { name: 'pooled, 5 async no-op handlers', make: pooled, handlers: 5, handler: asyncNoop },
  { name: 'unbounded, 5 async no-op handlers (for comparison)', make: (onHandled) => new UnboundedEventBus({ onHandled }), handlers: 5, handler: asyncNoop },
  { name: 'no bus: call 5 async no-op handlers and await them (the ceiling for any bus)', make: pooled, handlers: 0, handler: asyncNoop },
]

/**
 * No bus at all: call five async no-op handlers and wait for them, as fast as one loop can. The
 * ceiling any bus dispatching to such handlers can reach on this machine.
 */
async function ceiling(ms: number): Promise<{ perSec: number; maxQueue: number }> {
  const end = performance.now() + ms
  const start = performance.now()
  let events = 0
  while (performance.now() < end) {
    for (let k = 0; k < 1000; k++) {
      const running = [asyncNoop, asyncNoop, asyncNoop, asyncNoop, asyncNoop].map((h) => h({ type: 'event', payload: events }))
      for (const p of running) await p
      events++
    }
  }
  return { perSec: (events / (performance.now() - start)) * 1000, maxQueue: 0 }
}

async function measure(c: Case, ms: number): Promise<{ perSec: number; maxQueue: number }> {
  if (c.handlers === 0) return ceiling(ms)
  let handled = 0
  const bus = c.make(() => handled++)
  for (let i = 0; i < c.handlers; i++) bus.subscribe('event', c.handler, { async: true })
  const end = performance.now() + ms
  let i = 0
  const start = performance.now()
  while (performance.now() < end) {
    // Check the clock every 1000 emits; an emit that blocks hands the loop to the workers.
    for (let k = 0; k < 1000; k++) {
      const pending = bus.emit('event', i++)
      if (pending) await pending
    }
    // Unbounded never pushes back: let its handlers' promises settle now and then.
    if (!(bus instanceof PooledEventBus)) await new Promise((r) => setImmediate(r))
  }
  const elapsed = performance.now() - start
  const counted = handled
  const maxQueue = bus.metrics().maxQueueLength
  await bus.close({ drain: false })
  return { perSec: (counted / elapsed) * 1000, maxQueue }
}

// Cases take turns, round after round, so a busy machine's drift hits them alike; the median of
// the rounds is reported with the range.
const rounds = 5
console.log(`Node ${process.version} · ${rounds} rounds of ${seconds} s per case, interleaved (after a 0.5 s warm-up each)`)
for (const c of cases) await measure(c, 500)
const rates = cases.map(() => [] as number[])
let maxQueue = 0
for (let round = 0; round < rounds; round++) {
  for (const [i, c] of cases.entries()) {
    const result = await measure(c, seconds * 1000)
    rates[i]!.push(result.perSec)
    maxQueue = Math.max(maxQueue, result.maxQueue)
  }
}
const fmt = (n: number) => Math.round(n).toLocaleString('en-US')
for (const [i, c] of cases.entries()) {
  const sorted = [...rates[i]!].sort((a, b) => a - b)
  console.log(`${c.name}: ${fmt(sorted[rounds >> 1]!)} events/s handled (median; ${fmt(sorted[0]!)}–${fmt(sorted[rounds - 1]!)})`)
}
console.log(`the pooled queue never held more than ${maxQueue} events (capacity 10 000)`)

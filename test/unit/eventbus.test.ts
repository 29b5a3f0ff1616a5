/** The in-process event buses: bounds, backpressure policies, exactly-once handling, errors, close. */
import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import {
  BusClosedError,
  PooledEventBus,
  ThreadPoolEventBus,
  UnboundedEventBus,
  WorkerPerEventBus,
  threadTask,
  type BackpressurePolicy,
  type BusEvent,
  type EventBus,
} from '../../fixtures/eventbus/index.ts'
import { Fifo } from '../../fixtures/eventbus/fifo.ts'

/** Records what each handler saw and what the bus reported, for exact counts. */
function recorder() {
  const handledIds: number[] = []
  const droppedIds: number[] = []
  const errors: unknown[] = []
  return {
    handledIds,
    droppedIds,
    errors,
    callbacks: {
      onHandled: (event: BusEvent, error?: unknown) => {
        handledIds.push(event.payload as number)
        if (error !== undefined) errors.push(error)
      },
      onDropped: (event: BusEvent) => droppedIds.push(event.payload as number),
    },
  }
}

/** `producers` concurrent loops, each emitting `each` events (awaiting the bus's backpressure). */
async function produce(bus: EventBus, producers: number, each: number, watch?: () => void): Promise<number> {
  let next = 0
  await Promise.all(
    Array.from({ length: producers }, async () => {
      for (let i = 0; i < each; i++) {
        const pending = bus.emit('e', next++)
        watch?.()
        if (pending) await pending
        if (i % 7 === 0) await new Promise((r) => setImmediate(r))
      }
    }),
  )
  return next
}

/** Async handlers that take 1–3 ms and record each event they saw. */
function slowHandlers(bus: EventBus, count: number): Array<Map<number, number>> {
  return Array.from({ length: count }, (_, h) => {
    const seen = new Map<number, number>()
    bus.subscribe(
      'e',
      async (event) => {
        const id = event.payload as number
        seen.set(id, (seen.get(id) ?? 0) + 1)
        await sleep(1 + ((id + h) % 3))
      },
      { async: true },
    )
    return seen
  })
}

const everyOnce = (seen: Map<number, number>, emitted: number) => seen.size === emitted && [...seen.values()].every((n) => n === 1)

describe('Fifo', () => {
  it('keeps order across growth and wrap-around', () => {
    const q = new Fifo<number>(2)
    const out: number[] = []
    for (let i = 0; i < 100; i++) {
      q.push(i)
      if (i % 3 === 0) out.push(q.shift()!)
    }
    out.push(...q.drain())
    expect(out).toEqual(Array.from({ length: 100 }, (_, i) => i))
    expect(q.size).toBe(0)
    expect(q.shift()).toBeUndefined()
  })
})

describe.each<BackpressurePolicy>(['block', 'drop', 'caller-runs'])('pooled bus, policy %s', (policy) => {
  it('never holds more than its capacity, and accounts for every event exactly', async () => {
    const rec = recorder()
    const capacity = 20
    const bus = new PooledEventBus({ workers: 4, queueSize: capacity, policy, ...rec.callbacks })
    const seen = slowHandlers(bus, 3)
    let observedMax = 0
    const emitted = await produce(bus, 50, 20, () => (observedMax = Math.max(observedMax, bus.metrics().queueLength)))
    await bus.close()
    const m = bus.metrics()
    expect(observedMax).toBeLessThanOrEqual(capacity)
    expect(m.maxQueueLength).toBe(capacity) // it filled, and no further: the policy was exercised
    expect(m.emitted).toBe(emitted)
    expect(m.inFlight).toBe(0)
    // Each event was handled once or dropped once — never both, never twice.
    expect(rec.handledIds.length + rec.droppedIds.length).toBe(emitted)
    expect(new Set([...rec.handledIds, ...rec.droppedIds]).size).toBe(emitted)
    expect(m.handled).toBe(rec.handledIds.length)
    expect(m.dropped).toBe(rec.droppedIds.length)
    for (const handler of seen) {
      expect(handler.size).toBe(rec.handledIds.length)
      expect([...handler.values()].every((n) => n === 1)).toBe(true)
    }
    if (policy === 'drop') {
      expect(m.dropped).toBeGreaterThan(0)
      expect(m.handled + m.dropped).toBe(emitted)
    } else {
      expect(m.dropped).toBe(0)
      expect(m.handled).toBe(emitted)
      for (const handler of seen) expect(everyOnce(handler, emitted)).toBe(true)
    }
    if (policy === 'caller-runs') expect(m.callerRuns).toBeGreaterThan(0)
    else expect(m.callerRuns).toBe(0)
  })
})

describe('pooled bus', () => {
  it('block: a full queue makes emit wait, first come first served', async () => {
    const order: number[] = []
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    const bus = new PooledEventBus({ workers: 1, queueSize: 2, policy: 'block' })
    bus.subscribe(
      'e',
      async (e) => {
        await gate
        order.push(e.payload as number)
      },
      { async: true },
    )
    const results = [0, 1, 2, 3, 4].map((i) => bus.emit('e', i))
    // 0 and 1 fill the queue (the worker starts on a microtask); 2, 3 and 4 wait.
    expect(results.slice(0, 2)).toEqual([undefined, undefined])
    expect(results[2]).toBeInstanceOf(Promise)
    await sleep(5)
    // The worker took 0, which let 2 in: the queue is full again and 3, 4 still wait.
    expect(bus.metrics()).toMatchObject({ queueLength: 2, blockedProducers: 2 })
    release()
    await Promise.all(results)
    await bus.close()
    expect(order).toEqual([0, 1, 2, 3, 4])
  })

  it('workers bound the events handled at once', async () => {
    let running = 0
    let most = 0
    const bus = new PooledEventBus({ workers: 3, queueSize: 100 })
    bus.subscribe(
      'e',
      async () => {
        most = Math.max(most, ++running)
        await sleep(2)
        running--
      },
      { async: true },
    )
    await produce(bus, 10, 5)
    await bus.close()
    expect(most).toBe(3)
  })

  it('close without drain discards the queue and fails blocked emits; emit after close throws', async () => {
    const rec = recorder()
    const bus = new PooledEventBus({ workers: 1, queueSize: 1, policy: 'block', ...rec.callbacks })
    bus.subscribe('e', () => sleep(50), { async: true })
    bus.emit('e', 0)
    await sleep(1) // the worker has taken 0
    bus.emit('e', 1)
    const blocked = bus.emit('e', 2)
    await bus.close({ drain: false })
    await expect(blocked).rejects.toBeInstanceOf(BusClosedError)
    expect(bus.metrics()).toMatchObject({ discarded: 2, queueLength: 0, blockedProducers: 0 })
    expect(() => bus.emit('e', 3)).toThrow(BusClosedError)
    expect(rec.droppedIds.sort()).toEqual([1, 2])
  })

  it('rejects nonsense settings with the setting named', () => {
    expect(() => new PooledEventBus({ workers: 0 })).toThrow(/workers must be a whole number ≥ 1/)
    expect(() => new PooledEventBus({ queueSize: 1.5 })).toThrow(/queueSize must be a whole number ≥ 1/)
    expect(() => new PooledEventBus({ policy: 'panic' as BackpressurePolicy })).toThrow(/policy must be one of block, drop, caller-runs/)
  })
})

describe('unbounded bus', () => {
  it('handles every event exactly once, with every handler started at once', async () => {
    const rec = recorder()
    const bus = new UnboundedEventBus(rec.callbacks)
    const seen = slowHandlers(bus, 5)
    const emitted = await produce(bus, 20, 25)
    // Nothing queues and nothing pushes back: every event emitted is either handled or in flight.
    const during = bus.metrics()
    expect(during.inFlight).toBeGreaterThan(0)
    expect(during.inFlight + during.handled).toBe(emitted)
    await bus.close()
    expect(bus.metrics()).toMatchObject({ emitted, handled: emitted, dropped: 0, inFlight: 0 })
    expect(new Set(rec.handledIds).size).toBe(emitted)
    expect(rec.handledIds).toHaveLength(emitted)
    for (const handler of seen) expect(everyOnce(handler, emitted)).toBe(true)
  })
})

describe.each<[string, () => EventBus]>([
  ['unbounded', () => new UnboundedEventBus()],
  ['pooled', () => new PooledEventBus({ workers: 2, queueSize: 4 })],
])('%s bus: handlers', (_name, make) => {
  it('runs sync handlers in emit, in order, before the async ones; unsubscribe stops a handler', async () => {
    const log: string[] = []
    const bus = make()
    bus.subscribe('e', () => void log.push('sync-1'))
    const off = bus.subscribe('e', () => void log.push('sync-2'))
    bus.subscribe('e', async () => void log.push('async'), { async: true })
    bus.emit('e', 1)
    expect(log.slice(0, 2)).toEqual(['sync-1', 'sync-2'])
    off()
    bus.emit('e', 2)
    await bus.close()
    expect(log.filter((l) => l === 'sync-2')).toHaveLength(1)
    expect(log.filter((l) => l === 'async')).toHaveLength(2)
  })

  it('a handler that throws marks the event failed with the first error; the others still run', async () => {
    const errors: unknown[] = []
    const ran: string[] = []
    const bus = make()
    const events = new Set<unknown>()
    ;(bus as unknown as { callbacks: { onHandled: (e: BusEvent, error?: unknown) => void } }).callbacks.onHandled = (e, error) => {
      events.add(e.payload)
      errors.push(error)
    }
    bus.subscribe('e', () => {
      throw new Error('sync boom')
    })
    bus.subscribe('e', async () => {
      ran.push('a')
      throw new Error('async boom')
    }, { async: true })
    bus.subscribe('e', async () => void ran.push('b'), { async: true })
    bus.emit('e', 1)
    await bus.close()
    expect(ran.sort()).toEqual(['a', 'b'])
    expect(errors).toHaveLength(1)
    expect((errors[0] as Error).message).toBe('sync boom')
    expect(bus.metrics()).toMatchObject({ handled: 1, failed: 1 })
  })

  it('a missing handler is refused at subscribe with a one-line reason', () => {
    const bus = make()
    expect(() => bus.subscribe('e', undefined as never, { async: true })).toThrow('subscribe("e"): the handler is undefined, not a function; pass (event) => …')
    expect(() => bus.subscribe('', () => undefined)).toThrow(/event type must be a non-empty string/)
  })
})

describe('thread buses', () => {
  const task = threadTask(new URL('../fixtures/eventbus/task.mjs', import.meta.url), 'work')

  it('a thread pool runs thread tasks off the main thread and reports failures', async () => {
    const rec = recorder()
    const bus = await ThreadPoolEventBus.create({ threads: 2, ...rec.callbacks })
    bus.subscribe('e', task, { async: true })
    for (let i = 0; i < 20; i++) await bus.emit('e', i)
    await bus.emit('e', -1) // the task throws for negative ids
    await bus.close()
    expect(bus.metrics()).toMatchObject({ emitted: 21, handled: 21, failed: 1 })
    expect((rec.errors[0] as Error).message).toMatch(/negative id -1/)
  })

  it('worker-per-event handles each event in a thread of its own', async () => {
    const rec = recorder()
    const bus = new WorkerPerEventBus(rec.callbacks)
    bus.subscribe('e', task, { async: true })
    for (let i = 0; i < 3; i++) bus.emit('e', i)
    await bus.close()
    expect(bus.metrics()).toMatchObject({ handled: 3, failed: 0 })
  })

  it('a thread task called on a plain bus runs in-process', async () => {
    const rec = recorder()
    const bus = new UnboundedEventBus(rec.callbacks)
    bus.subscribe('e', task, { async: true })
    bus.emit('e', 1)
    bus.emit('e', -2)
    await bus.close()
    expect(bus.metrics()).toMatchObject({ handled: 2, failed: 1 })
  })
})

/**
 * The event bus on the real Redis and NATS JetStream: every event reaches every consumer group
 * exactly once, what the bus created is gone after close, and a server that goes away mid-run is
 * reported (not papered over). Each bus uses stream names with a random suffix of its own.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { NatsEventBus, RedisEventBus, type BusEvent, type ExternalBusOptions } from '../../fixtures/eventbus/index.ts'
import { SERVICE_URLS, serviceAvailable } from '../support/services.ts'
import { startProxy } from '../support/proxy.ts'

const redisUp = await serviceAvailable('redis')
const natsUp = await serviceAvailable('nats')

type External = NatsEventBus | RedisEventBus

const buses: Array<[string, boolean, string, (options: ExternalBusOptions) => Promise<External>]> = [
  ['redis-streams', redisUp, SERVICE_URLS.redis, (o) => RedisEventBus.connect(o)],
  ['nats-jetstream', natsUp, SERVICE_URLS.nats, (o) => NatsEventBus.connect(o)],
]

/** Whether what the bus created on the server still exists. */
async function leftOnServer(bus: External): Promise<boolean> {
  if (bus instanceof RedisEventBus) {
    const { Redis } = await import('ioredis')
    const redis = new Redis(SERVICE_URLS.redis)
    const keys = await redis.keys(`${(bus as unknown as { keyPrefix: string }).keyPrefix}*`)
    redis.disconnect()
    return keys.length > 0
  }
  const { connect } = await import('nats')
  const nc = await connect({ servers: SERVICE_URLS.nats })
  const jsm = await nc.jetstreamManager()
  const exists = await jsm.streams.info(bus.stream).then(
    () => true,
    () => false,
  )
  await nc.close()
  return exists
}

describe.each(buses)('%s bus', (_name, available, url, connect) => {
  it.skipIf(!available)('delivers every event to each consumer group exactly once, then cleans up', async () => {
    const handled: unknown[] = []
    const bus = await connect({ url, name: 'perfkit-test-load', concurrency: 20, onHandled: (e: BusEvent) => handled.push(e.payload) })
    const groups = Array.from({ length: 3 }, () => {
      const seen = new Map<number, number>()
      bus.subscribe(
        'signup',
        async (event) => {
          const id = (event.payload as { id: number }).id
          seen.set(id, (seen.get(id) ?? 0) + 1)
          await sleep(id % 3)
        },
        { async: true },
      )
      return seen
    })
    await bus.ready()
    const events = 300
    await Promise.all(Array.from({ length: events }, (_, id) => bus.emit('signup', { id })))
    await bus.close({ drain: true })
    expect(bus.metrics()).toMatchObject({ emitted: events, handled: events, failed: 0, inFlight: 0 })
    expect(new Set(handled).size).toBe(events)
    for (const seen of groups) {
      expect(seen.size).toBe(events)
      expect([...seen.values()].every((n) => n === 1)).toBe(true)
    }
    expect(await leftOnServer(bus)).toBe(false)
  })

  it.skipIf(!available)('a server that goes away mid-run is reported, and later emits fail', async () => {
    const proxy = await startProxy(url)
    const errors: Error[] = []
    const bus = await connect({ url: proxy.url, name: 'perfkit-test-load', onError: (e) => errors.push(e) })
    bus.subscribe('signup', () => sleep(1), { async: true })
    await bus.ready()
    await bus.emit('signup', { id: 1 })
    proxy.cut()
    for (let i = 0; i < 50 && errors.length === 0; i++) await sleep(20)
    expect(errors).toHaveLength(1)
    expect(errors[0]!.message).toMatch(/^(redis-streams|nats-jetstream): lost the server at (redis|nats):\/\/127\.0\.0\.1:\d+: /)
    await expect(bus.emit('signup', { id: 2 })).rejects.toThrow()
    await bus.close({ drain: false }).catch(() => undefined)
    await proxy.close()
  })

  it.skipIf(!available)('an unreachable server is one line naming the URL', async () => {
    const dead = url.replace(/:\d+$/, ':1')
    await expect(connect({ url: dead })).rejects.toThrow(new RegExp(`cannot reach (Redis|NATS) at ${dead.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: .*; start it or set PERFKIT_`))
  })
})

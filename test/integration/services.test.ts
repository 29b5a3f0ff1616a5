/** Seed 001's service layer against real databases and caches: cache-aside, invalidation, decorators, facade. */
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Backend, Database } from '../../fixtures/db/index.ts'
import {
  CacheAsideUserRepository,
  CachingDecorator,
  LoggingDecorator,
  RedisCache,
  SEEDED_PASSWORD,
  SEEDED_USERS,
  UserRepository,
  UserService,
  Users,
  openCache,
  openServicesDatabase,
  setUserService,
  type Cache,
} from '../../fixtures/services/index.ts'
import pino from 'pino'
import { Writable } from 'node:stream'
import { SERVICE_URLS, serviceAvailable } from '../support/services.ts'

const postgresUp = await serviceAvailable('postgres')
const redisUp = await serviceAvailable('redis')

describe.each<[Backend, 'memory' | 'redis', boolean]>([
  ['pglite', 'memory', true],
  ['postgres', 'redis', postgresUp && redisUp],
])('services on %s with a %s cache', (backend, cacheKind, available) => {
  let db: Database
  let cache: Cache
  let repository: UserRepository

  beforeAll(async () => {
    if (!available) return
    if (cacheKind === 'redis') process.env.PERFKIT_REDIS_URL ??= SERVICE_URLS.redis
    db = await openServicesDatabase(backend, backend === 'postgres' ? SERVICE_URLS.postgres : undefined)
    cache = await openCache(cacheKind)
    repository = new UserRepository(db)
  })
  afterAll(async () => {
    await cache?.close()
    await db?.close()
  })

  it.skipIf(!available)('the seeded users are there and their password verifies against a real scrypt hash', async () => {
    const service = new UserService(repository)
    expect((await repository.findById(SEEDED_USERS))?.email).toBe(`user${SEEDED_USERS}@example.com`)
    expect((await service.authenticate('user7@example.com', SEEDED_PASSWORD))?.id).toBe(7)
    expect(await service.authenticate('user7@example.com', 'wrong password')).toBeUndefined()
    expect(await service.authenticate('nobody@example.com', SEEDED_PASSWORD)).toBeUndefined()
  })

  it.skipIf(!available)('cache-aside: a miss fills the cache, a hit skips the database, an update invalidates the entry', async () => {
    const service = new UserService(repository)
    const created = await service.createUser({ email: `${randomUUID()}@example.com`, firstName: 'Ada', lastName: 'Lovelace', password: 'analytical engine' })
    const cached = new CacheAsideUserRepository(repository, cache)
    expect((await cached.findById(created.id))?.firstName).toBe('Ada')
    expect((await cached.findById(created.id))?.firstName).toBe('Ada')
    expect([cached.hits, cached.misses]).toEqual([1, 1])
    // Changed behind the cache's back: the cache still answers with the old name (that is what a cache does) …
    await repository.update(created.id, { firstName: 'Augusta' })
    expect((await cached.findById(created.id))?.firstName).toBe('Ada')
    // … until an update through the cache-aside repository invalidates the entry.
    await cached.update(created.id, { lastName: 'King' })
    const fresh = await cached.findById(created.id)
    expect([fresh?.firstName, fresh?.lastName]).toEqual(['Augusta', 'King'])
    expect([cached.hits, cached.misses]).toEqual([2, 2])
    expect((await new UserService(cached).authenticate(created.email, 'analytical engine'))?.id).toBe(created.id)
  })

  it.skipIf(!available)('the caching decorator caches findById and drops the entry when the user is updated', async () => {
    const service = new UserService(repository)
    const caching = new CachingDecorator(service, cache)
    const id = 4242
    const before = await caching.findById(id)
    await caching.findById(id)
    expect([caching.hits, caching.misses]).toEqual([1, 1])
    const updated = await caching.updateUser(id, { lastName: `L${Date.now()}` })
    expect(updated?.lastName).not.toBe(before?.lastName)
    expect((await caching.findById(id))?.lastName).toBe(updated?.lastName)
    expect([caching.hits, caching.misses]).toEqual([1, 2])
  })

  it.skipIf(!available)('the logging decorator writes one structured line per call, failures included; the facade forwards', async () => {
    const lines: Array<Record<string, unknown>> = []
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>)
        done()
      },
    })
    const service = new UserService(repository)
    const logging = new LoggingDecorator(service, pino({ base: null }, sink))
    expect((await logging.findById(9))?.id).toBe(9)
    await expect(logging.createUser({ email: 'not an email', firstName: 'x', lastName: 'y', password: 'long enough' })).rejects.toThrow(/invalid email/)
    await new Promise((resolve) => setImmediate(resolve))
    expect(lines.map((l) => [l.method, l.msg])).toEqual([
      ['findById', 'user service call'],
      ['createUser', 'user service call failed'],
    ])
    expect(typeof lines[0]!.ms).toBe('number')
    setUserService(logging)
    expect((await Users.findById(11))?.id).toBe(11)
  })
})

describe('Redis cache namespaces', () => {
  it('keeps each instance apart and deletes its keys on close', async (context) => {
    if (!(await serviceAvailable('redis'))) return context.skip()
    const url = SERVICE_URLS.redis
    const a = await RedisCache.connect(url)
    const b = await RedisCache.connect(url)
    const { Redis } = await import('ioredis')
    const raw = new Redis(url)
    // Every instance's keys are `perfkit:<namespace>:<key>`; only this test writes a key named `k`.
    const keysNamedK = async () => (await raw.keys('perfkit:*:k')).length
    try {
      const before = await keysNamedK()
      await a.set('k', 'from a', 60)
      expect(await a.get('k')).toBe('from a')
      expect(await b.get('k')).toBeUndefined()
      expect(await keysNamedK()).toBe(before + 1)
      await a.close()
      expect(await keysNamedK()).toBe(before)
    } finally {
      raw.disconnect()
      await b.close()
    }
  })

  it('an unreachable Redis is one line naming the redacted URL and what to check', async () => {
    await expect(RedisCache.connect('redis://:hunter2@127.0.0.1:1')).rejects.toThrow(
      /^cannot reach Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:1: .*; check that it is running and that PERFKIT_REDIS_URL \(or backends\.redis in perfkit\.config\.ts\) is right$/,
    )
  })
})

/**
 * Seed 001, "Performance Analysis & Optimization Guide": the service layer's facades and
 * decorators against the plain service and the raw repository, and cache-aside reads at a chosen
 * hit rate (`--param hitRate=0|50|80|100`), with an in-memory LRU or Redis (`--param cache=redis`).
 */
import { defineScenario } from 'perfkit'
import { warmUp, type Backend } from '../fixtures/db/index.ts'
import {
  CacheAsideUserRepository,
  CachingDecorator,
  HitRateDriver,
  LoggingDecorator,
  SEEDED_USERS,
  UserRepository,
  UserService,
  Users,
  openCache,
  openServicesDatabase,
  servicesLogger,
  setUserService,
} from '../fixtures/services/index.ts'

/** 100 hot users; cold reads walk the other 49 900, which no run reads twice. */
const HOT_IDS = Array.from({ length: 100 }, (_, i) => i + 1)
/** Holds the hot set with room to spare; cold entries are evicted long before their ids come round again. */
const MEMORY_CACHE_CAPACITY = 5000

export default defineScenario({
  name: 'decorated-vs-plain',
  title: 'Plain service vs facade vs decorated services',
  source: 'seed 001',
  description:
    'Read one user by id through each layer: the raw repository, the service, its facade, a logging decorator, a caching decorator, the service over a cache-aside repository, and logging + caching together. Reads hit the cache at the chosen rate.',
  baseline: 'service',
  params: {
    hitRate: { values: [80], choices: [0, 50, 80, 100] },
    cache: { values: ['memory'], choices: ['memory', 'redis'] },
    backend: { values: ['pglite'], choices: ['pglite', 'postgres'] },
  },
  async setup({ params, variant }) {
    const db = await openServicesDatabase(params.backend as Backend)
    const repository = new UserRepository(db)
    // Warm the database path with reads from the far end of the table, which the cold walk reaches last.
    await warmUp((i) => repository.findById(SEEDED_USERS - (i % 1000)))
    const service = new UserService(repository)
    setUserService(service)
    const logger = servicesLogger()
    // Only the cache layer this variant reads through is built and warmed: each variant has a process of its own.
    const cache = ['caching', 'cache-aside', 'decorated'].includes(variant) ? await openCache(params.cache as 'memory' | 'redis', MEMORY_CACHE_CAPACITY) : undefined
    const caching = cache && (variant === 'caching' || variant === 'decorated') ? new CachingDecorator(service, cache) : undefined
    const cacheAside = cache && variant === 'cache-aside' ? new CacheAsideUserRepository(repository, cache) : undefined
    const driver = new HitRateDriver(Number(params.hitRate) / 100, HOT_IDS, HOT_IDS.length + 1, SEEDED_USERS)
    // Fill the cache with the hot set, so every hot read from now on is a hit; count only what the variant does.
    const cached = caching ?? cacheAside
    if (cached) {
      await driver.warm((id) => cached.findById(id))
      cached.hits = cached.misses = 0
    }
    return {
      db,
      cache,
      logger,
      driver,
      cached,
      repository,
      service,
      logging: new LoggingDecorator(service, logger),
      caching,
      cacheAside: cacheAside ? new UserService(cacheAside) : undefined,
      decorated: caching ? new LoggingDecorator(caching, logger) : undefined,
    }
  },
  async teardown(s) {
    s.logger.flush()
    await s.cache?.close()
    await s.db.close()
  },
  variants: {
    repository: (s) => s.repository.findById(s.driver.next()),
    service: (s) => s.service.findById(s.driver.next()),
    facade: (s) => Users.findById(s.driver.next()),
    logging: (s) => s.logging.findById(s.driver.next()),
    caching: (s) => s.caching!.findById(s.driver.next()),
    'cache-aside': (s) => s.cacheAside!.findById(s.driver.next()),
    decorated: (s) => s.decorated!.findById(s.driver.next()),
  },
  // Hits and misses over the child's whole life (timed rounds, memory and traced passes): the hit
  // rate the reads really had, beside the one asked for.
  counters: (s): Record<string, number> => {
    if (!s.cached) return {}
    const reads = s.cached.hits + s.cached.misses
    return { hits: s.cached.hits, misses: s.cached.misses, hitRatePercent: reads > 0 ? (100 * s.cached.hits) / reads : 0 }
  },
  // Averages over a mix of hits and misses are judged on `meanRatio` (paired round means): the
  // median op of an 80 % mix is a hit, so `ratio` (paired round medians) would report the hit alone.
  claims: [
    { text: 'Service facades: ~1% overhead vs direct service calls', published: '~1%', check: 'facade: ratio <= 1.01' },
    { text: 'Logging decorator: ~5% overhead', published: '+5%', check: 'logging: ratio <= 1.05' },
    { text: 'Caching decorator: ~2% overhead on a miss', published: '+2%', check: 'caching: ratio <= 1.02', when: { hitRate: 0 } },
    { text: '80% of requests served from cache = 8x average speedup', published: '8x', check: 'cache-aside: meanRatio <= 0.125', when: { hitRate: 80 } },
    { text: 'Caching decorator at 80% hits: 8x average speedup', published: '8x', check: 'caching: meanRatio <= 0.125', when: { hitRate: 80 } },
    { text: 'Cache hit ~0.5 ms, miss ~5 ms: ~1.4 ms average at 80% hits', published: '~1.4 ms', metric: 'cache-aside: mean', when: { hitRate: 80 } },
    { text: 'Cache hit: 10x faster than a database query', published: '~0.1 ms vs ~1 ms', check: 'cache-aside: ratio <= 0.1', when: { hitRate: 100 } },
    // repository ÷ service: a service layer adding 5 % puts the raw repository at 1 / 1.05 of it.
    { text: 'User retrieval (DB): the service layer adds ~5% to the raw repository', published: '2 ms vs 2.1 ms', check: 'repository: ratio >= 0.952' },
  ],
})

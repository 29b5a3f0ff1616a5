/**
 * Seed 000, "Broker Pattern Performance Analysis": what a transactional use-case broker costs
 * against a direct repository call, for one use case and for a three-use-case chain, and what the
 * broker's own bookkeeping costs once the database is taken out of the picture.
 *
 * Backends: the embedded PGlite (default), PostgreSQL (`--param backend=postgres`, PERFKIT_PG_URL)
 * or `null` — statements that complete at once, which isolates the layer's own cost.
 */
import { defineScenario } from 'perfkit'
import {
  Broker,
  activityUseCases,
  brokerLogger,
  handWrittenChain,
  makeRequest,
  openBrokerDatabase,
} from '../fixtures/broker/index.ts'
import { warmUp, type Backend, type Database } from '../fixtures/db/index.ts'

const SOURCE = 'seed 000'
const BACKEND = { values: ['pglite'], choices: ['pglite', 'postgres', 'null'] } as const
/** The seed's broker always wraps the work in a timeout (a goroutine + channel in Go). */
const TIMEOUT_MS = 5000

/** `info` logs one line per transaction (production); `debug` adds one per use case, as the seed did. */
const LOG_LEVEL = { values: ['info'], choices: ['info', 'debug', 'silent'] } as const

async function setup({ params }: { params: Record<string, unknown> }) {
  const db: Database = await openBrokerDatabase(params.backend as Backend)
  const useCases = activityUseCases()
  const logger = brokerLogger(params.logLevel as 'info' | 'debug' | 'silent')
  const broker = new Broker(db, logger)
  // The database path the variants all take: the three statements in a transaction.
  if (db.backend !== 'null') await warmUp(() => handWrittenChain(db, useCases.repo, makeRequest()))
  return { db, broker, logger, ...useCases }
}

type State = Awaited<ReturnType<typeof setup>>

async function teardown(s: State) {
  s.logger.flush()
  await s.db.close()
}

export default [
  defineScenario({
    name: 'broker-vs-direct',
    title: 'Use-case broker vs direct repository call (one use case)',
    source: SOURCE,
    description:
      'Create one activity: a direct INSERT; the same INSERT in a hand-written transaction; and through the broker (transaction, timeout wrapper, input/output maps, logging) — plus the seed\'s optimisations: no timeout wrapper, typed input.',
    baseline: 'direct',
    params: { backend: BACKEND, logLevel: LOG_LEVEL },
    setup,
    teardown,
    variants: {
      direct: (s) => s.repo.create(s.db, makeRequest()),
      'transaction': (s) => s.db.transaction((tx) => s.repo.create(tx, makeRequest())),
      broker: (s) => s.broker.runUseCases([s.createActivity], { request: makeRequest() }, { timeoutMs: TIMEOUT_MS }),
      'broker-no-timeout': (s) => s.broker.runUseCases([s.createActivity], { request: makeRequest() }),
      'broker-typed': (s) => s.broker.runTyped([s.typed.createActivity], { request: makeRequest() }, { timeoutMs: TIMEOUT_MS }),
    },
    claims: [
      { text: 'The broker adds < 1 % to the request time', published: '~160 µs/op against 1–10 ms inserts', check: 'broker: ratio <= 1.01' },
      { text: 'Broker vs direct: ~3 % increase for a simple create activity', published: '5.175 ms vs 5.015 ms', check: 'broker: ratio <= 1.03' },
      { text: 'Removing the timeout goroutine saves ~30 µs', published: '~30 µs', metric: 'broker-no-timeout: ratio' },
      { text: 'Typed input/output saves ~15 µs', published: '~15 µs', metric: 'broker-typed: ratio' },
      { text: 'Broker memory: ~2.5 KB and 30 allocations per op', published: '2470 B/op', check: 'broker: bytesPerOpDelta <= 2470B' },
    ],
  }),

  defineScenario({
    name: 'broker-chain',
    title: 'Three-use-case chain: broker vs hand-written transaction',
    source: SOURCE,
    description: 'Create an activity, attach its tags and update the user\'s stats in one transaction: written by hand, or as three chained use cases through the broker.',
    baseline: 'hand-written',
    params: { backend: BACKEND, logLevel: LOG_LEVEL },
    setup,
    teardown,
    variants: {
      'hand-written': (s) => handWrittenChain(s.db, s.repo, makeRequest()),
      broker: (s) => s.broker.runUseCases([s.createActivity, s.attachTags, s.updateUserStats], { request: makeRequest() }, { timeoutMs: TIMEOUT_MS }),
      'broker-no-timeout': (s) => s.broker.runUseCases([s.createActivity, s.attachTags, s.updateUserStats], { request: makeRequest() }),
      'broker-typed': (s) =>
        s.broker.runTyped([s.typed.createActivity, s.typed.attachTags, s.typed.updateUserStats], { request: makeRequest() }, { timeoutMs: TIMEOUT_MS }),
    },
    claims: [
      { text: 'Multi-step: ~0.05 ms overhead, a 0.3 % increase', published: '16.09 ms vs 16.04 ms', check: 'broker: ratio <= 1.003' },
      { text: 'Result chaining overhead ~50 µs', published: '~50 µs', metric: 'broker: delta' },
      { text: 'Multiple use cases: 2.6 KB, 41 allocations per op', published: '2638 B/op', check: 'broker: bytesPerOpDelta <= 2638B' },
    ],
  }),

  defineScenario({
    name: 'broker-overhead',
    title: "The broker's own cost, beyond its transaction's round trips",
    source: SOURCE,
    description:
      'On the null backend every statement completes at once, so what remains is the layer itself: the timeout wrapper, maps, chaining, logging and the BEGIN/COMMIT calls. The baseline runs the same statements in a hand-written transaction. These are not database figures.',
    baseline: 'hand-written',
    // No `backend` parameter: `--param backend=postgres` moves the other two scenarios, never this one.
    params: { logLevel: LOG_LEVEL },
    setup: ({ params }) => setup({ params: { ...params, backend: 'null' } }),
    teardown,
    variants: {
      'hand-written': (s) => handWrittenChain(s.db, s.repo, makeRequest()),
      broker: (s) => s.broker.runUseCases([s.createActivity, s.attachTags, s.updateUserStats], { request: makeRequest() }, { timeoutMs: TIMEOUT_MS }),
      'broker-no-timeout': (s) => s.broker.runUseCases([s.createActivity, s.attachTags, s.updateUserStats], { request: makeRequest() }),
      'broker-typed': (s) =>
        s.broker.runTyped([s.typed.createActivity, s.typed.attachTags, s.typed.updateUserStats], { request: makeRequest() }, { timeoutMs: TIMEOUT_MS }),
    },
    claims: [
      { text: 'Broker overhead ~160 µs per operation', published: '160224 ns/op (single), 160704 ns/op (multiple)', check: 'broker: delta <= 160us' },
      { text: "perfkit's target: the broker's own overhead ≤ 5 µs per call", check: 'broker: delta <= 5us' },
      { text: 'What the broker allocates: 2.6 KB per op with three use cases', published: '2638 B/op', check: 'broker: bytesPerOpDelta <= 2638B' },
    ],
  }),
]

/** The broker against real databases: transactions, rollback, timeout, chaining, and its traced phases. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Broker, BrokerTimeoutError, activityUseCases, brokerLogger, makeRequest, openBrokerDatabase, type UseCase } from '../../fixtures/broker/index.ts'
import type { Backend, Database } from '../../fixtures/db/index.ts'
import { startTracing, stopTracing, traceOp } from '../../cli/trace/index.ts'
import { summarizeBreakdown } from '../../cli/stats/breakdown.ts'
import { SERVICE_URLS, serviceAvailable } from '../support/services.ts'

const postgresUp = await serviceAvailable('postgres')

describe.each<[Backend, boolean]>([
  ['pglite', true],
  ['postgres', postgresUp],
])('broker on %s', (backend, available) => {
  let db: Database
  const uc = activityUseCases()
  let broker: Broker

  beforeAll(async () => {
    if (!available) return
    db = await openBrokerDatabase(backend, backend === 'postgres' ? SERVICE_URLS.postgres : undefined)
    broker = new Broker(db, brokerLogger('debug'))
  })
  afterAll(async () => db?.close())

  const countTitle = async (title: string) => Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM activities WHERE title = $1', [title])).rows[0]!.n)

  it.skipIf(!available)('chains outputs: a later use case reads what an earlier one returned', async () => {
    const request = { ...makeRequest(), title: `chain-${backend}-${Date.now()}` }
    const out = await broker.runUseCases([uc.createActivity, uc.attachTags, uc.updateUserStats], { request }, { timeoutMs: 5000 })
    const id = out.get('activity_id') as number
    expect(id).toBeGreaterThan(0)
    expect(out.get('tags_attached')).toBe(2)
    expect(out.get('stats_updated')).toBe(true)
    const tags = await db.query('SELECT tag_id FROM activity_tags WHERE activity_id = $1', [id])
    expect(tags.rowCount).toBe(2)
    expect(await countTitle(request.title)).toBe(1)
    const typed = await broker.runTyped([uc.typed.createActivity, uc.typed.attachTags], { request: { ...request, title: `${request.title}-typed` } })
    expect(typed.activityId).toBeGreaterThan(id)
    expect(typed.tagsAttached).toBe(2)
  })

  it.skipIf(!available)('rolls back every step when a later use case fails: no rows left', async () => {
    const request = { ...makeRequest(), title: `rollback-${backend}-${Date.now()}` }
    const failing: UseCase = {
      name: 'fails',
      async execute() {
        throw new Error('payment declined')
      },
    }
    await expect(broker.runUseCases([uc.createActivity, uc.attachTags, failing], { request })).rejects.toThrow('payment declined')
    expect(await countTitle(request.title)).toBe(0)
    // The connection is usable afterwards (the transaction really ended).
    expect(await countTitle('nothing')).toBe(0)
  })

  it.skipIf(!available)('a timeout aborts, rolls back and reports BrokerTimeoutError', async () => {
    const request = { ...makeRequest(), title: `timeout-${backend}-${Date.now()}` }
    const slow: UseCase = {
      name: 'slow',
      async execute(tx) {
        await tx.query('SELECT pg_sleep(0.3)')
        return new Map()
      },
    }
    await expect(broker.runUseCases([uc.createActivity, slow, uc.updateUserStats], { request }, { timeoutMs: 50 })).rejects.toBeInstanceOf(BrokerTimeoutError)
    expect(await countTitle(request.title)).toBe(0)
  })

  it.skipIf(!available)('a traced call breaks down into its phases, which with the rest add up to the traced time', async () => {
    startTracing()
    for (let i = 0; i < 20; i++) await traceOp(() => broker.runUseCases([uc.createActivity, uc.attachTags, uc.updateUserStats], { request: makeRequest() }, { timeoutMs: 5000 }))
    const breakdown = summarizeBreakdown(stopTracing())
    const names = breakdown.phases.map((p) => p.name).sort()
    expect(names).toEqual(['chain', 'log', 'timeout', 'tx.begin', 'tx.commit', 'usecase.attachTags', 'usecase.createActivity', 'usecase.updateUserStats'])
    const sum = breakdown.phases.reduce((s, p) => s + p.meanNs, 0) + breakdown.restMeanNs
    expect(sum).toBeCloseTo(breakdown.totalMeanNs, 6)
    expect(breakdown.restMeanNs).toBeGreaterThanOrEqual(0)
    expect(breakdown.ops).toBe(20)
  })
})

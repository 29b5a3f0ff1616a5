/** Seed 002's event store against real databases: query, atomic conditional appends, concurrent writers. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Backend, Database } from '../../fixtures/db/index.ts'
import {
  BOOK_ADDED,
  BOOK_LENT,
  ConcurrencyConflictError,
  EventStore,
  appendSql,
  bookAdded,
  bookFilter,
  bookRemoved,
  datasetBookId,
  filterParams,
  freshBookIds,
  handleBookCommand,
  openEventStoreDatabase,
} from '../../fixtures/eventstore/index.ts'
import { SERVICE_URLS, serviceAvailable } from '../support/services.ts'

const postgresUp = await serviceAvailable('postgres')
/** A small dataset: 20 books of ten events each. */
const EVENTS = 200

describe.each<[Backend, boolean]>([
  ['pglite', true],
  ['postgres', postgresUp],
])('event store on %s', (backend, available) => {
  let db: Database
  let store: EventStore
  const books = freshBookIds(50)
  let nextBook = 0
  const freshBook = () => books[nextBook++]!

  beforeAll(async () => {
    if (!available) return
    db = await openEventStoreDatabase(backend, EVENTS, { url: backend === 'postgres' ? SERVICE_URLS.postgres : undefined })
    store = new EventStore(db)
  })
  afterAll(async () => {
    if (!db) return
    const prefix = books[0]!.slice(0, books[0]!.lastIndexOf('-') + 1)
    await db.query(`DELETE FROM events WHERE payload->>'BookID' LIKE $1`, [`${prefix}%`])
    await db.close()
  })

  it.skipIf(!available)('the loader filled the store with the dataset, set-based and in order', async () => {
    const { rows } = await db.query<{ n: number; max: number }>('SELECT count(*)::int AS n, max(sequence_number)::int AS max FROM events WHERE sequence_number <= $1', [EVENTS])
    expect(rows[0]).toEqual({ n: EVENTS, max: EVENTS })
    const indexes = await db.query<{ indexdef: string }>("SELECT indexdef FROM pg_indexes WHERE tablename = 'events' AND schemaname = current_schema()")
    expect(indexes.rows.map((r) => r.indexdef).join('\n')).toMatch(/USING gin \(payload jsonb_path_ops\)/)
  })

  it.skipIf(!available)("query returns one book's events in sequence order and the stream's maximum", async () => {
    const { events, maxSequence } = await store.query(bookFilter(datasetBookId(3)))
    expect(events).toHaveLength(10)
    expect(events.map((e) => e.sequenceNumber)).toEqual(Array.from({ length: 10 }, (_, k) => 3 + k * 20 + 1))
    expect(events[0]).toMatchObject({ type: BOOK_ADDED, payload: { BookID: datasetBookId(3) } })
    expect(events[1]!.type).toBe(BOOK_LENT)
    expect(events[0]!.occurredAt).toBeInstanceOf(Date)
    expect(maxSequence).toBe(events[9]!.sequenceNumber)
    expect(await store.query(bookFilter(freshBook()))).toEqual({ events: [], maxSequence: 0 })
  })

  it.skipIf(!available)('append succeeds at the expected sequence number and conflicts, appending nothing, at any other', async () => {
    const id = freshBook()
    const filter = bookFilter(id)
    const [first] = await store.append(filter, 0, bookAdded(id, new Date()))
    expect(first).toBeGreaterThan(EVENTS)
    await expect(store.append(filter, 0, bookRemoved(id, new Date()))).rejects.toBeInstanceOf(ConcurrencyConflictError)
    await expect(store.append(filter, first! - 1, bookRemoved(id, new Date()))).rejects.toThrow(/concurrency conflict/)
    expect((await store.query(filter)).events.map((e) => e.sequenceNumber)).toEqual([first])
  })

  it.skipIf(!available)('five events go in atomically and in order, or not at all', async () => {
    const id = freshBook()
    const filter = bookFilter(id)
    const five = Array.from({ length: 5 }, (_, i) => ({ ...bookAdded(id, new Date(Date.UTC(2030, 0, 1, 0, 0, i))), metadata: { n: i } }))
    const sequence = await store.append(filter, 0, five[0]!, ...five.slice(1))
    expect(sequence).toHaveLength(5)
    expect(sequence.slice(1).map((s, i) => s - sequence[i]!)).toEqual([1, 1, 1, 1])
    const { events, maxSequence } = await store.query(filter)
    expect(events.map((e) => e.metadata.n)).toEqual([0, 1, 2, 3, 4])
    expect(maxSequence).toBe(sequence[4])
    await expect(store.append(filter, sequence[3]!, five[0]!, ...five.slice(1))).rejects.toBeInstanceOf(ConcurrencyConflictError)
    expect((await store.query(filter)).events).toHaveLength(5)
  })

  it.skipIf(!available)('two concurrent appends with the same expected sequence: exactly one wins, the other gets the conflict error', async () => {
    for (let trial = 0; trial < 10; trial++) {
      const id = freshBook()
      const filter = bookFilter(id)
      const outcomes = await Promise.allSettled([store.append(filter, 0, bookAdded(id, new Date())), store.append(filter, 0, bookAdded(id, new Date()))])
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1)
      const lost = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult
      expect(lost.reason).toBeInstanceOf(ConcurrencyConflictError)
      expect((await store.query(filter)).events).toHaveLength(1)
    }
  })

  it.skipIf(!available)('the workflow queries, decides and appends; a retry after a conflict succeeds', async () => {
    const id = freshBook()
    await handleBookCommand(store, id, new Date())
    await handleBookCommand(store, id, new Date())
    expect((await store.query(bookFilter(id))).events.map((e) => e.type)).toEqual([BOOK_ADDED, 'BookCopyRemovedFromCirculation'])
  })

  // Both statements fully overlap, in open transactions, so neither sees the other's row: only
  // SERIALIZABLE stands between the conditional INSERT and a double append.
  it.skipIf(!available || backend !== 'postgres')('SERIALIZABLE stops a writer that committed between the check and the insert of another', async () => {
    const id = freshBook()
    const filter = bookFilter(id)
    const sql = appendSql(filter, 1).text
    const params = (n: number) => [...filterParams(filter), BOOK_ADDED, new Date(), JSON.stringify({ BookID: id, n }), '{}', 0]
    const a = await db.begin()
    const b = await db.begin()
    expect((await a.query(sql, params(1))).rowCount).toBe(1)
    // PostgreSQL aborts the second writer as soon as the conflict is certain: at its INSERT or at its COMMIT.
    let failure: unknown
    try {
      await b.query(sql, params(2))
      await a.commit()
      await b.commit()
    } catch (error) {
      failure = error
      await b.rollback().catch(() => undefined)
      await a.commit().catch(() => undefined)
    }
    expect(failure).toMatchObject({ code: '40001' })
    expect((await store.query(filter)).events.map((e) => e.payload.n)).toEqual([1])
  })
})

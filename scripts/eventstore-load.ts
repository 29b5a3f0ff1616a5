/**
 * How long the event store's loader takes to fill an empty store — inserting, indexing, vacuuming —
 * into a scratch schema (PostgreSQL) or a fresh data directory (PGlite) that is dropped afterwards.
 *
 *   node --import tsx scripts/eventstore-load.ts [--backend postgres|pglite] [--events 1000000]
 *
 * PostgreSQL: PERFKIT_PG_URL, else the local server (postgres://postgres@127.0.0.1:5432/postgres).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { openDatabase, type Database } from '../fixtures/db/index.ts'
import { EVENTSTORE_SETUP_SQL, loadEvents, type LoadProgress } from '../fixtures/eventstore/index.ts'

const { values } = parseArgs({ options: { backend: { type: 'string', default: 'postgres' }, events: { type: 'string', default: '1000000' } } })
const backend = values.backend
const events = Number(values.events)
if (backend !== 'postgres' && backend !== 'pglite') throw new Error(`--backend ${backend}: use postgres or pglite`)
if (!Number.isInteger(events) || events <= 0) throw new Error(`--events ${values.events}: a whole number > 0`)

const SCHEMA = 'perfkit_eventstore_loadbench'
let cacheDir: string | undefined
if (backend === 'pglite') {
  // A cache of its own, so the load really runs (and the real cache is left alone).
  cacheDir = mkdtempSync(path.join(tmpdir(), 'perfkit-loadbench-'))
  process.env.PERFKIT_CACHE_DIR = cacheDir
}

const db: Database = await openDatabase({ backend, schema: SCHEMA, setupSql: EVENTSTORE_SETUP_SQL })
try {
  const started = performance.now()
  const phases: Array<[LoadProgress['phase'], number]> = []
  await loadEvents(db, events, (progress) => {
    if (phases.at(-1)?.[0] !== progress.phase) phases.push([progress.phase, performance.now()])
  })
  const total = performance.now() - started
  const ends = [...phases.slice(1).map(([, at]) => at), started + total]
  const parts = phases.filter(([phase]) => phase !== 'done').map(([phase, at], i) => `${phase} ${((ends[i]! - (i === 0 ? started : at)) / 1000).toFixed(1)} s`)
  const { rows } = await db.query<{ n: string; size: string }>(`SELECT count(*) AS n, pg_size_pretty(pg_total_relation_size('events')) AS size FROM events`)
  console.log(`${db.describe()}\nloaded ${Number(rows[0]!.n).toLocaleString('en')} events in ${(total / 1000).toFixed(1)} s (${parts.join(', ')}); table + indexes ${rows[0]!.size}`)
} finally {
  if (backend === 'postgres') await db.exec(`DROP SCHEMA ${SCHEMA} CASCADE`)
  await db.close()
  if (cacheDir) rmSync(cacheDir, { recursive: true, force: true })
}

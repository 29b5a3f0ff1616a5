/**
 * The trust suite's workloads beyond the shipped A/A checks (scenarios/noise-floor.bench.ts has the
 * arithmetic loop and the allocation loop): each is an A/A pair whose `b` does `slowdown` more of
 * the same work, so `--param slowdown=0.1` is a known +10 %.
 *
 * Run by scripts/trust.ts; each can also be run on its own:
 *   npx perfkit run scripts/trust/workloads.bench.ts --filter trust-map --param slowdown=0.1
 */
import { createServer } from 'node:http'
import { defineScenario } from 'perfkit'
import { openDatabase } from '../../fixtures/db/index.ts'
import type { Database } from '../../fixtures/db/types.ts'
import { work } from '../../scenarios/noise-floor.bench.ts'

const scaled = (n: number, slowdown: unknown) => Math.round(n * (1 + Number(slowdown)))

/** Map and string work: build a Map of `n` string keys, then look every key up again. */
function mapAndStrings(n: number): number {
  const map = new Map<string, number>()
  for (let i = 0; i < n; i++) map.set(`key-${i}-${(i * 2654435761) % 1000}`, i)
  let total = 0
  for (let i = 0; i < n; i++) total += map.get(`key-${i}-${(i * 2654435761) % 1000}`) ?? 0
  return total
}

/** Awaited promise chains: `n` awaits of resolved promises, each step a little object. */
async function promiseChain(n: number): Promise<number> {
  let total = 0
  for (let i = 0; i < n; i++) total += (await Promise.resolve({ i })).i
  return total
}

export default [
  defineScenario({
    name: 'trust-map',
    title: 'Trust suite: Map and string work (A/A)',
    baseline: 'a',
    params: { keys: [500], slowdown: [0] },
    setup: ({ params }) => ({ a: Number(params.keys), b: scaled(Number(params.keys), params.slowdown) }),
    variants: {
      a: (s) => mapAndStrings(s.a),
      b: (s) => mapAndStrings(s.b),
    },
  }),

  defineScenario({
    name: 'trust-async',
    title: 'Trust suite: awaited promise chains (A/A)',
    baseline: 'a',
    params: { steps: [200], slowdown: [0] },
    setup: ({ params }) => ({ a: Number(params.steps), b: scaled(Number(params.steps), params.slowdown) }),
    variants: {
      a: (s) => promiseChain(s.a),
      b: (s) => promiseChain(s.b),
    },
  }),

  defineScenario({
    name: 'trust-pglite',
    title: 'Trust suite: PGlite point queries (A/A)',
    baseline: 'a',
    params: { queries: [20], slowdown: [0] },
    async setup({ params }) {
      const db: Database = await openDatabase({
        backend: 'pglite',
        schema: 'trust',
        setupSql: 'create table if not exists trust_rows (id int primary key, label text not null)',
        seed: {
          key: 'trust-rows-1000',
          run: async (fresh) => {
            await fresh.query(`insert into trust_rows select i, 'row ' || i from generate_series(1, 1000) as i`)
          },
        },
      })
      return { db, a: Number(params.queries), b: scaled(Number(params.queries), params.slowdown) }
    },
    async teardown(s) {
      await s.db.close()
    },
    variants: {
      a: async (s) => {
        let n = 0
        for (let i = 0; i < s.a; i++) n += (await s.db.query('select label from trust_rows where id = $1', [1 + ((i * 37) % 1000)])).rowCount
        return n
      },
      b: async (s) => {
        let n = 0
        for (let i = 0; i < s.b; i++) n += (await s.db.query('select label from trust_rows where id = $1', [1 + ((i * 37) % 1000)])).rowCount
        return n
      },
    },
  }),

  defineScenario({
    kind: 'http',
    name: 'trust-http',
    title: 'Trust suite: a node:http server whose handler does CPU work (A/A)',
    description: 'Both servers hash for `iterations` steps per request and answer JSON; b does `slowdown` more of that work (not more of the HTTP overhead, so its true time ratio is below 1 + slowdown).',
    baseline: 'a',
    params: { iterations: [100_000], slowdown: [0] },
    request: { method: 'GET', path: '/' },
    variants: {
      a: ({ params }) => createServer((_req, res) => res.end(JSON.stringify({ h: work(Number(params.iterations)) }))),
      b: ({ params }) => createServer((_req, res) => res.end(JSON.stringify({ h: work(scaled(Number(params.iterations), params.slowdown)) }))),
    },
  }),
]

/**
 * The HTTP servers under test, in this process over real databases: every endpoint answers with
 * the right status and body on the raw server and on the layered application (direct and broker
 * writes); the traced pass's phases are present and, with the unattributed rest, add up to the
 * traced total; a factory's result is bound to 127.0.0.1 whatever its shape.
 */
import http from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { HttpServerContext, HttpServerFactory } from '../../cli/config/types.ts'
import { listen, startServer, type RunningServer } from '../../cli/engine/http-server.ts'
import { summarizeBreakdown } from '../../cli/stats/breakdown.ts'
import type { Backend } from '../../fixtures/db/index.ts'
import { sampleActivity } from '../../fixtures/http/activities.ts'
import { SEEDED_ACTIVITIES } from '../../fixtures/http/database.ts'
import { layered, layeredBroker, raw } from '../../fixtures/http/servers.ts'
import { startTracing, stopTracing } from '../../cli/trace/index.ts'
import { SERVICE_URLS, serviceAvailable } from '../support/services.ts'

const postgresUp = await serviceAvailable('postgres')

function context(backend: Backend): HttpServerContext {
  return { params: { backend }, variant: 'test', scenario: 'http-servers', signal: new AbortController().signal, state: undefined }
}

async function call(server: RunningServer, method: string, path: string, body?: unknown) {
  const response = await fetch(`http://127.0.0.1:${server.port}${path}`, {
    method,
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}),
  })
  const text = await response.text()
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined }
}

const SERVERS: Array<[string, HttpServerFactory]> = [
  ['raw', raw],
  ['layered', layered],
  ['layered (broker writes)', layeredBroker],
]

describe.each<[Backend, boolean]>([
  ['pglite', true],
  ['postgres', postgresUp],
])('HTTP servers on %s', (backend, available) => {
  const running = new Map<string, RunningServer>()

  beforeAll(async () => {
    if (!available) return
    if (backend === 'postgres') process.env.PERFKIT_PG_URL ??= SERVICE_URLS.postgres
    for (const [name, factory] of SERVERS) running.set(name, await startServer(factory, context(backend)))
  })
  afterAll(async () => {
    for (const server of running.values()) await server.close()
  })

  describe.each(SERVERS.map(([name]) => name))('%s', (name) => {
    const server = () => running.get(name)!

    it.skipIf(!available)('GET /health answers 200 {status: ok} from 127.0.0.1', async () => {
      expect(server().server.address()).toMatchObject({ address: '127.0.0.1' })
      const r = await call(server(), 'GET', '/health')
      expect(r.status).toBe(200)
      expect(r.headers.get('content-type')).toMatch(/^application\/json/)
      expect(r.body).toEqual({ status: 'ok' })
    })

    it.skipIf(!available)('POST /activities creates one and answers 201 with it; GET /activities/:id reads it back', async () => {
      const request = { ...sampleActivity(7), title: `http test ${name} ${Date.now()}` }
      const created = await call(server(), 'POST', '/activities', request)
      expect(created.status).toBe(201)
      expect(created.body).toMatchObject({ ...request, id: expect.any(Number) })
      const read = await call(server(), 'GET', `/activities/${created.body!.id}`)
      expect(read.status).toBe(200)
      const { tags: _tags, ...stored } = request
      expect(read.body).toEqual({ ...stored, id: created.body!.id })
    })

    it.skipIf(!available)('GET /activities/:id answers a seeded activity, and 404 for one that does not exist', async () => {
      const r = await call(server(), 'GET', '/activities/42')
      expect(r.status).toBe(200)
      expect(r.body).toMatchObject({ id: 42, userId: 43, title: 'Seeded session 42', activityType: 'cycling', distanceKm: 3 + (42 % 17), activityDate: expect.stringMatching(/^2026-/) })
      const missing = await call(server(), 'GET', '/activities/2000000000')
      expect(missing.status).toBe(404)
      expect(missing.body).toMatchObject({ error: 'not_found' })
    })

    it.skipIf(!available)("GET /activities?userId= lists the user's latest, newest first", async () => {
      const r = await call(server(), 'GET', '/activities?userId=5&limit=7')
      expect(r.status).toBe(200)
      const activities = r.body!.activities as Array<{ userId: number; activityDate: string }>
      expect(activities).toHaveLength(7)
      expect(activities.every((a) => a.userId === 5)).toBe(true)
      const dates = activities.map((a) => a.activityDate)
      expect([...dates].sort().reverse()).toEqual(dates)
    })

    it.skipIf(!available)('answers a malformed body or query with 400 and an unknown path with 404', async () => {
      expect((await call(server(), 'POST', '/activities', '{"userId": ')).status).toBe(400)
      expect((await call(server(), 'POST', '/activities', { title: 'no user' })).status).toBe(400)
      expect((await call(server(), 'GET', '/activities?userId=abc')).status).toBe(400)
      expect((await call(server(), 'GET', '/nope')).status).toBe(404)
    })
  })

  it.skipIf(!available)('the layered application adds a request id, reports every invalid field, and answers 405 with Allow', async () => {
    const server = running.get('layered')!
    const r = await call(server, 'POST', '/activities', { ...sampleActivity(), userId: 0, durationMinutes: -5 })
    expect(r.status).toBe(400)
    expect(r.headers.get('x-request-id')).toMatch(/^[0-9a-f]{8}-\d+$/)
    expect(r.body).toMatchObject({ error: 'validation', fields: [{ field: 'userId' }, { field: 'durationMinutes' }] })
    const traced = await fetch(`http://127.0.0.1:${server.port}/health`, { headers: { 'x-request-id': 'caller-chosen-42' } })
    expect(traced.headers.get('x-request-id')).toBe('caller-chosen-42')
    const wrong = await call(server, 'DELETE', '/activities/1')
    expect(wrong.status).toBe(405)
    expect(wrong.headers.get('allow')).toBe('GET')
    const plain = await fetch(`http://127.0.0.1:${server.port}/activities`, { method: 'POST', body: 'x', headers: { 'content-type': 'text/plain' } })
    expect(plain.status).toBe(415)
  })

  it.skipIf(!available)('traced requests break down into phases that, with the rest, add up to the traced total', async () => {
    const expected: Record<string, string[]> = {
      raw: ['json.decode', 'db', 'json.encode', 'respond'],
      layered: ['request-id', 'access-log', 'route', 'body.read', 'json.decode', 'validate', 'service', 'db', 'json.encode', 'respond'],
      'layered (broker writes)': ['request-id', 'access-log', 'log', 'route', 'validate', 'service', 'timeout', 'tx.begin', 'usecase.createActivity', 'chain', 'tx.commit', 'db', 'json.encode'],
    }
    for (const [name] of SERVERS) {
      const server = running.get(name)!
      startTracing()
      let ops
      try {
        for (let i = 0; i < 10; i++) {
          expect((await call(server, 'POST', '/activities', sampleActivity(i))).status).toBe(201)
          const got = await call(server, 'GET', `/activities/${1 + ((i * 97) % SEEDED_ACTIVITIES)}`)
          expect(got.status, `${name} ${JSON.stringify(got.body)} ${i}`).toBe(200)
        }
      } finally {
        ops = stopTracing()
      }
      expect(ops).toHaveLength(20)
      for (const op of ops) {
        const attributed = Object.values(op.phases).reduce((a, b) => a + b, 0)
        expect(attributed).toBeLessThanOrEqual(op.totalNs)
        expect(op.totalNs).toBeGreaterThan(0)
      }
      const breakdown = summarizeBreakdown(ops)
      const names = breakdown.phases.map((p) => p.name)
      for (const phase of expected[name]!) expect(names, `${name} has phase ${phase}`).toContain(phase)
      const sum = breakdown.phases.reduce((total, p) => total + p.meanNs, 0) + breakdown.restMeanNs
      expect(Math.abs(sum - breakdown.totalMeanNs)).toBeLessThan(1e-6 * breakdown.totalMeanNs)
      expect(breakdown.restMeanNs).toBeGreaterThanOrEqual(0)
      // Every request kept touched the database; a request stalled past 10× the median (the machine
      // preempted it) is left out of the figures and counted instead.
      expect(breakdown.ops + (breakdown.outliers ?? 0)).toBe(20)
      expect(breakdown.phases.find((p) => p.name === 'db')!.count).toBe(breakdown.ops)
    }
  })
})

describe('binding a factory’s server to 127.0.0.1', () => {
  const hello: http.RequestListener = (_req, res) => res.end('hello')

  it('accepts a listener, an http.Server not yet listening, or { handler | server, close }', async () => {
    let closed = 0
    for (const handle of [hello, http.createServer(hello), { handler: hello, close: () => void closed++ }, { server: http.createServer(hello), close: () => void closed++ }]) {
      const server = await listen(handle)
      expect(server.server.address()).toMatchObject({ address: '127.0.0.1' })
      expect(await (await fetch(`http://127.0.0.1:${server.port}/`)).text()).toBe('hello')
      expect(server.received).toBe(1)
      await server.close()
      expect(server.server.listening).toBe(false)
    }
    expect(closed).toBe(2)
  })

  it('refuses a server that already listens, and anything that is not a server', async () => {
    const listening = http.createServer(hello)
    await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve))
    await expect(listen(listening)).rejects.toThrow(/already listening; return it before calling listen\(\)/)
    listening.close()
    await expect(listen(42 as never)).rejects.toThrow(/the server factory returned number; return a request listener/)
    await expect(listen({ close: () => 1 } as never)).rejects.toThrow(/an object without a handler or server/)
  })
})

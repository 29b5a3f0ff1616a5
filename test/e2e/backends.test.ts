/**
 * Data-backed scenarios through the built CLI: an unreachable database or cache, a database that
 * goes away in the middle of a run, and the broker's latency breakdown in a real result.
 */
import { readFileSync } from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { MicroScenarioResult, RunResult } from '../../cli/result/schema.ts'
import { FIXTURES, runCli, tempDir } from '../support/cli.ts'
import { SERVICE_URLS, serviceAvailable } from '../support/services.ts'

const S = `${FIXTURES}/scenarios`
const SECRET = 'hunter2'
const read = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'result.json'), 'utf8')) as RunResult & { scenarios: MicroScenarioResult[] }

/** Nothing perfkit wrote or printed contains the password. */
function expectNoSecret(out: string, ...texts: string[]) {
  for (const text of [...texts, readFileSync(path.join(out, 'result.json'), 'utf8'), readFileSync(path.join(out, 'index.html'), 'utf8')]) {
    expect(text).not.toContain(SECRET)
  }
}

describe('backends that cannot be reached (exit 3, one line per variant, the rest still measured)', () => {
  it('an unreachable PostgreSQL URL', async () => {
    const out = tempDir()
    const result = await runCli(
      ['run', 'scenarios/broker-vs-direct.bench.ts', `${S}/ok/tiny.bench.ts`, '--param', 'backend=postgres', '--filter', '^(broker-vs-direct/broker$|tiny)', '--quick', '--out', out],
      { env: { PERFKIT_PG_URL: `postgres://perfkit:${SECRET}@127.0.0.1:1/nowhere` } },
    )
    expect(result.code).toBe(3)
    const message =
      'cannot reach PostgreSQL at postgres://perfkit:***@127.0.0.1:1/nowhere: connect ECONNREFUSED 127.0.0.1:1; check that the server is running and that PERFKIT_PG_URL (or backends.postgres in perfkit.config.ts) is right'
    expect(result.stderr.split('\n')).toContain(`broker-vs-direct[backend=postgres,logLevel=info]/direct: errored: ${message}`)
    expect(result.stderr).not.toMatch(/\n\s+at /)
    expectNoSecret(out, result.stdout, result.stderr)
    const json = read(out)
    const broker = json.scenarios.find((s) => s.name === 'broker-vs-direct')!
    expect(broker.variants.map((v) => [v.name, v.state, v.state === 'errored' ? v.phase : ''])).toEqual([
      ['direct', 'errored', 'setup'],
      ['broker', 'errored', 'setup'],
    ])
    expect(broker.variants[0]).toMatchObject({ error: { message } })
    expect(json.scenarios.find((s) => s.name === 'tiny')).toMatchObject({ state: 'completed' })
  })

  it('an unreachable Redis URL errors the cached variants only', async () => {
    const out = tempDir()
    const result = await runCli(['run', 'scenarios/decorated-vs-plain.bench.ts', '--param', 'cache=redis', '--filter', 'decorated-vs-plain/caching$', '--quick', '--out', out], {
      env: { PERFKIT_REDIS_URL: `redis://:${SECRET}@127.0.0.1:1` },
      timeoutMs: 240_000,
    })
    expect(result.code).toBe(3)
    expect(result.stderr).toMatch(
      /\/caching: errored: cannot reach Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:1: .+; check that it is running and that PERFKIT_REDIS_URL \(or backends\.redis in perfkit\.config\.ts\) is right\n/,
    )
    expectNoSecret(out, result.stdout, result.stderr)
    const [scenario] = read(out).scenarios
    expect(scenario!.variants.map((v) => [v.name, v.state])).toEqual([
      ['service', 'completed'],
      ['caching', 'errored'],
    ])
  }, 300_000)
})

/** A TCP relay to the real PostgreSQL that can be cut, as if the server went away. */
function relay(target: { host: string; port: number }) {
  const sockets = new Set<net.Socket>()
  let chunks = 0
  let firstAt = 0
  let cut = false
  const server = net.createServer((client) => {
    if (cut) return client.destroy()
    const upstream = net.connect(target)
    sockets.add(client).add(upstream)
    client.on('data', () => {
      chunks++
      firstAt ||= Date.now()
    })
    client.pipe(upstream).pipe(client)
    const drop = () => {
      client.destroy()
      upstream.destroy()
    }
    client.on('error', drop).on('close', drop)
    upstream.on('error', drop).on('close', drop)
  })
  return {
    listen: () => new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port))),
    stats: () => ({ chunks, sinceFirstMs: firstAt ? Date.now() - firstAt : 0 }),
    cut: () => {
      cut = true
      server.close()
      for (const socket of sockets) socket.destroy()
    },
  }
}

describe('a PostgreSQL that goes away in the middle of a run', () => {
  it('errors the affected variants with one line and keeps what was measured before', async (context) => {
    if (!(await serviceAvailable('postgres'))) return context.skip()
    const target = new URL(SERVICE_URLS.postgres)
    const proxy = relay({ host: target.hostname, port: Number(target.port || 5432) })
    const port = await proxy.listen()
    // Cut once the timed rounds are surely under way: 14 s after the first statement, past the
    // processes' set-up and warm-ups (each runs until rounds stop getting faster, at most 12 of
    // 250 ms); the rounds last 20 s in all. A count of statements cut inside the warm-up.
    const watch = setInterval(() => {
      const { chunks, sinceFirstMs } = proxy.stats()
      if (sinceFirstMs > 14_000 && chunks > 0) {
        clearInterval(watch)
        proxy.cut()
      }
    }, 20)
    const out = tempDir()
    const url = `postgres://${target.username || 'postgres'}:${SECRET}@127.0.0.1:${port}${target.pathname}`
    try {
      // One process per variant: the connection is cut in the middle of its timed rounds (with
      // several, the cut could fall in a later process's set-up or warm-up instead).
      const result = await runCli(['run', `${S}/backends/postgres-select.bench.ts`, '--processes', '1', '--out', out], { env: { PERFKIT_PG_URL: url }, timeoutMs: 180_000 })
      expect(result.code).toBe(3)
      const lost = /^pg-select\/(one|two): errored: lost the connection to PostgreSQL at postgres:\/\/\w+:\*\*\*@127\.0\.0\.1:\d+\/\w+: .+; check that the server is still running$/
      expect(result.stderr.split('\n').filter((line) => lost.test(line))).toHaveLength(2)
      expectNoSecret(out, result.stdout, result.stderr)
      const json = read(out)
      const pg = json.scenarios.find((s) => s.name === 'pg-select')!
      for (const variant of pg.variants) {
        expect(variant.state).toBe('errored')
        if (variant.state !== 'errored') continue
        expect(variant.phase).toMatch(/^round \d+$/)
        expect(variant.rounds.length).toBeGreaterThanOrEqual(1)
        expect(variant.rounds.length).toBeLessThan(40)
      }
      expect(json.scenarios.find((s) => s.name === 'after-pg')).toMatchObject({ state: 'completed' })
    } finally {
      clearInterval(watch)
      proxy.cut()
    }
  }, 200_000)
})

describe('the broker on the embedded database', () => {
  it('runs with nothing installed and carries a breakdown whose phases and rest add up to the traced time', async () => {
    const out = tempDir()
    const result = await runCli(['run', 'scenarios/broker-vs-direct.bench.ts', '--filter', 'broker-chain/broker$', '--quick', '--out', out], { timeoutMs: 180_000 })
    expect(result.code).toBe(0)
    const [chain] = read(out).scenarios
    expect(chain).toMatchObject({ id: 'broker-chain[backend=pglite,logLevel=info]', state: 'completed' })
    const broker = chain!.variants.find((v) => v.name === 'broker')!
    expect(broker.state).toBe('completed')
    if (broker.state !== 'completed') return
    const breakdown = broker.breakdown!
    expect(breakdown.phases.map((p) => p.name).sort()).toEqual(['chain', 'log', 'timeout', 'tx.begin', 'tx.commit', 'usecase.attachTags', 'usecase.createActivity', 'usecase.updateUserStats'])
    const sum = breakdown.phases.reduce((total, p) => total + p.meanNs, 0) + breakdown.restMeanNs
    expect(sum).toBeCloseTo(breakdown.totalMeanNs, 3)
    expect(breakdown.phases.reduce((total, p) => total + p.share, 0) + breakdown.restShare).toBeCloseTo(1, 9)
    for (const phase of breakdown.phases) expect(phase.medianNs).toBeGreaterThanOrEqual(0)
    expect(result.stdout).toMatch(/broker breakdown \(traced .+\/op\): .*tx\.begin/)
  }, 200_000)
})

describe('the event store on the embedded database', () => {
  it('counts the conflicts and retries of concurrent writers on one book', async () => {
    const out = tempDir()
    const result = await runCli(['run', 'scenarios/event-store.bench.ts', '--filter', 'event-store/contention/same-book', '--param', 'events=1000', '--quick', '--out', out], {
      timeoutMs: 240_000,
    })
    expect(result.code).toBe(0)
    const [contention] = read(out).scenarios
    expect(contention).toMatchObject({ id: 'event-store/contention[events=1000,backend=pglite,writers=4]', state: 'completed' })
    const counters = Object.fromEntries(contention!.variants.map((v) => [v.name, v.counters]))
    // Four writers on one book: every round, all query, one append wins, the others conflict and retry.
    expect(counters['same-book']!.conflicts).toBeGreaterThan(0)
    expect(counters['same-book']!.retries).toBe(counters['same-book']!.conflicts)
    expect(counters.sequential!.conflicts).toBe(0)
    for (const name of ['sequential', 'same-book']) expect(counters[name]!.commands).toBeGreaterThan(0)
  }, 300_000)
})

describe('the shipped data-backed scenarios', () => {
  it('all load and validate (parameters, budgets, claims)', async () => {
    const result = await runCli(['list', 'scenarios/broker-vs-direct.bench.ts', 'scenarios/decorated-vs-plain.bench.ts', 'scenarios/event-store.bench.ts', '--json'])
    expect(result.code).toBe(0)
    const names = (JSON.parse(result.stdout) as Array<{ name: string }>).map((s) => s.name)
    expect(names).toEqual(
      expect.arrayContaining(['broker-vs-direct', 'broker-chain', 'broker-overhead', 'decorated-vs-plain', 'event-store/query', 'event-store/append', 'event-store/append-5', 'event-store/workflow', 'event-store/contention']),
    )
  })
})

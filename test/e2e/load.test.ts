/**
 * End-to-end: load scenarios through the built CLI — the sweep as cases, the level × variant table,
 * OOM and a lost server as cell results, bad input and unreachable servers as one line.
 * Small windows; no wall-clock assertions.
 */
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { LoadScenarioResult, LoadVariantResult, RunResult } from '../../cli/result/schema.ts'
import { expectOneLine, FIXTURES, runCli, tempDir } from '../support/cli.ts'
import { serviceAvailable } from '../support/services.ts'

const L = `${FIXTURES}/scenarios/load`
const redisUp = await serviceAvailable('redis')
const read = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'result.json'), 'utf8')) as RunResult & { scenarios: LoadScenarioResult[] }
const cell = (s: LoadScenarioResult, name: string) => s.variants.find((v) => v.name === name)!
const figuresOf = (v: LoadVariantResult) => {
  if (v.state !== 'completed') throw new Error(`${v.name} is ${v.state}`)
  return v.figures
}

describe('perfkit run: load scenarios', () => {
  it('measures each level of the sweep as its own case and prints the level × variant table', async () => {
    const out = tempDir()
    const result = await runCli(['run', `${L}/small.bench.ts`, '--out', out, '--seed', '3'])
    expect(result.stderr).not.toMatch(/internal error/)
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/small-load \[producers=2\] — A small load scenario/)
    expect(result.stdout).toMatch(/small-load — producers × variant \(test\)/)
    expect(result.stdout).toMatch(/pooled: .* held at every level/)
    const json = read(out)
    expect(json.scenarios.map((s) => s.id)).toEqual(['small-load[producers=2]', 'small-load[producers=20]'])
    for (const s of json.scenarios) {
      expect(s).toMatchObject({ kind: 'load', state: 'completed', level: { name: 'producers' }, settings: { durationMs: 400, warmupMs: 100 } })
      expect(s.level.value).toBe(s.params.producers)
      for (const v of s.variants) {
        const f = figuresOf(v)
        expect(v.level).toBe(s.level.value)
        expect(f.emitted).toBeGreaterThan(0)
        expect(f.completed).toBeGreaterThan(0)
        expect(f.offeredPerSec).toBeGreaterThan(0)
        expect(f.latency.count).toBe(f.completed)
        expect(f.latency.p99Ns).toBeGreaterThanOrEqual(f.latency.p50Ns)
        expect(f.latency.p50Ns).toBeGreaterThanOrEqual(1000) // µs resolution, at least 1 µs
        expect(f.eventLoopDelay.p99Ns).toBeGreaterThanOrEqual(f.eventLoopDelay.p50Ns)
        expect(f.peakRssBytes).toBeGreaterThan(10e6)
        expect(f.peakHeapBytes).toBeGreaterThan(1e6)
        expect(f.series!.length).toBeGreaterThanOrEqual(2)
      }
      expect(figuresOf(cell(s, 'unbounded')).dropped).toBe(0)
      expect(cell(s, 'pooled').counters!.maxQueueLength).toBeLessThanOrEqual(8)
      expect(s.budgets.every((b) => b.state === 'pass')).toBe(true)
    }
    // 20 producers offer more than 2 workers with a queue of 8 can take: the pool drops, counted.
    const busy = json.scenarios[1]!
    expect(figuresOf(cell(busy, 'pooled')).dropped).toBeGreaterThan(0)
    expect(busy.claims.find((c) => c.text === 'the pool drops under load')).toMatchObject({ holds: true })
    expect(json.scenarios[0]!.claims.map((c) => c.text)).toEqual(['unbounded keeps up'])
  })

  it('--param runs one level; --filter keeps the baseline', async () => {
    const out = tempDir()
    const result = await runCli(['run', `${L}/small.bench.ts`, '--param', 'producers=7', '--filter', 'small-load/direct', '--time', '200ms', '--out', out])
    expect(result.code).toBe(0)
    const json = read(out)
    expect(json.scenarios.map((s) => s.id)).toEqual(['small-load[producers=7]'])
    expect(json.scenarios[0]!.variants.map((v) => v.name)).toEqual(['unbounded', 'direct'])
    expect(json.scenarios[0]!.settings.durationMs).toBe(200)
  })

  it('a cell that exceeds its memory ceiling is an oom finding: the other cells are measured, exit 0', async () => {
    const out = tempDir()
    const result = await runCli(['run', `${L}/oom.bench.ts`, '--out', out])
    expect(result.stderr).not.toMatch(/internal error/)
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/hoarder: out of memory after .* \(ceiling 128 MB\)/)
    expect(result.stdout).toMatch(/hoarder: falls over at 4: out of memory/)
    const [s] = read(out).scenarios
    expect(s!.state).toBe('completed')
    expect(cell(s!, 'hoarder')).toMatchObject({ state: 'oom', maxMemoryMB: 128 })
    expect(cell(s!, 'steady').state).toBe('completed')
    expect(cell(s!, 'after').state).toBe('completed')
  })

  it.skipIf(!redisUp)('a server that stops mid-run errors that cell with its message; the others keep their figures; exit 3', async () => {
    const out = tempDir()
    const result = await runCli(['run', `${L}/server-lost.bench.ts`, '--out', out])
    expect(result.code).toBe(3)
    expect(result.stdout).toMatch(/redis: errored in (window|warm-up): redis-streams: (publishing to|lost the server at) redis:\/\/127\.0\.0\.1:\d+/)
    const [s] = read(out).scenarios
    expect(cell(s!, 'redis')).toMatchObject({ state: 'errored' })
    expect(figuresOf(cell(s!, 'local')).completed).toBeGreaterThan(0)
  })

  it('the shipped pooled-vs-unbounded scenario at one level: every variant, the seed\'s claims beside', async () => {
    const out = tempDir()
    const result = await runCli(['run', 'scenarios/pooled-vs-unbounded.bench.ts', '--quick', '--param', 'concurrency=10', '--filter', '^pooled-vs-unbounded$', '--out', out])
    expect(result.stderr).not.toMatch(/internal error/)
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/pooled-vs-unbounded — concurrency × variant \(seed 003\)/)
    expect(result.stdout).toMatch(/seed 003 claimed/)
    expect(result.stdout).toMatch(/~500\/s · 5 MB · OK/)
    const [s] = read(out).scenarios
    expect(s!.variants.map((v) => v.name)).toEqual(['unbounded', 'pooled-block', 'pooled-drop', 'pooled-caller-runs', 'redis-streams', 'nats-jetstream'])
    for (const v of s!.variants) expect(['completed', 'skipped']).toContain(v.state)
    expect(figuresOf(cell(s!, 'pooled-block')).dropped).toBe(0)
    // Queue figures come only from a bus that has a queue perfkit can read, never as zeros for one that has none.
    expect(typeof cell(s!, 'pooled-block').counters?.maxQueueLength).toBe('number')
    expect(cell(s!, 'unbounded').counters?.maxQueueLength).toBeUndefined()
  })
})

describe('load scenarios: bad input and unreachable servers', () => {
  const B = `${FIXTURES}/scenarios/load-bad`

  it('a sweep level that is not a positive whole number: exit 2, one line', async () => {
    const result = await runCli(['run', `${B}/bad-level.bench.ts`])
    expectOneLine(result, /bad-level\.bench\.ts: scenario "bad-level": sweep "concurrency" sweeps over positive whole numbers, not 0\.5/, { code: 2, alone: false })
    expect(result.stdout).toBe('')
  })

  it('--param with a level that is not a positive whole number: exit 2, one line', async () => {
    const result = await runCli(['run', `${L}/small.bench.ts`, '--param', 'producers=0'])
    expectOneLine(result, /--param producers=0: scenario "small-load" sweeps over positive whole numbers, not 0 for producers/, { code: 2, alone: false })
    expect(result.stdout).toBe('')
  })

  it('a variant without its start function: exit 2, one line', async () => {
    const result = await runCli(['run', `${B}/no-start.bench.ts`])
    expectOneLine(result, /scenario "no-start": variant "b" has no `start` function/, { code: 2, alone: false })
  })

  it('an unreachable server the user pointed at stops the run before measuring: exit 3, one line', async () => {
    const out = tempDir()
    const result = await runCli(['run', 'scenarios/pooled-vs-unbounded.bench.ts', '--quick', '--out', out], { env: { PERFKIT_NATS_URL: 'nats://127.0.0.1:1' } })
    expectOneLine(result, /pooled-vs-unbounded\/nats-jetstream needs NATS, which is not reachable at nats:\/\/127\.0\.0\.1:1 \(PERFKIT_NATS_URL or backends\.nats\): start it, or unset the URL to skip the variant/, { code: 3, alone: false })
    expect(existsSync(path.join(out, 'result.json'))).toBe(false)
  })
})

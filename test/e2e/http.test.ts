/**
 * End-to-end: the built CLI on http scenarios with tiny windows — a server's whole lifecycle
 * (start, ready, measured, stopped), a server that fails to start or never gets ready (one line
 * with its stderr, exit 3), one that crashes under load (its cell errored, earlier rounds kept),
 * bad sweeps and modules (exit 2), and the shipped raw-vs-layered scenario on embedded defaults.
 * No wall-clock assertions.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { HttpScenarioResult, RunResult } from '../../cli/result/schema.ts'
import { expectOneLine, FIXTURES, runCli, tempDir } from '../support/cli.ts'

const S = `${FIXTURES}/scenarios`
const read = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'result.json'), 'utf8')) as RunResult & { scenarios: HttpScenarioResult[] }

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe('perfkit run on http scenarios', () => {
  it('starts each server in its own process, measures it at µs resolution, compares by round and stops it', async () => {
    const out = tempDir()
    const pids = path.join(out, 'pids.txt')
    const result = await runCli(['run', `${S}/http/ok.bench.ts`, '--rounds', '4', '--time', '1s', '--out', out, '--seed', '3'], { env: { PERFKIT_TEST_PIDS: pids } })
    expect(result.stderr).not.toMatch(/internal error/)
    expect(result.stdout).toMatch(/POST \/echo · connections 2/)
    expect(result.stdout).toMatch(/p50 µs\s+p99 µs\s+throughput vs baseline/)
    expect(result.stdout).toMatch(/per-request breakdown \(traced pass: 2 connections/)

    const json = read(out)
    const [scenario] = json.scenarios
    expect(scenario).toMatchObject({
      id: 'http-ok[connections=2]',
      kind: 'http',
      state: 'completed',
      level: { name: 'connections', value: 2 },
      request: { method: 'POST', path: '/echo', bodyBytes: 7 },
      settings: { workers: 0, warmupMs: 100, breakdown: { connections: 2, durationMs: 200 } },
    })
    const latencies: number[] = []
    for (const v of scenario!.variants) {
      expect(v.state, `${v.name}`).toBe('completed')
      if (v.state !== 'completed') continue
      expect(v.rounds).toHaveLength(4)
      expect(new Set(v.rounds.map((r) => r.index))).toEqual(new Set([0, 1, 2, 3]))
      for (const round of v.rounds) {
        expect(round.requests).toBeGreaterThan(0)
        expect(round.latency.count).toBe(round.requests)
        expect(round.requestsPerSec).toBeCloseTo((round.requests * 1000) / round.durationMs, 6)
        expect(round.serverCpu).toBeGreaterThan(0)
        expect(round.generatorCpu).toBeGreaterThan(0)
      }
      expect(v.stats.requests).toBe(v.rounds.reduce((sum, r) => sum + r.requests, 0))
      expect(v.stats.latency.count).toBe(v.stats.requests)
      expect(v.stats.latency.p50Ns).toBeGreaterThan(0)
      expect(v.stats.latency.p99Ns).toBeGreaterThanOrEqual(v.stats.latency.p50Ns)
      expect(v.stats).toMatchObject({ errors: 0, timeouts: 0, non2xx: 0, rounds: 4 })
      expect(v.process!.peakRssBytes).toBeGreaterThan(10e6)
      expect(v.startup!.ms).toBeGreaterThan(0)
      latencies.push(v.stats.latency.p50Ns, v.stats.latency.p99Ns, v.stats.latency.meanNs)
    }
    // Recorded per request at sub-µs resolution, not autocannon's whole milliseconds.
    expect(latencies.some((ns) => ns % 1e6 !== 0)).toBe(true)
    expect(scenario!.comparisons.map((c) => c.variant)).toEqual(['module', 'phased'])
    for (const c of scenario!.comparisons) {
      expect(c).toMatchObject({ baseline: 'inline', n: 4, test: 'wilcoxon-signed-rank' })
      expect(c.ratio.low).toBeLessThanOrEqual(c.ratio.estimate)
      expect(c.ratio.high).toBeGreaterThanOrEqual(c.ratio.estimate)
    }
    // Only the server with spans has a breakdown; its phases and the rest add up to its total.
    const phased = scenario!.variants.find((v) => v.name === 'phased')!
    expect(phased.state === 'completed' && phased.breakdown).toBeTruthy()
    if (phased.state === 'completed' && phased.breakdown) {
      const b = phased.breakdown
      expect(b.phases.map((p) => p.name).sort()).toEqual(['encode', 'parse', 'work'])
      expect(b.phases.reduce((sum, p) => sum + p.meanNs, 0) + b.restMeanNs).toBeCloseTo(b.totalMeanNs, 3)
    }
    expect(scenario!.variants.find((v) => v.name === 'inline')).not.toHaveProperty('breakdown')
    expect(scenario!.budgets.every((b) => b.state === 'pass')).toBe(true)
    expect(scenario!.claims[0]).toMatchObject({ holds: true })

    // Every server of every process of every variant started, and every one is gone: --rounds 4 is
    // two processes of two rounds per variant.
    const started = readFileSync(pids, 'utf8').trim().split('\n').map(Number)
    expect(scenario!.settings).toMatchObject({ processes: 2 })
    expect(new Set(scenario!.variants.flatMap((v) => v.rounds.map((r) => r.process)))).toEqual(new Set([0, 1]))
    expect(started).toHaveLength(3 * 2)
    expect(new Set(started).size).toBe(6)
    expect(started.filter(alive)).toEqual([])
  })

  it('a server that fails to start: one line with its stderr tail, exit 3', async () => {
    const out = tempDir()
    const result = await runCli(['run', `${S}/http/fails-to-start.bench.ts`, '--quick', '--out', out])
    expectOneLine(
      result,
      /fails-to-start\.bench\.ts: http-fails-to-start\[connections=10\]: the server of variant "broken" did not start: getaddrinfo ENOTFOUND db\.invalid \(simulated\); stderr: connecting to the database at db\.invalid:5432$/,
      { code: 3, alone: false },
    )
  })

  it('a server that never reports ready: one line with its stderr tail, exit 3', async () => {
    const out = tempDir()
    const result = await runCli(['run', `${S}/http/never-ready.bench.ts`, '--quick', '--out', out])
    expectOneLine(result, /the server of variant "stuck" never reported ready within 5s; stderr: waiting for a lock that never comes$/, { code: 3, alone: false })
  })

  it('a server that crashes under load: its cell is errored, the rounds before are kept, exit 3', async () => {
    const out = tempDir()
    // One server process per variant: the fixture crashes on its 7th connection, in round 3 of one process.
    const result = await runCli(['run', `${S}/http/crashes.bench.ts`, '--rounds', '6', '--processes', '1', '--time', '1200ms', '--out', out, '--seed', '1'])
    expect(result.code).toBe(3)
    const [scenario] = read(out).scenarios
    const steady = scenario!.variants.find((v) => v.name === 'steady')!
    const crashed = scenario!.variants.find((v) => v.name === 'crashes')!
    expect(steady.state).toBe('completed')
    expect(steady.rounds).toHaveLength(6)
    expect(crashed).toMatchObject({ state: 'errored', phase: 'round 3' })
    if (crashed.state !== 'errored') return
    expect(crashed.error.message).toMatch(/simulated crash under load/)
    expect(crashed.rounds.map((r) => r.index)).toEqual([0, 1])
    expect(crashed.stats).toMatchObject({ rounds: 2 })
    expect(crashed.stats!.requests).toBeGreaterThan(0)
    expect(result.stdout).toMatch(/crashes: errored in round 3: .*simulated crash under load.*\(figures from the 2 rounds before\)/)
  })

  it('bad sweeps, missing server modules and --param connections=0 are usage errors (exit 2, one line)', async () => {
    const sweep = await runCli(['run', `${S}/bad/http-bad-sweep.bench.ts`])
    expectOneLine(sweep, /http-bad-sweep\.bench\.ts: scenario "http-bad-sweep": `sweep\.connections` must be a non-empty array of whole numbers ≥ 1/, { alone: false })
    const missing = await runCli(['run', `${S}/bad/http-missing-module.bench.ts`])
    expectOneLine(missing, /variant "a": server module \.\/no-such-server\.ts not found/, { alone: false })
    const zero = await runCli(['run', `${S}/http/ok.bench.ts`, '--param', 'connections=0'])
    expectOneLine(zero, /--param connections=0: scenario "http-ok" sweeps over positive whole numbers, not 0 for connections/)
  })

  it('raw-vs-layered --quick runs on embedded defaults: requests/s, p50/p99 in µs, the ratio to raw with its interval', async () => {
    const out = tempDir()
    const result = await runCli(['run', 'scenarios/raw-vs-layered.bench.ts', '--quick', '--param', 'connections=10', '--param', 'endpoint=health', '--out', out], {
      timeoutMs: 300_000,
    })
    expect(result.stderr).not.toMatch(/internal error/)
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/raw-vs-layered \[endpoint=health, backend=pglite, healthLog=false, connections=10\]/)
    expect(result.stdout).toMatch(/req\/s\s+p50 µs\s+p99 µs\s+throughput vs baseline/)
    expect(result.stdout).toMatch(/raw \(baseline\)\s+[\d.]+ k?\s+[\d,]+\s+[\d,]+\s+1\.00×/)
    expect(result.stdout).toMatch(/layered\s+[\d.]+ k?\s+[\d,]+\s+[\d,]+\s+[\d.]+× \[[\d.]+–[\d.]+\]/)
    expect(result.stdout).toMatch(/claim "The layered architecture keeps about 90 % of raw throughput"/)
    const [scenario] = read(out).scenarios
    expect(scenario!.comparisons[0]).toMatchObject({ variant: 'layered', baseline: 'raw' })
    const layered = scenario!.variants.find((v) => v.name === 'layered')!
    expect(layered.state === 'completed' && layered.breakdown?.phases.map((p) => p.name)).toEqual(expect.arrayContaining(['route', 'request-id', 'json.encode', 'respond']))
  })
})

/** The terminal table of an http case, on a synthetic result: µs columns, throughput ratio, partial figures of a failed cell, the breakdown. */
import { describe, expect, it } from 'vitest'
import { renderScenario } from '../../cli/report/console.ts'
import type { HttpRound, HttpScenarioResult, HttpStats } from '../../cli/result/schema.ts'

const latency = (p50Ns: number, p99Ns: number) => ({ count: 1000, meanNs: p50Ns * 1.1, p50Ns, p90Ns: p50Ns * 2, p99Ns, p999Ns: p99Ns * 1.5, maxNs: p99Ns * 2 })

function round(index: number, rps: number): HttpRound {
  return {
    index,
    position: index % 2,
    durationMs: 250,
    requests: rps / 4,
    requestsPerSec: rps,
    latency: latency(412_345, 1_234_567),
    errors: 0,
    timeouts: 0,
    non2xx: 0,
    serverCpu: 0.97,
    serverCpuPerRequestNs: 41_200,
    generatorCpu: 0.55,
  }
}

function stats(rps: number, p50Ns: number, p99Ns: number, rounds: number): HttpStats {
  return { requestsPerSec: rps, cv: 0.02, requests: rps * rounds, latency: latency(p50Ns, p99Ns), errors: 0, timeouts: 0, non2xx: 3, rounds, serverCpuPerRequestNs: 41_200 }
}

const process = { peakRssBytes: 82_300_000, heapUsedBytes: 12e6, gc: { count: 4, totalMs: 3.2 } }

const scenario: HttpScenarioResult = {
  kind: 'http',
  id: 'raw-vs-layered[endpoint=health,connections=50]',
  name: 'raw-vs-layered',
  title: 'Raw vs layered',
  file: 'scenarios/raw-vs-layered.bench.ts',
  baseline: 'raw',
  params: { endpoint: 'health', connections: 50 },
  state: 'completed',
  startedAt: '2026-01-01T00:00:00.000Z',
  durationMs: 9000,
  warnings: ['raw: the load generator, not the server, was the bottleneck (generator 95% of its core, server 70% of a core)'],
  budgets: [],
  claims: [],
  level: { name: 'connections', value: 50 },
  request: { method: 'GET', path: '/health', bodyBytes: 0 },
  settings: { roundMs: 250, warmupMs: 1000, minEffect: 0.05, alpha: 0.01, resamples: 2000, level: 0.99, workers: 0, breakdown: { connections: 1, durationMs: 1000 } },
  variants: [
    {
      name: 'raw',
      isBaseline: true,
      state: 'completed',
      rounds: [round(0, 20_000), round(1, 21_000)],
      flags: [],
      process,
      stats: stats(20_500, 412_345, 1_234_567, 2),
      breakdown: {
        ops: 4000,
        totalMeanNs: 80_000,
        totalMedianNs: 78_000,
        phases: [{ name: 'respond', meanNs: 60_000, medianNs: 59_000, share: 0.75, count: 4000 }],
        restMeanNs: 20_000,
        restShare: 0.25,
      },
    },
    {
      name: 'layered',
      isBaseline: false,
      state: 'errored',
      phase: 'round 3',
      error: { message: 'the variant\'s process exited with code 1: Error: boom' },
      rounds: [round(0, 19_000), round(1, 19_500)],
      flags: [],
      process,
      stats: stats(19_250, 450_000, 1_500_000, 2),
    },
  ],
  comparisons: [
    { variant: 'layered', baseline: 'raw', ratio: { estimate: 1.0526, low: 1.02, high: 1.0869, level: 0.99 }, pValue: 0.01, test: 'wilcoxon-signed-rank', n: 2, verdict: 'slower', minEffect: 0.05, alpha: 0.01 },
  ],
}

describe('console: an http case', () => {
  const text = renderScenario(scenario, { color: false })

  it('prints requests/s, p50/p99 in whole µs and the throughput ratio with its interval', () => {
    expect(text).toMatch(/GET \/health · connections 50 · windows of 250 ms after 1\.00 s of warm-up/)
    expect(text).toMatch(/raw \(baseline\)\s+20\.5 k\s+412\s+1,235\s+1\.00×\s+3\s+82\.3 MB\s+41\.2 µs\s+97%\s+55%\s+2/)
    expect(text).toMatch(/layered\s+19\.3 k\s+450\s+1,500\s+0\.950× \[0\.92–0\.98\]\s+slower/)
  })

  it('keeps the figures of a cell that failed, and says so', () => {
    expect(text).toMatch(/layered: errored in round 3: the variant's process exited with code 1: Error: boom \(figures from the 2 rounds before\)/)
  })

  it('shows the per-request breakdown, phases and rest adding up to the traced total', () => {
    expect(text).toMatch(/per-request breakdown \(traced pass: 1 connection, 1\.00 s; mean per request\)/)
    expect(text).toMatch(/respond\s+60\.0 µs\s+75%/)
    expect(text).toMatch(/\(unattributed\)\s+20\.0 µs\s+25%/)
    expect(text).toMatch(/traced total\s+80\.0 µs ×4\.00 k/)
    expect(text).toMatch(/⚠ raw: the load generator, not the server, was the bottleneck/)
  })
})

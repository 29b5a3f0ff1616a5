/**
 * Markdown tables from the result of an http run, for notes and PR comments: per case and variant
 * the throughput, latency percentiles in µs and server CPU per request; then each case's
 * per-request breakdown with the phases grouped into the rows of seed 000's "Typical API Request
 * Breakdown", the seed's figures beside ours.
 *
 *   node --import tsx scripts/http-tables.ts reports/latest/result.json [more results …]
 */
import { readFileSync } from 'node:fs'
import type { Breakdown, HttpScenarioResult, RunResult } from '../cli/result/schema.ts'
import { throughputRatio } from '../cli/stats/compare.ts'
import { median } from '../cli/stats/describe.ts'

/** Seed 000's rows, the figures it published, and the phases of ours that do that work. */
const SEED_ROWS: Array<{ row: string; seed: string; phases: (name: string) => boolean }> = [
  { row: 'HTTP parsing + routing', seed: '50–200 µs', phases: (p) => p === 'route' || p === 'request-id' },
  { row: 'JSON decoding', seed: '100–500 µs', phases: (p) => p === 'body.read' || p === 'json.decode' },
  { row: 'Validation', seed: '50–100 µs', phases: (p) => p === 'validate' },
  {
    row: 'Broker overhead',
    seed: '~160 µs',
    phases: (p) => p === 'timeout' || p === 'chain' || p === 'log' || p.startsWith('tx.') || p.startsWith('usecase.'),
  },
  { row: 'Database query', seed: '1–10 ms', phases: (p) => p === 'db' },
  { row: 'JSON encoding', seed: '100–300 µs', phases: (p) => p === 'json.encode' },
  { row: 'Service layer (not in the seed)', seed: '—', phases: (p) => p === 'service' },
  { row: 'Writing the response (not in the seed)', seed: '—', phases: (p) => p === 'respond' },
  { row: 'Access log (not in the seed)', seed: '—', phases: (p) => p === 'access-log' },
]

const us = (ns: number) => (ns / 1000).toFixed(1)
const int = (x: number) => Math.round(x).toLocaleString('en-US')

function http(result: RunResult): HttpScenarioResult[] {
  return result.scenarios.filter((s): s is HttpScenarioResult => s.kind === 'http')
}

function summaryTable(cases: HttpScenarioResult[]): string {
  const lines = [
    '| case | variant | req/s | vs baseline (throughput) | p50 µs | p90 µs | p99 µs | server CPU/req µs | load gen CPU/req µs | server CPU | load gen CPU | peak RSS MB | rounds |',
    '|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ]
  for (const s of cases) {
    for (const v of s.variants) {
      const st = v.stats
      const c = s.comparisons.find((x) => x.variant === v.name)
      const t = c ? throughputRatio(c) : undefined
      const ratio = v.isBaseline ? '1.00 (baseline)' : c && t ? `${t.estimate.toFixed(3)} [${t.low.toFixed(3)}–${t.high.toFixed(3)}] ${c.verdict}` : '—'
      const med = (pick: (r: (typeof v.rounds)[number]) => number | undefined) => {
        const xs = v.rounds.map(pick).filter((x): x is number => x !== undefined)
        return xs.length ? `${Math.round(median(xs) * 100)}%` : '—'
      }
      // The generator's CPU per request it received: when it is close to the server's, the generator caps the rate.
      const generatorPerRequest = v.rounds.flatMap((r) => (r.generatorCpu !== undefined && r.requests > 0 ? [(r.generatorCpu * r.durationMs * 1e6) / r.requests] : []))
      lines.push(
        `| ${s.id} | ${v.name}${v.state === 'completed' ? '' : ` (${v.state})`} | ${st ? int(st.requestsPerSec) : '—'} | ${ratio} | ${st ? int(st.latency.p50Ns / 1000) : '—'} | ${st ? int(st.latency.p90Ns / 1000) : '—'} | ${st ? int(st.latency.p99Ns / 1000) : '—'} | ${st?.serverCpuPerRequestNs !== undefined ? us(st.serverCpuPerRequestNs) : '—'} | ${generatorPerRequest.length ? us(median(generatorPerRequest)) : '—'} | ${med((r) => r.serverCpu)} | ${med((r) => r.generatorCpu)} | ${v.process ? (v.process.peakRssBytes / 1e6).toFixed(1) : '—'} | ${v.rounds.length} |`,
      )
    }
  }
  return lines.join('\n')
}

function breakdownTable(s: HttpScenarioResult): string | undefined {
  const traced = s.variants.flatMap((v) => (v.state === 'completed' && v.breakdown ? [{ name: v.name, b: v.breakdown }] : []))
  if (traced.length === 0) return undefined
  const grouped = (b: Breakdown, match: (name: string) => boolean) => b.phases.filter((p) => match(p.name)).reduce((sum, p) => sum + p.meanNs, 0)
  const cell = (b: Breakdown, ns: number) => (ns > 0 ? `${us(ns)} (${((ns / b.totalMeanNs) * 100).toFixed(1)} %)` : '—')
  const how = s.settings.breakdown ? `traced pass at ${s.settings.breakdown.connections} connection(s), mean µs per request` : 'mean µs per request'
  const lines = [
    `**${s.id}** — ${s.request.method} ${s.request.path} (${how})`,
    '',
    `| seed 000 row | seed figure | ${traced.map((t) => t.name).join(' | ')} |`,
    `|---|---|${traced.map(() => '---:').join('|')}|`,
  ]
  for (const { row, seed, phases } of SEED_ROWS) {
    if (traced.every((t) => grouped(t.b, phases) === 0)) continue
    lines.push(`| ${row} | ${seed} | ${traced.map((t) => cell(t.b, grouped(t.b, phases))).join(' | ')} |`)
  }
  lines.push(`| Unattributed (Node's HTTP handling, awaits, tracing) | — | ${traced.map((t) => cell(t.b, t.b.restMeanNs)).join(' | ')} |`)
  lines.push(`| **Traced total** | 25–220 ms incl. network | ${traced.map((t) => `**${us(t.b.totalMeanNs)}** (${t.b.ops} requests)`).join(' | ')} |`)
  return lines.join('\n')
}

const files = process.argv.slice(2)
if (files.length === 0) {
  process.stderr.write('usage: node --import tsx scripts/http-tables.ts <result.json> [more …]\n')
  process.exit(2)
}
const cases = files.flatMap((file) => http(JSON.parse(readFileSync(file, 'utf8')) as RunResult))
process.stdout.write(`${summaryTable(cases)}\n\n`)
for (const s of cases) {
  const table = breakdownTable(s)
  if (table) process.stdout.write(`${table}\n\n`)
}

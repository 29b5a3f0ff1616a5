/**
 * The trust suite: how often perfkit calls identical code different, and how often it catches a
 * known change, per workload type. For each type it runs an A/A case and known answers (+10 %,
 * +25 % of the same work in variant b), N runs each at the default budget, interleaved so the
 * machine's drift hits every case alike, and prints a table per type: false slower/faster,
 * inconclusive, detections (slower with the interval containing the true ratio), median interval
 * half-width, wall time per run. Optionally also `perfkit compare` of consecutive A/A runs: false
 * `slower` on the baseline variant's own time.
 *
 *   node --import tsx scripts/trust.ts [--runs 20] [--types arithmetic,allocation,map,async,pglite,http]
 *                                      [--slowdowns 0,0.1,0.25] [--time 8s] [--compare] [--out trust.json]
 *
 * Run it on a quiet machine: it measures perfkit, not the machine. Figures for this machine are in
 * docs/measurement.md.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import type { RunResult, Verdict } from '../cli/result/schema.ts'

const root = path.resolve(import.meta.dirname, '..')
const SHIPPED = path.join(root, 'scenarios/noise-floor.bench.ts')
const WORKLOADS = path.join(root, 'scripts/trust/workloads.bench.ts')

/** Each workload type: its scenario file and name; `exact` when b's +x % of work is +x % of its time. */
const TYPES: Record<string, { file: string; scenario: string; exact: boolean }> = {
  arithmetic: { file: SHIPPED, scenario: 'noise-floor', exact: true },
  allocation: { file: SHIPPED, scenario: 'noise-floor-alloc', exact: true },
  map: { file: WORKLOADS, scenario: 'trust-map', exact: true },
  async: { file: WORKLOADS, scenario: 'trust-async', exact: true },
  pglite: { file: WORKLOADS, scenario: 'trust-pglite', exact: true },
  // The handler's work grows, not the HTTP overhead: the true time ratio is below 1 + slowdown.
  http: { file: WORKLOADS, scenario: 'trust-http', exact: false },
}

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '20' },
    types: { type: 'string', default: Object.keys(TYPES).join(',') },
    slowdowns: { type: 'string', default: '0,0.1,0.25' },
    time: { type: 'string' },
    compare: { type: 'boolean', default: false },
    out: { type: 'string' },
  },
})
const runs = Number(values.runs)
const types = values.types!.split(',')
const slowdowns = values.slowdowns!.split(',').map(Number)
for (const t of types) if (!TYPES[t]) throw new Error(`unknown type ${t} (known: ${Object.keys(TYPES).join(', ')})`)

interface Outcome {
  type: string
  slowdown: number
  run: number
  verdict: Verdict
  estimate: number
  low: number
  high: number
  processes: number
  wallMs: number
  resultFile: string
}

const perfkit = path.join(root, 'bin/perfkit.js')
const outcomes: Outcome[] = []
const compareVerdicts: Record<string, Verdict[]> = {}
const keep = mkdtempSync(path.join(tmpdir(), 'perfkit-trust-'))

function runOnce(type: string, slowdown: number, i: number): Outcome {
  const { file, scenario } = TYPES[type]!
  const out = path.join(keep, `${type}-${slowdown}-${i}`)
  const args = [perfkit, 'run', file, '--filter', `^${scenario}$`, '--param', `slowdown=${slowdown}`, '--out', out, '--seed', String(1000 + i)]
  if (values.time) args.push('--time', values.time)
  const started = Date.now()
  const child = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } })
  const wallMs = Date.now() - started
  if (child.status !== 0 && child.status !== 1) throw new Error(`${type} +${slowdown} run ${i} exited ${child.status}: ${child.stderr.slice(-2000)}`)
  const resultFile = path.join(out, 'result.json')
  const result = JSON.parse(readFileSync(resultFile, 'utf8')) as RunResult
  const s = result.scenarios[0]!
  const c = s.comparisons[0]!
  const processes = 'processes' in s.settings ? (s.settings.processes ?? 1) : 1
  return { type, slowdown, run: i, verdict: c.verdict, estimate: c.ratio.estimate, low: c.ratio.low, high: c.ratio.high, processes, wallMs, resultFile }
}

const median = (x: number[]) => {
  const s = [...x].sort((a, b) => a - b)
  return s.length ? (s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2) : NaN
}

const started = Date.now()
for (let i = 0; i < runs; i++) {
  for (const type of types) {
    for (const slowdown of slowdowns) {
      const o = runOnce(type, slowdown, i)
      outcomes.push(o)
      process.stderr.write(`${type} +${slowdown * 100}% run ${i + 1}/${runs}: ${o.verdict} ${o.estimate.toFixed(3)} [${o.low.toFixed(3)}–${o.high.toFixed(3)}] ${(o.wallMs / 1000).toFixed(1)} s\n`)
    }
    if (values.compare && slowdowns.includes(0) && i > 0) {
      // The baseline variant's own time, this A/A run against the previous one.
      const previous = outcomes.find((o) => o.type === type && o.slowdown === 0 && o.run === i - 1)!
      const current = outcomes.find((o) => o.type === type && o.slowdown === 0 && o.run === i)!
      const json = path.join(keep, `compare-${type}-${i}.json`)
      spawnSync(process.execPath, [perfkit, 'compare', previous.resultFile, current.resultFile, '--json', json], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } })
      const compared = JSON.parse(readFileSync(json, 'utf8')) as RunResult
      const base = compared.baseline?.scenarios[0]?.variants.find((v) => v.variant === 'a')
      const verdict = base && base.state === 'compared' ? base.time.verdict : 'inconclusive'
      ;(compareVerdicts[type] ??= []).push(verdict)
    }
  }
}

const lines: string[] = []
lines.push(`trust suite: ${runs} runs per case, default budget${values.time ? ` (--time ${values.time})` : ''}, ${((Date.now() - started) / 60000).toFixed(1)} min in all`)
for (const type of types) {
  lines.push('', `${type}`)
  lines.push('  case    slower  faster  same  inconclusive  caught  median ±   processes  wall/run')
  for (const slowdown of slowdowns) {
    const mine = outcomes.filter((o) => o.type === type && o.slowdown === slowdown)
    const count = (v: Verdict) => mine.filter((o) => o.verdict === v).length
    const truth = 1 + slowdown
    const caught =
      slowdown === 0 ? '—' : String(mine.filter((o) => o.verdict === 'slower' && (!TYPES[type]!.exact || (o.low <= truth && o.high >= truth))).length)
    const halfWidth = median(mine.map((o) => (Math.log(o.high) - Math.log(o.low)) / 2)) * 100
    const label = slowdown === 0 ? 'A/A' : `+${Math.round(slowdown * 100)} %`
    lines.push(
      `  ${label.padEnd(6)}  ${String(count('slower')).padStart(6)}  ${String(count('faster')).padStart(6)}  ${String(count('same')).padStart(4)}  ${String(count('inconclusive')).padStart(12)}  ${caught.padStart(6)}  ${halfWidth.toFixed(1).padStart(6)} %  ${String(median(mine.map((o) => o.processes))).padStart(9)}  ${(median(mine.map((o) => o.wallMs)) / 1000).toFixed(1).padStart(6)} s`,
    )
  }
  if (compareVerdicts[type]) {
    const v = compareVerdicts[type]!
    lines.push(`  compare of consecutive A/A runs, baseline variant's own time: ${v.filter((x) => x === 'slower').length} slower, ${v.filter((x) => x === 'faster').length} faster, ${v.filter((x) => x === 'same').length} same, ${v.filter((x) => x === 'inconclusive').length} inconclusive of ${v.length}`)
  }
  if (!TYPES[type]!.exact) lines.push('  (caught = slower; the injected work is the handler\'s, so the true ratio is below 1 + slowdown)')
}
console.log(lines.join('\n'))
if (values.out) writeFileSync(values.out, JSON.stringify({ runs, types, slowdowns, outcomes, compareVerdicts }, null, 2))
rmSync(keep, { recursive: true, force: true })

/**
 * How often the CI gate cries wolf and how often it catches a real slowdown, run the way a user runs
 * it: `perfkit calibrate` saves a calibrated baseline of scenarios/noise-floor.bench.ts, then
 * `perfkit run --baseline main` is repeated on identical code (A/A) and with `b` made 5 % and 10 %
 * slower (`--param slowdown=…`), interleaved so a machine that changes over time hits all three alike.
 *
 *   node --import tsx scripts/gate-detection.ts [--runs 20] [--calibration-runs 10] [--time 8s] [--keep]
 *
 * A false regression is an A/A run that exits 1; a detection is a slowed run that exits 1 naming `b`.
 * Everything runs in a temporary folder (printed), at the default time budget unless --time is given.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import type { RunResult, VariantRegression } from '../cli/result/schema.ts'

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '20' },
    'calibration-runs': { type: 'string', default: '10' },
    time: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
})
const runs = Number(values.runs)
const root = path.resolve(import.meta.dirname, '..')
const bin = path.join(root, 'bin/perfkit.js')
const scenario = path.join(root, 'scenarios/noise-floor.bench.ts')
const work = mkdtempSync(path.join(tmpdir(), 'perfkit-gate-detection-'))
const timeFlags = values.time ? ['--time', values.time] : []

function perfkit(args: string[]): { status: number; stderr: string } {
  const child = spawnSync(process.execPath, [bin, ...args], { cwd: work, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', GITHUB_STEP_SUMMARY: '' } })
  return { status: child.status ?? -1, stderr: child.stderr }
}

const started = Date.now()
console.log(`work folder: ${work}`)
const calibration = perfkit(['calibrate', scenario, '--runs', values['calibration-runs']!, ...timeFlags])
if (calibration.status !== 0) throw new Error(`calibrate exited ${calibration.status}: ${calibration.stderr}`)
const baseline = JSON.parse(readFileSync(path.join(work, 'reports/baselines/main.json'), 'utf8')) as RunResult
const floors = baseline.calibration!.scenarios[0]!.noiseFloor
console.log(`calibrated from ${values['calibration-runs']} A/A runs: noise floor time ${(floors.time * 100).toFixed(1)}%, ratio ${((floors.ratio ?? 0) * 100).toFixed(1)}%`)

const slowdowns = [0, 0.05, 0.1]
const tally = new Map(slowdowns.map((s) => [s, { exit1: 0, bSlower: 0, aSlowerTime: 0, other: [] as number[], changes: [] as string[] }]))
for (let i = 0; i < runs; i++) {
  for (const slowdown of slowdowns) {
    const out = path.join(work, `run-${slowdown}-${i}`)
    const run = perfkit(['run', scenario, '--param', `slowdown=${slowdown}`, '--baseline', 'main', '--out', out, ...timeFlags])
    const t = tally.get(slowdown)!
    if (run.status !== 0 && run.status !== 1) t.other.push(run.status)
    if (run.status === 1) t.exit1++
    const result = JSON.parse(readFileSync(path.join(out, 'result.json'), 'utf8')) as RunResult
    const variants = result.baseline!.scenarios[0]!.variants
    const find = (name: string) => variants.find((v) => v.variant === name) as VariantRegression
    const a = find('a')
    const b = find('b')
    if (b.state === 'compared' && b.verdict === 'slower') t.bSlower++
    if (a.state === 'compared' && a.time.verdict === 'slower') t.aSlowerTime++
    if (b.state === 'compared' && b.ratio) t.changes.push(`${((b.ratio.change.estimate - 1) * 100).toFixed(1)}`)
  }
}

const label = (s: number) => (s === 0 ? 'A/A (identical code)' : `+${s * 100}% injected into b`)
for (const [slowdown, t] of tally) {
  const headline = slowdown === 0 ? `${t.exit1}/${runs} false regressions (exit 1)` : `${t.bSlower}/${runs} detected (b slower), ${t.exit1}/${runs} exit 1`
  console.log(`${label(slowdown)}: ${headline}; a's own time read slower in ${t.aSlowerTime}/${runs} (not gating)${t.other.length ? `; other exit codes: ${t.other.join(', ')}` : ''}`)
  console.log(`  b's ratio to a, head ÷ base − 1 (%): ${t.changes.join(' ')}`)
}
console.log(`${((Date.now() - started) / 60000).toFixed(1)} min, ${runs * slowdowns.length + Number(values['calibration-runs'])} runs`)
if (!values.keep) rmSync(work, { recursive: true, force: true })

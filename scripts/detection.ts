/**
 * How often perfkit calls identical code different (false alarms) and how often it catches a
 * known slowdown: runs scenarios/noise-floor.bench.ts N times per injected slowdown at the
 * default time budget and counts the verdicts.
 *
 *   node --import tsx scripts/detection.ts [--runs 20] [--slowdowns 0,0.05,0.1] [--time 8s]
 *
 * Run it on a quiet machine: it measures perfkit, not the machine.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import type { RunResult } from '../cli/result/schema.ts'

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '20' }, slowdowns: { type: 'string', default: '0,0.05,0.1' }, time: { type: 'string' } },
})
const runs = Number(values.runs)
const slowdowns = values.slowdowns!.split(',').map(Number)
const root = path.resolve(import.meta.dirname, '..')

for (const slowdown of slowdowns) {
  const counts: Record<string, number> = { slower: 0, faster: 0, same: 0, inconclusive: 0 }
  const ratios: string[] = []
  const started = Date.now()
  for (let i = 0; i < runs; i++) {
    const out = mkdtempSync(path.join(tmpdir(), 'perfkit-detection-'))
    const args = [path.join(root, 'bin/perfkit.js'), 'run', path.join(root, 'scenarios/noise-floor.bench.ts'), '--param', `slowdown=${slowdown}`, '--out', out, '--seed', String(1000 + i)]
    if (values.time) args.push('--time', values.time)
    const child = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } })
    if (child.status !== 0) throw new Error(`run ${i} exited ${child.status}: ${child.stderr}`)
    const result = JSON.parse(readFileSync(path.join(out, 'result.json'), 'utf8')) as RunResult
    const comparison = result.scenarios[0]!.comparisons[0]!
    counts[comparison.verdict]!++
    ratios.push(`${comparison.ratio.estimate.toFixed(3)} [${comparison.ratio.low.toFixed(3)}, ${comparison.ratio.high.toFixed(3)}]`)
  }
  const seconds = ((Date.now() - started) / 1000 / runs).toFixed(1)
  console.log(`slowdown +${(slowdown * 100).toFixed(0)}%: ${JSON.stringify(counts)} over ${runs} runs (${seconds} s/run)`)
  console.log(`  ratios: ${ratios.join('  ')}`)
}

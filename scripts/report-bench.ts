/**
 * Size and generation time of the HTML report (without flame graphs), on synthetic results:
 * a 20-scenario micro run and a 20-case mixed run (micro, load and http sweeps). Median of 21 renders,
 * and the wall time of `perfkit report result.json` (a fresh process: start-up, reading, writing).
 *
 *   node --import tsx scripts/report-bench.ts
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { renderHtml } from '../cli/report/html.ts'
import type { RunResult, ScenarioResult } from '../cli/result/schema.ts'
import { brokerScenario, eventBusSweep, httpSweep, manyScenarioRun, runResult } from '../test/support/results.ts'

function mixedRun(count: number): RunResult {
  const scenarios: ScenarioResult[] = []
  for (let i = 0; scenarios.length < count; i++) {
    const group: ScenarioResult[] = i % 3 === 0 ? [brokerScenario()] : i % 3 === 1 ? eventBusSweep() : httpSweep()
    scenarios.push(...group.map((s) => ({ ...s, id: `${s.id}#${i}`, name: `${s.name}-${i}` })))
  }
  return runResult(scenarios.slice(0, count))
}

function measure(label: string, result: RunResult): void {
  renderHtml(result) // read the assets, warm the JIT
  const times: number[] = []
  let page = ''
  for (let i = 0; i < 21; i++) {
    const start = performance.now()
    page = renderHtml(result)
    times.push(performance.now() - start)
  }
  times.sort((a, b) => a - b)
  const charts = (page.match(/<canvas /g) ?? []).length
  console.log(`${label}: ${(Buffer.byteLength(page) / 1e6).toFixed(2)} MB, ${charts} charts; render median ${times[10]!.toFixed(1)} ms (min ${times[0]!.toFixed(1)}, max ${times[20]!.toFixed(1)})`)
}

measure('20 micro scenarios', manyScenarioRun(20))
measure('20 cases: micro + load and http sweeps', mixedRun(20))

/** `perfkit report` on the mixed result, as a user runs it (the built CLI). */
const dir = mkdtempSync(path.join(tmpdir(), 'perfkit-report-bench-'))
const file = path.join(dir, 'result.json')
writeFileSync(file, JSON.stringify(mixedRun(20)))
const bin = path.resolve(import.meta.dirname, '../bin/perfkit.js')
const walls: number[] = []
for (let i = 0; i < 7; i++) {
  const start = performance.now()
  const r = spawnSync(process.execPath, [bin, 'report', file], { encoding: 'utf8' })
  walls.push(performance.now() - start)
  if (r.status !== 0) throw new Error(r.stderr)
}
walls.sort((a, b) => a - b)
console.log(`perfkit report (20 cases, fresh process): median ${walls[3]!.toFixed(0)} ms (min ${walls[0]!.toFixed(0)}, max ${walls[6]!.toFixed(0)}); index.html ${(statSync(path.join(dir, 'index.html')).size / 1e6).toFixed(2)} MB`)

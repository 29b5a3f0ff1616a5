/**
 * perfkit's median per op against mitata's on the same functions (~50 ns, ~1 µs, ~100 µs and an
 * empty function). Each function gets a fresh process under each tool — JIT state matters: the same
 * ~50 ns function measures 4× slower in a process that has not yet optimised its callee.
 *
 *   node --import tsx scripts/mitata-compare.ts
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { MicroScenarioResult, RunResult } from '../cli/result/schema.ts'

const root = path.resolve(import.meta.dirname, '..')
const names = ['fn50ns', 'fn1us', 'fn100us', 'empty'] as const

if (process.argv[2] === '--mitata-child') {
  const { bench, run } = await import('mitata')
  const costs = await import('./costs.ts')
  const name = process.argv[3] as (typeof names)[number]
  bench(name, costs[name])
  const { benchmarks } = await run({ format: 'quiet' } as never)
  const [trial] = benchmarks as Array<{ runs: Array<{ stats: { p50: number } }> }>
  process.stdout.write(JSON.stringify(trial!.runs[0]!.stats.p50))
  process.exit(0)
}

const mitataP50: Record<string, number> = {}
for (const name of names) {
  const mitata = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', path.join(root, 'scripts/mitata-compare.ts'), '--mitata-child', name], { encoding: 'utf8', cwd: root })
  if (mitata.status !== 0) throw new Error(`mitata failed: ${mitata.stderr}`)
  mitataP50[name] = Number(mitata.stdout.trim().split('\n').pop())
}

const out = mkdtempSync(path.join(tmpdir(), 'perfkit-vs-mitata-'))
const perfkit = spawnSync(process.execPath, [path.join(root, 'bin/perfkit.js'), 'run', path.join(root, 'scripts/mitata-compare.bench.ts'), '--out', out], { encoding: 'utf8', cwd: root, env: { ...process.env, NO_COLOR: '1' } })
if (perfkit.status !== 0) throw new Error(`perfkit failed: ${perfkit.stderr}`)
const result = JSON.parse(readFileSync(path.join(out, 'result.json'), 'utf8')) as RunResult
const scenario = result.scenarios[0] as MicroScenarioResult

console.log('function    perfkit median   mitata p50   perfkit/mitata   perfkit flags')
for (const name of names) {
  const v = scenario.variants.find((x) => x.name === name)!
  const mine = v.state === 'completed' ? v.stats.medianNs : Number.NaN
  const theirs = mitataP50[name]!
  const flags = v.flags.map((f) => f.code).join(', ') || '—'
  console.log(`${name.padEnd(10)}  ${mine.toFixed(2).padStart(11)} ns  ${theirs.toFixed(2).padStart(8)} ns  ${(mine / theirs).toFixed(3).padStart(14)}   ${flags}`)
}

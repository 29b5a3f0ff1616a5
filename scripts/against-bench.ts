/**
 * How `perfkit run --against <ref>` does as a pull-request gate, run the way CI runs it, in a
 * temporary clone of this repository's HEAD (the clone links this checkout's node_modules and dist/,
 * so the CLI and the scenarios run this build):
 *
 * - A/A: `--against HEAD` on a clean tree, on the shipped allocation-heavy A/A scenario
 *   (scenarios/noise-floor.bench.ts, noise-floor-alloc) and on a PGlite-backed one
 *   (scenarios/event-store.bench.ts, event-store/query): every `slower` is a false alarm;
 * - +10 %: the allocation scenario's `b` builds 10 % more envelopes in the working tree than on the
 *   ref (an uncommitted edit of the scenario's setup, so the trees differ in code, not in parameters):
 *   a detection is `b` judged `slower`;
 * - wall time: the same cases as a plain `perfkit run` (no --against), in the first --plain-runs rounds.
 *
 * Everything is interleaved, so a machine that changes over time hits every arm alike.
 *
 *   node --import tsx scripts/against-bench.ts [--runs 20] [--plain-runs 5] [--time 8s] [--keep]
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import type { AgainstVariant, RunResult } from '../cli/result/schema.ts'

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '20' },
    'plain-runs': { type: 'string', default: '5' },
    time: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
})
const runs = Number(values.runs)
const plainRuns = Math.min(runs, Number(values['plain-runs']))
const root = path.resolve(import.meta.dirname, '..')
const bin = path.join(root, 'bin/perfkit.js')
const work = mkdtempSync(path.join(tmpdir(), 'perfkit-against-bench-'))
const repo = path.join(work, 'repo')
const timeFlags = values.time ? ['--time', values.time] : []

const ARMS = {
  alloc: ['scenarios/noise-floor.bench.ts', '--filter', '^noise-floor-alloc$'],
  pglite: ['scenarios/event-store.bench.ts', '--filter', '^event-store/query$'],
} as const

// A clone of HEAD (committed code only), with this checkout's built CLI and installed packages.
execFileSync('git', ['clone', '--quiet', '--shared', root, repo])
symlinkSync(path.join(root, 'node_modules'), path.join(repo, 'node_modules'), 'dir')
symlinkSync(path.join(root, 'dist'), path.join(repo, 'dist'), 'dir')
const scenarioFile = path.join(repo, 'scenarios/noise-floor.bench.ts')
const original = readFileSync(scenarioFile, 'utf8')
const SETUP = 'const all = makeEvents(Math.round(events * (1 + Number(params.slowdown))))'
if (!original.includes(SETUP)) throw new Error(`scenarios/noise-floor.bench.ts no longer has \`${SETUP}\`: update the +10 % edit`)
const slowed = original.replace(SETUP, 'const all = makeEvents(Math.round(events * 1.1 * (1 + Number(params.slowdown))))')

function perfkit(args: string[], out: string): { status: number; ms: number; result?: RunResult; stderr: string } {
  const started = Date.now()
  const child = spawnSync(process.execPath, [bin, 'run', ...args, ...timeFlags, '--out', out], {
    cwd: repo,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', GITHUB_STEP_SUMMARY: '' },
  })
  const ms = Date.now() - started
  let result: RunResult | undefined
  try {
    result = JSON.parse(readFileSync(path.join(out, 'result.json'), 'utf8')) as RunResult
  } catch {
    result = undefined
  }
  return { status: child.status ?? -1, ms, stderr: child.stderr, ...(result ? { result } : {}) }
}

const against = (r: RunResult | undefined): AgainstVariant[] => r?.scenarios.flatMap((s) => s.against?.variants ?? []) ?? []
const verdictOf = (v: AgainstVariant | undefined) => (v === undefined ? 'missing' : v.state === 'compared' ? v.verdict : 'not-compared')
const change = (v: AgainstVariant | undefined) => (v?.state === 'compared' ? `${((v.change.estimate - 1) * 100).toFixed(1)}` : '–')

interface Tally {
  runs: number
  slower: number
  verdicts: Map<string, number>
  changes: string[]
  other: string[]
  ms: number[]
}
const tally = (): Tally => ({ runs: 0, slower: 0, verdicts: new Map(), changes: [], other: [], ms: [] })
const arms = { aaAlloc: tally(), aaPglite: tally(), slowAlloc: tally() }
const plain = { alloc: [] as number[], pglite: [] as number[] }

function record(t: Tally, run: ReturnType<typeof perfkit>, judged: (variants: AgainstVariant[]) => boolean, watch: string) {
  t.runs++
  t.ms.push(run.ms)
  if (run.status !== 0 && run.status !== 1) t.other.push(`exit ${run.status}: ${run.stderr.trim().split('\n').pop()}`)
  const variants = against(run.result)
  if (judged(variants)) t.slower++
  for (const v of variants) {
    const key = `${v.variant} ${verdictOf(v)}`
    t.verdicts.set(key, (t.verdicts.get(key) ?? 0) + 1)
  }
  t.changes.push(change(variants.find((v) => v.variant === watch)))
}

const started = Date.now()
console.log(`work folder: ${work}`)
for (let i = 0; i < runs; i++) {
  const anySlower = (variants: AgainstVariant[]) => variants.some((v) => v.state === 'compared' && v.verdict === 'slower')
  record(arms.aaAlloc, perfkit([...ARMS.alloc, '--against', 'HEAD'], path.join(work, `aa-alloc-${i}`)), anySlower, 'b')
  writeFileSync(scenarioFile, slowed)
  try {
    const bSlower = (variants: AgainstVariant[]) => variants.some((v) => v.variant === 'b' && v.state === 'compared' && v.verdict === 'slower')
    record(arms.slowAlloc, perfkit([...ARMS.alloc, '--against', 'HEAD'], path.join(work, `slow-alloc-${i}`)), bSlower, 'b')
  } finally {
    writeFileSync(scenarioFile, original)
  }
  record(arms.aaPglite, perfkit([...ARMS.pglite, '--against', 'HEAD'], path.join(work, `aa-pglite-${i}`)), anySlower, 'store')
  if (i < plainRuns) {
    plain.alloc.push(perfkit([...ARMS.alloc], path.join(work, `plain-alloc-${i}`)).ms)
    plain.pglite.push(perfkit([...ARMS.pglite], path.join(work, `plain-pglite-${i}`)).ms)
  }
  console.log(`round ${i + 1}/${runs} done (${((Date.now() - started) / 60000).toFixed(1)} min)`)
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length ? (s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2) : NaN
}
const summary = (name: string, t: Tally, what: string) => {
  console.log(`${name}: ${t.slower}/${t.runs} ${what}${t.other.length ? `; ${t.other.length} other exits (${[...new Set(t.other)].join('; ')})` : ''}`)
  console.log(`  verdicts: ${[...t.verdicts].map(([k, n]) => `${k} ${n}`).join(', ')}`)
  console.log(`  head ÷ base − 1 (%): ${t.changes.join(' ')}`)
}
summary('A/A noise-floor-alloc (--against HEAD, identical code)', arms.aaAlloc, 'runs with a false `slower`')
summary('A/A event-store/query (PGlite)', arms.aaPglite, 'runs with a false `slower`')
summary('+10 % in noise-floor-alloc b (working tree vs HEAD)', arms.slowAlloc, 'detected (b slower)')
const ratio = (withAgainst: number[], without: number[]) => `${(median(withAgainst) / 1000).toFixed(1)} s vs ${(median(without) / 1000).toFixed(1)} s plain: ${(median(withAgainst) / median(without)).toFixed(2)}×`
console.log(`wall time (medians): noise-floor-alloc ${ratio(arms.aaAlloc.ms, plain.alloc)}; event-store/query ${ratio(arms.aaPglite.ms, plain.pglite)}`)
console.log(`${((Date.now() - started) / 60000).toFixed(1)} min, ${runs * 3 + plainRuns * 2} runs`)
if (!values.keep) rmSync(work, { recursive: true, force: true })

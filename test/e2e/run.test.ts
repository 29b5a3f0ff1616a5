/** End-to-end: the built CLI on real (tiny) scenarios. No wall-clock assertions. */
import { existsSync, readFileSync, readlinkSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { MicroScenarioResult, RunResult } from '../../cli/result/schema.ts'
import { FIXTURES, runCli, tempDir } from '../support/cli.ts'

const S = `${FIXTURES}/scenarios`
/** These fixtures are all micro scenarios. */
const read = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'result.json'), 'utf8')) as RunResult & { scenarios: MicroScenarioResult[] }

describe('perfkit run', () => {
  it('runs a scenario with --quick, prints its table and writes a complete result', async () => {
    const out = tempDir()
    const result = await runCli(['run', `${S}/ok/tiny.bench.ts`, '--quick', '--out', out, '--seed', '7'])
    expect(result.stderr).not.toMatch(/internal error/)
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/tiny \[extra=0\] — A tiny scenario for end-to-end tests/)
    expect(result.stdout).toMatch(/base \(baseline\)/)
    expect(result.stdout).toMatch(/Node v\d+/)
    const json = read(out)
    expect(json.schema).toBe('perfkit/result@1')
    expect(json.run.state).toBe('completed')
    expect(json.run.settings).toMatchObject({ seed: 7, quick: true })
    expect(json.environment.cpu.count).toBeGreaterThan(0)
    const [scenario] = json.scenarios
    expect(scenario).toMatchObject({ id: 'tiny[extra=0]', state: 'completed', kind: 'micro' })
    for (const v of scenario!.variants) {
      expect(v.state).toBe('completed')
      if (v.state !== 'completed') continue
      // --quick: three processes per variant, two rounds each.
      expect(v.rounds.length).toBeGreaterThanOrEqual(6)
      expect(new Set(v.rounds.map((r) => r.process)).size).toBe(3)
      expect(v.stats.medianNs).toBeGreaterThan(0)
      expect(v.stats.p99Ns).toBeGreaterThanOrEqual(v.stats.medianNs)
      expect(v.stats.batch).toBeGreaterThan(1)
      expect(v.memory?.bytesPerOp).toBeGreaterThanOrEqual(0)
      expect(v.process?.peakRssBytes).toBeGreaterThan(1e6)
      expect(v.counters).toEqual({ n: 400 })
    }
    expect(scenario!.comparisons).toHaveLength(1)
    expect(scenario!.comparisons[0]!.ratio.low).toBeLessThanOrEqual(scenario!.comparisons[0]!.ratio.high)
    expect(scenario!.budgets).toMatchObject([{ expression: 'other: ratio <= 1.5', state: 'pass' }])
    expect(scenario!.claims[0]).toMatchObject({ published: '1.00×', holds: true })
  })

  it('--json - prints the result on stdout and the tables on stderr', async () => {
    const out = tempDir()
    const result = await runCli(['run', `${S}/ok/tiny.bench.ts`, '--quick', '--out', out, '--json', '-', '--filter', 'tiny/other'])
    expect(result.code).toBe(0)
    const json = JSON.parse(result.stdout) as RunResult
    expect(json.scenarios[0]!.variants.map((v) => v.name)).toEqual(['base', 'other'])
    expect(result.stderr).toMatch(/base \(baseline\)/)
  })

  it('writes reports/latest under the default output folder', async () => {
    const cwd = tempDir()
    const result = await runCli(['run', `${S}/ok/tiny.bench.ts`, '--quick'], { cwd })
    expect(result.code).toBe(0)
    const latest = path.join(cwd, 'reports/latest')
    expect(existsSync(path.join(latest, 'result.json'))).toBe(true)
    expect(readlinkSync(latest)).toMatch(/^\d{4}-\d\d-\d\dT/)
  })

  it('a variant that throws is errored with its message; the others are measured; exit 3', async () => {
    const out = tempDir()
    const result = await runCli(['run', `${S}/runtime/throws.bench.ts`, '--quick', '--out', out])
    expect(result.code).toBe(3)
    expect(result.stdout).toMatch(/broken: errored in (round \d+|warm-up): database said no \(simulated\)/)
    const json = read(out)
    const byName = Object.fromEntries(json.scenarios[0]!.variants.map((v) => [v.name, v]))
    expect(byName.broken).toMatchObject({ state: 'errored', error: { message: 'database said no (simulated)' } })
    expect(byName.ok!.state).toBe('completed')
    expect(byName.also!.state).toBe('completed')
    expect(json.scenarios[0]!.comparisons.map((c) => c.variant)).toContain('also')
  })

  it('a variant that hangs is killed at its timeout and marked timeout; exit 3', async () => {
    const out = tempDir()
    const result = await runCli(['run', `${S}/runtime/hangs.bench.ts`, '--quick', '--out', out])
    expect(result.code).toBe(3)
    const json = read(out)
    const stuck = json.scenarios[0]!.variants.find((v) => v.name === 'stuck')!
    expect(stuck.state).toBe('timeout')
    expect(json.scenarios[0]!.variants.find((v) => v.name === 'ok')!.state).toBe('completed')
  })

  it('flags an empty function as dead code / below resolution', async () => {
    const out = tempDir()
    const result = await runCli(['run', `${S}/ok/empty.bench.ts`, '--quick', '--out', out])
    expect(result.code).toBe(0)
    const empty = read(out).scenarios[0]!.variants.find((v) => v.name === 'empty')!
    expect(empty.state).toBe('completed')
    if (empty.state !== 'completed') return
    const flagged = empty.flags.some((f) => f.code === 'dead-code-elimination')
    expect(flagged || empty.stats.medianNs <= 2).toBe(true)
    expect(flagged).toBe(true)
    const work = read(out).scenarios[0]!.variants.find((v) => v.name === 'work')!
    expect(work.flags.some((f) => f.code === 'dead-code-elimination')).toBe(false)
  })

  it('Ctrl-C stops the variants, writes what was measured as interrupted, exits 130', async () => {
    const out = tempDir()
    let pid = 0
    let sent = false
    const result = await runCli(['run', `${S}/ok/tiny.bench.ts`, '--time', '60s', '--out', out], {
      onSpawn: (p) => (pid = p),
      onStderr: () => {
        // Interrupt once the run has started (its first result file exists) and rounds have had
        // time to finish, even on a loaded machine; the budget is far longer than the test.
        if (!sent && existsSync(path.join(out, 'result.json'))) {
          sent = true
          setTimeout(() => process.kill(pid, 'SIGINT'), 10_000)
        }
      },
    })
    expect(result.code).toBe(130)
    const json = read(out)
    expect(json.run.state).toBe('interrupted')
    expect(json.scenarios[0]!.state).toBe('interrupted')
    expect(json.scenarios[0]!.variants.every((v) => v.state === 'interrupted')).toBe(true)
    expect(json.scenarios[0]!.variants.some((v) => v.rounds.length > 0)).toBe(true)
  })
})

describe('perfkit list', () => {
  it('lists scenarios with variants and parameters', async () => {
    const result = await runCli(['list', `${S}/ok`])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/tiny\s+micro\s+base, other\s+extra=0/)
    const json = await runCli(['list', `${S}/ok`, '--json'])
    expect(JSON.parse(json.stdout).map((e: { name: string }) => e.name)).toEqual(['empty', 'known-ratio', 'tiny'])
  })
})

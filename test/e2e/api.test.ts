/**
 * perfkit as a library: `import { run } from 'perfkit'` (the built package, as a user's script
 * imports it) answers the result object the CLI writes, and rejects a user's mistake with the
 * CLI's one-line message instead of exiting.
 */
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { RunResult } from '../../cli/result/schema.ts'
import { FIXTURES, ROOT, runCli } from '../support/cli.ts'

const SCENARIO = path.join(FIXTURES, 'scenarios/ok/known-ratio.bench.ts')

describe('run() from the package', () => {
  it('answers the same result object as perfkit run, and writes it where asked', async () => {
    const { run } = (await import(path.join(ROOT, 'dist/cli/index.js'))) as typeof import('../../cli/index.ts')
    const out = mkdtempSync(path.join(tmpdir(), 'perfkit-api-'))
    const events: string[] = []
    const result = await run({ patterns: [SCENARIO], quick: true, seed: 7, cwd: ROOT, out, onEvent: (e) => events.push(e.type) })
    expect(result.schema).toBe('perfkit/result@1')
    expect(result.run.state).toBe('completed')
    const [scenario] = result.scenarios
    expect(scenario).toMatchObject({ kind: 'micro', name: 'known-ratio', state: 'completed' })
    expect(scenario!.comparisons).toHaveLength(1)
    expect(scenario!.comparisons[0]).toMatchObject({ variant: 'heavier', baseline: 'base' })
    expect(events).toContain('scenario-done')
    // What it wrote is what it answered.
    const written = JSON.parse(readFileSync(path.join(out, 'result.json'), 'utf8')) as RunResult
    expect(written.scenarios[0]!.comparisons[0]!.ratio).toEqual(scenario!.comparisons[0]!.ratio)

    // The CLI's result for the same run has the same shape, key for key.
    const cliOut = mkdtempSync(path.join(tmpdir(), 'perfkit-api-cli-'))
    const cli = await runCli(['run', SCENARIO, '--quick', '--seed', '7', '--out', cliOut])
    expect(cli.code).toBe(0)
    const fromCli = JSON.parse(readFileSync(path.join(cliOut, 'result.json'), 'utf8')) as RunResult
    expect(Object.keys(fromCli).sort()).toEqual(Object.keys(result).sort())
    expect(Object.keys(fromCli.scenarios[0]!).sort()).toEqual(Object.keys(scenario!).sort())
    expect(fromCli.run.settings).toMatchObject({ seed: 7, quick: true })
    expect(result.run.settings).toMatchObject({ seed: 7, quick: true })
  })

  it('rejects a mistake with the one-line message the CLI prints, and never exits', async () => {
    const { run } = (await import(path.join(ROOT, 'dist/cli/index.js'))) as typeof import('../../cli/index.ts')
    await expect(run({ patterns: [SCENARIO], time: 'soon', cwd: ROOT })).rejects.toThrow('--time soon: not a duration; use e.g. 500ms, 5s or 1m')
    await expect(run({ patterns: ['nothing/here.bench.ts'], cwd: ROOT })).rejects.toMatchObject({ name: 'UsageError' })
  })
})

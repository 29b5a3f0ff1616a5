/**
 * Every input a user can get wrong: one line naming the file or flag and the fix, exit code 2,
 * no stack trace — and nothing runs before every scenario file is valid.
 */
import { describe, expect, it } from 'vitest'
import { FIXTURES, runCli, tempDir } from '../support/cli.ts'

const S = `${FIXTURES}/scenarios`

function expectUsageError(result: { code: number | null; stderr: string; stdout: string }, pattern: RegExp) {
  expect(result.code).toBe(2)
  const lines = result.stderr.trim().split('\n')
  expect(lines).toHaveLength(1)
  expect(lines[0]).toMatch(/^perfkit: /)
  expect(lines[0]).toMatch(pattern)
  expect(result.stderr).not.toMatch(/\n\s+at /) // no stack trace
  expect(result.stdout).toBe('')
}

describe('bad input (exit 2, one line, no stack)', () => {
  it('a syntax error names file:line:column', async () => {
    expectUsageError(await runCli(['run', `${S}/bad/syntax.bench.ts`]), /test\/fixtures\/scenarios\/bad\/syntax\.bench\.ts:6:\d+: syntax error: .*Expected/)
  })
  it('no default export', async () => {
    expectUsageError(await runCli(['run', `${S}/bad/no-default.bench.ts`]), /no-default\.bench\.ts: no default export; end the file with `export default defineScenario/)
  })
  it('a baseline naming no variant', async () => {
    expectUsageError(await runCli(['run', `${S}/bad/bad-baseline.bench.ts`]), /scenario "bad-baseline": `baseline` "nope" names no variant; set it to one of: a, b/)
  })
  it('no variants', async () => {
    expectUsageError(await runCli(['run', `${S}/bad/no-variants.bench.ts`]), /scenario "no-variants": no variants; add `variants:/)
  })
  it('a budget that does not parse points at the column', async () => {
    expectUsageError(await runCli(['run', `${S}/bad/bad-budget.bench.ts`]), /budget "b: ratio <== 1.1": expected a number at column 12/)
  })
  it('duplicate scenario names across files', async () => {
    expectUsageError(await runCli(['run', `${S}/dup`]), /two\.bench\.ts: scenario name "twin" is also used in .*one\.bench\.ts/)
  })
  it('an unknown flag', async () => {
    expectUsageError(await runCli(['run', '--frobnicate']), /unknown option '--frobnicate'/)
  })
  it('an unknown command', async () => {
    expectUsageError(await runCli(['frobnicate']), /unknown command 'frobnicate'/)
  })
  it('--param for a parameter the scenario does not have', async () => {
    expectUsageError(await runCli(['run', `${S}/ok/tiny.bench.ts`, '--param', 'backend=postgres']), /--param backend: no selected scenario has a parameter "backend" \(parameters of the selected scenarios: extra\)/)
  })
  it('--param with a value of the wrong type', async () => {
    expectUsageError(await runCli(['run', `${S}/ok/tiny.bench.ts`, '--param', 'extra=lots']), /--param extra=lots: scenario "tiny" expects a number for extra/)
  })
  it('a pattern matching no file', async () => {
    expectUsageError(await runCli(['run', 'scenarios/nothing-*.bench.ts']), /no scenario file matches "scenarios\/nothing-\*\.bench\.ts"/)
  })
  it('a file that does not exist', async () => {
    expectUsageError(await runCli(['run', 'scenarios/missing.bench.ts']), /no scenario file matches "scenarios\/missing\.bench\.ts"/)
  })
  it('an invalid perfkit.config.ts', async () => {
    expectUsageError(await runCli(['run'], { cwd: `${FIXTURES}/config-bad` }), /perfkit\.config\.ts: `minEffect` must be a fraction between 0 and 1/)
  })
  it('bad flag values', async () => {
    expectUsageError(await runCli(['run', `${S}/ok/tiny.bench.ts`, '--time', 'soon']), /--time soon: not a duration/)
    expectUsageError(await runCli(['run', `${S}/ok/tiny.bench.ts`, '--rounds', '1']), /--rounds 1: must be a whole number ≥ 2/)
    expectUsageError(await runCli(['run', `${S}/ok/tiny.bench.ts`, '--filter', '(']), /--filter \(: not a valid regular expression/)
    expectUsageError(await runCli(['run', `${S}/ok/tiny.bench.ts`, '--filter', 'zzz']), /--filter zzz: matches no scenario or variant/)
  })
  it('validates every file before anything runs', async () => {
    const out = tempDir()
    const result = await runCli(['run', `${S}/ok/tiny.bench.ts`, `${S}/bad/bad-baseline.bench.ts`, '--out', out])
    expect(result.code).toBe(2)
    expect(result.stderr).not.toMatch(/tiny/)
  })
})

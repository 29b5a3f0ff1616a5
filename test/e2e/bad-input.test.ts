/**
 * Every input a user can get wrong: one line naming the file or flag and the fix, exit code 2,
 * no stack trace — and nothing runs before every scenario file is valid.
 */
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { expectOneLine, FIXTURES, runCli, tempDir } from '../support/cli.ts'
import { syntheticRun } from '../support/results.ts'

const S = `${FIXTURES}/scenarios`

describe('bad input (exit 2, one line, no stack)', () => {
  it('a syntax error names file:line:column', async () => {
    expectOneLine(await runCli(['run', `${S}/bad/syntax.bench.ts`]), /test\/fixtures\/scenarios\/bad\/syntax\.bench\.ts:6:\d+: syntax error: .*Expected/)
  })
  it('no default export', async () => {
    expectOneLine(await runCli(['run', `${S}/bad/no-default.bench.ts`]), /no-default\.bench\.ts: no default export; end the file with `export default defineScenario/)
  })
  it('a baseline naming no variant', async () => {
    expectOneLine(await runCli(['run', `${S}/bad/bad-baseline.bench.ts`]), /scenario "bad-baseline": `baseline` "nope" names no variant; set it to one of: a, b/)
  })
  it('no variants', async () => {
    expectOneLine(await runCli(['run', `${S}/bad/no-variants.bench.ts`]), /scenario "no-variants": no variants; add `variants:/)
  })
  it('a budget that does not parse points at the column', async () => {
    expectOneLine(await runCli(['run', `${S}/bad/bad-budget.bench.ts`]), /budget "b: ratio <== 1.1": expected a number at column 12/)
  })
  it('duplicate scenario names across files', async () => {
    expectOneLine(await runCli(['run', `${S}/dup`]), /two\.bench\.ts: scenario name "twin" is also used in .*one\.bench\.ts/)
  })
  it('an unknown flag', async () => {
    expectOneLine(await runCli(['run', '--frobnicate']), /unknown option '--frobnicate'/)
  })
  it('an unknown command', async () => {
    expectOneLine(await runCli(['frobnicate']), /unknown command 'frobnicate'/)
  })
  it('--param for a parameter the scenario does not have', async () => {
    expectOneLine(await runCli(['run', `${S}/ok/tiny.bench.ts`, '--param', 'backend=postgres']), /--param backend: no selected scenario has a parameter "backend" \(parameters of the selected scenarios: extra\)/)
  })
  it('--param with a value of the wrong type', async () => {
    expectOneLine(await runCli(['run', `${S}/ok/tiny.bench.ts`, '--param', 'extra=lots']), /--param extra=lots: scenario "tiny" expects a number for extra/)
  })
  it('a pattern matching no file', async () => {
    expectOneLine(await runCli(['run', 'scenarios/nothing-*.bench.ts']), /no scenario file matches "scenarios\/nothing-\*\.bench\.ts"/)
  })
  it('a file that does not exist', async () => {
    expectOneLine(await runCli(['run', 'scenarios/missing.bench.ts']), /no scenario file matches "scenarios\/missing\.bench\.ts"/)
  })
  it('an invalid perfkit.config.ts', async () => {
    expectOneLine(await runCli(['run'], { cwd: `${FIXTURES}/config-bad` }), /perfkit\.config\.ts: `minEffect` must be a fraction between 0 and 1/)
  })
  it('bad flag values', async () => {
    expectOneLine(await runCli(['run', `${S}/ok/tiny.bench.ts`, '--time', 'soon']), /--time soon: not a duration/)
    expectOneLine(await runCli(['run', `${S}/ok/tiny.bench.ts`, '--rounds', '1']), /--rounds 1: must be a whole number ≥ 2/)
    expectOneLine(await runCli(['run', `${S}/ok/tiny.bench.ts`, '--filter', '(']), /--filter \(: not a valid regular expression/)
    expectOneLine(await runCli(['run', `${S}/ok/tiny.bench.ts`, '--filter', 'zzz']), /--filter zzz: matches no scenario or variant/)
  })
  it('validates every file before anything runs', async () => {
    const out = tempDir()
    const result = await runCli(['run', `${S}/ok/tiny.bench.ts`, `${S}/bad/bad-baseline.bench.ts`, '--out', out])
    expect(result.code).toBe(2)
    expect(result.stderr).not.toMatch(/tiny/)
  })
})

describe('bad gate input (exit 2, one line, no stack, nothing runs)', () => {
  const tiny = `${S}/ok/tiny.bench.ts`
  /** A valid result file holding only the synthetic scenarios (none of which the fixtures have). */
  function resultFile(dir: string, change: (result: Record<string, unknown>) => void = () => {}): string {
    const result = syntheticRun() as unknown as Record<string, unknown>
    change(result)
    const file = path.join(dir, 'result.json')
    writeFileSync(file, JSON.stringify(result))
    return file
  }

  it('a budget naming a variant the scenario does not have', async () => {
    expectOneLine(await runCli(['run', `${S}/bad/budget-unknown-variant.bench.ts`]), /budget "c: ratio <= 1\.1" names variant "c", which the scenario does not have \(variants: a, b\)/)
  })
  it('a budget naming a metric that does not exist points at its column', async () => {
    expectOneLine(await runCli(['run', `${S}/bad/budget-unknown-metric.bench.ts`]), /budget "b: latency < 1ms": unknown metric "latency" \(known: .*\) at column 4/)
  })
  it('a budget naming a metric the scenario\'s kind does not measure', async () => {
    expectOneLine(await runCli(['run', `${S}/bad/budget-wrong-kind.bench.ts`]), /budget "b: dropRate < 1%": micro scenarios have no metric "dropRate"/)
  })
  it('a baseline name with no saved baseline', async () => {
    const cwd = tempDir()
    expectOneLine(await runCli(['run', tiny, '--baseline', 'main'], { cwd }), /baseline "main": reports\/baselines\/main\.json does not exist; save one with `perfkit baseline save main`/)
  })
  it('a baseline file that does not exist', async () => {
    expectOneLine(await runCli(['run', tiny, '--baseline', 'nowhere/base.json']), /baseline nowhere\/base\.json: no such file/)
  })
  it('a corrupt baseline', async () => {
    const file = path.join(tempDir(), 'base.json')
    writeFileSync(file, '{"schema": "perfkit/result@1", "run": ')
    expectOneLine(await runCli(['run', tiny, '--baseline', file]), /base\.json: not JSON \(.*\); give the path of a perfkit baseline/)
  })
  it('a baseline of another schema version', async () => {
    const file = resultFile(tempDir(), (r) => (r.schema = 'perfkit/result@2'))
    expectOneLine(await runCli(['run', tiny, '--baseline', file]), /schema perfkit\/result@2 is not one this perfkit reads \(perfkit\/result@1\)/)
  })
  it('a baseline with a damaged calibration', async () => {
    const file = resultFile(tempDir(), (r) => (r.calibration = { runs: 'ten' }))
    expectOneLine(await runCli(['run', tiny, '--baseline', file]), /result\.json: its calibration is damaged; re-run `perfkit calibrate`/)
  })
  it('a baseline with no scenario in common with the run', async () => {
    const file = resultFile(tempDir())
    expectOneLine(await runCli(['run', tiny, '--baseline', file]), /has no scenario in common with this run \(baseline: broker-vs-direct\[backend=pglite\], .*; this run: tiny\[extra=0\]\)/)
    expectOneLine(await runCli(['compare', file, `${FIXTURES}/nowhere.json`]), /nowhere\.json: no such file/)
  })
  it('a --fail-on value it does not know, and two outputs on stdout', async () => {
    expectOneLine(await runCli(['run', tiny, '--fail-on', 'slow']), /--fail-on slow: use regression \(the default\), time .* or inconclusive/)
    expectOneLine(await runCli(['run', tiny, '--json', '-', '--markdown', '-']), /--json - and --markdown -: only one output can go to stdout/)
  })
  it('calibrate with too few runs, baseline save with nothing to save', async () => {
    expectOneLine(await runCli(['calibrate', tiny, '--runs', '1']), /--runs 1: must be a whole number ≥ 3/)
    expectOneLine(await runCli(['baseline', 'save'], { cwd: tempDir() }), /no run to save: reports\/latest does not exist; run `perfkit run` first/)
  })
})

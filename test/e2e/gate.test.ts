/**
 * The gate end to end, as CI uses it: save a baseline, make a variant slower through a parameter,
 * rerun against the baseline → exit 1 naming the variant; an identical rerun → exit 0. Then
 * `perfkit compare`, the Markdown/JUnit outputs, `$GITHUB_STEP_SUMMARY` and `perfkit calibrate`.
 * Tiny budgets (--quick); the scenario's slowdown (2×) is one no noise can hide.
 */
import { DOMParser, onWarningStopParsing } from '@xmldom/xmldom'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { RunResult } from '../../cli/result/schema.ts'
import { FIXTURES, runCli, tempDir } from '../support/cli.ts'

const scenario = `${FIXTURES}/scenarios/gate/slowdown.bench.ts`
const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as RunResult

describe('the regression gate', () => {
  const cwd = tempDir('perfkit-gate-')
  const slowDir = path.join(cwd, 'slow')

  beforeAll(async () => {
    const first = await runCli(['run', scenario, '--quick'], { cwd })
    expect(first.code, first.stderr).toBe(0)
    const saved = await runCli(['baseline', 'save'], { cwd })
    expect(saved.code, saved.stderr).toBe(0)
    expect(saved.stdout).toMatch(/^baseline main: saved reports\/baselines\/main\.json from reports\/latest\/result\.json \(1 scenario, run /)
    expect(saved.stdout).toMatch(/not calibrated/)
  }, 180_000)

  it('a variant made slower through a parameter: exit 1, the variant named in every output', async () => {
    const result = await runCli(['run', scenario, '--quick', '--param', 'slowdown=1', '--baseline', 'main', '--out', slowDir, '--junit', 'junit.xml', '--markdown', 'summary.md'], { cwd })
    expect(result.code, result.stderr).toBe(1)
    expect(result.stdout).toMatch(/Compared with baseline main/)
    expect(result.stdout).toMatch(/matched by name: the parameters differ \(baseline gate-slowdown\[slowdown=0\], this run gate-slowdown\[slowdown=1\]\)/)
    expect(result.stdout).toMatch(/\n  layered\s.*slower\n/)
    expect(result.stdout).toMatch(/gate: failed — 1 regression \(gate-slowdown\[slowdown=1\]\/layered \+\d+%\)/)
    expect(result.stderr).toMatch(/markdown: summary\.md\njunit:   junit\.xml/)

    const json = read(path.join(slowDir, 'result.json'))
    const layered = json.baseline!.scenarios[0]!.variants.find((v) => v.variant === 'layered')!
    expect(layered).toMatchObject({ state: 'compared', verdict: 'slower', decidedBy: 'ratio' })
    if (layered.state === 'compared') expect(layered.ratio!.change.estimate).toBeGreaterThan(1.5)
    expect(json.scenarios[0]!.budgets).toMatchObject([{ expression: 'layered: ratio <= 3', state: 'pass' }])

    expect(readFileSync(path.join(cwd, 'summary.md'), 'utf8')).toMatch(/^## perfkit: ❌ 1 regression\n[\s\S]*\| gate-slowdown\\\[slowdown=1\\\] \| layered \| \+\d+% \|/)
    const junit = new DOMParser({ onError: onWarningStopParsing }).parseFromString(readFileSync(path.join(cwd, 'junit.xml'), 'utf8'), 'text/xml')
    const failures = Array.from(junit.getElementsByTagName('failure'))
    expect(failures.map((f) => (f.parentNode as unknown as { getAttribute(name: string): string }).getAttribute('name'))).toEqual(['regression layered'])
  }, 120_000)

  it('an identical rerun: exit 0', async () => {
    const result = await runCli(['run', scenario, '--quick', '--baseline', 'main'], { cwd })
    expect(result.code, result.stdout + result.stderr).toBe(0)
    expect(result.stdout).toMatch(/\n  layered\s.*(same|inconclusive)\n/)
    expect(result.stdout).toMatch(/gate: passed/)
  }, 120_000)

  it('perfkit compare judges two saved results the same way, and appends to $GITHUB_STEP_SUMMARY', async () => {
    const summary = path.join(cwd, 'step-summary.md')
    writeFileSync(summary, '# earlier step\n')
    const result = await runCli(['compare', 'main', slowDir, '--markdown', '-'], { cwd, env: { GITHUB_STEP_SUMMARY: summary } })
    expect(result.code, result.stderr).toBe(1)
    expect(result.stdout).toMatch(/^## perfkit: ❌ 1 regression/)
    expect(result.stderr).toMatch(/gate: failed — 1 regression \(gate-slowdown\[slowdown=1\]\/layered/)
    expect(result.stderr).toMatch(/✓ gate-slowdown\[slowdown=1\]: budget layered: ratio <= 3: /)
    expect(readFileSync(summary, 'utf8')).toBe(`# earlier step\n${result.stdout}`)

    const strict = await runCli(['compare', 'reports/baselines/main.json', path.join(slowDir, 'result.json'), '--json', 'compared.json'], { cwd })
    expect(strict.code).toBe(1)
    expect(read(path.join(cwd, 'compared.json')).baseline!.name).toBe('reports/baselines/main.json')
  }, 60_000)

  it('perfkit calibrate runs A/A runs and saves a baseline with noise floors that still catches the slowdown', async () => {
    const calibrated = await runCli(['calibrate', scenario, '--quick', '--runs', '3', '--name', 'calibrated'], { cwd, timeoutMs: 240_000 })
    expect(calibrated.code, calibrated.stderr).toBe(0)
    expect(calibrated.stderr).toMatch(/calibration run 1\/3[\s\S]*calibration run 3\/3/)
    expect(calibrated.stdout).toMatch(/gate-slowdown\[slowdown=0\]\s+\S+%\s+\S+%/)
    expect(calibrated.stdout).toMatch(/baseline calibrated: saved reports\/baselines\/calibrated\.json \(3 A\/A runs, pooled/)
    const baseline = read(path.join(cwd, 'reports/baselines/calibrated.json'))
    const s = baseline.calibration!.scenarios[0]!
    expect(baseline.calibration!.runs).toBe(3)
    expect(s).toMatchObject({ id: 'gate-slowdown[slowdown=0]', pooled: true })
    expect(s.noiseFloor.time).toBeGreaterThan(0)
    expect(s.variants.every((v) => v.rounds!.length === 3 && v.timeChanges.length === 3)).toBe(true)

    const result = await runCli(['compare', 'calibrated', slowDir, '--junit', 'calibrated.xml'], { cwd })
    expect(result.code, result.stdout).toBe(1)
    expect(result.stdout).toMatch(/gate-slowdown\[slowdown=1\] — noise floor time \S+%, ratio \S+% \(base pools 3 runs\)/)
    expect(existsSync(path.join(cwd, 'calibrated.xml'))).toBe(true)

    // Saving a new run over it keeps the floors, no longer pooled.
    const resaved = await runCli(['baseline', 'save', 'calibrated', '--from', path.join(cwd, 'reports/latest')], { cwd })
    expect(resaved.code, resaved.stderr).toBe(0)
    expect(resaved.stdout).toMatch(/kept the noise floors of 1 scenario from the previous calibration \(3 A\/A runs\)/)
    expect(read(path.join(cwd, 'reports/baselines/calibrated.json')).calibration!.scenarios[0]!.pooled).toBe(false)
  }, 300_000)
})

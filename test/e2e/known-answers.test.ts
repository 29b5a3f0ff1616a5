/**
 * Known answers at small budgets: a variant doing 5 units of the baseline's 4 (true ratio 1.25)
 * is reported slower with an interval that contains 1.25; identical variants are almost never
 * reported slower or faster. No wall-clock assertion: only verdicts and ratios.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { MicroScenarioResult, RunResult } from '../../cli/result/schema.ts'
import { FIXTURES, ROOT, runCli, tempDir } from '../support/cli.ts'

async function runOnce(args: string[]): Promise<MicroScenarioResult> {
  const out = tempDir()
  const result = await runCli(['run', ...args, '--out', out])
  expect(result.code, result.stderr).toBe(0)
  const json = JSON.parse(readFileSync(path.join(out, 'result.json'), 'utf8')) as RunResult
  return json.scenarios[0] as MicroScenarioResult
}

describe('known answers', () => {
  it('a calibrated +25 % variant is slower, and the interval contains the true ratio', async () => {
    const scenario = await runOnce([`${FIXTURES}/scenarios/ok/known-ratio.bench.ts`, '--time', '3s', '--seed', '11'])
    const [comparison] = scenario.comparisons
    expect(comparison!.verdict).toBe('slower')
    // (5 units + call overhead) / (4 units + call overhead): a hair under 1.25.
    expect(comparison!.ratio.low).toBeLessThanOrEqual(1.25)
    expect(comparison!.ratio.high).toBeGreaterThanOrEqual(1.24)
    expect(comparison!.ratio.estimate).toBeGreaterThan(1.2)
    expect(comparison!.ratio.estimate).toBeLessThan(1.3)
  })

  it('identical variants are rarely judged slower or faster (A/A, 6 runs)', async () => {
    const verdicts: string[] = []
    for (let i = 0; i < 6; i++) {
      const scenario = await runOnce([path.join(ROOT, 'scenarios/noise-floor.bench.ts'), '--quick', '--seed', String(100 + i)])
      verdicts.push(scenario.comparisons[0]!.verdict)
    }
    const alarms = verdicts.filter((v) => v === 'slower' || v === 'faster').length
    expect(alarms, verdicts.join(', ')).toBeLessThanOrEqual(1)
  })
})

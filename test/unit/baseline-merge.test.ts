/**
 * Saving over a baseline (`perfkit calibrate`, `perfkit baseline save`) adds to it: the scenarios a
 * save measured replace theirs, the others are kept with their calibration; `--replace` starts over.
 */
import { describe, expect, it } from 'vitest'
import { mergeBaselines, mergeConflict, mergeRefusal, mergeSummary } from '../../cli/gate/baseline.ts'
import { calibrate } from '../../cli/gate/calibration.ts'
import type { RunResult } from '../../cli/result/schema.ts'
import { completedVariant, microScenario, runResult } from '../support/results.ts'

function scenario(name: string, medianNs: number, seed: number) {
  return microScenario({
    name,
    baseline: 'a',
    variants: [completedVariant({ name: 'a', medianNs, seed, roundCount: 8 }), completedVariant({ name: 'b', medianNs: medianNs * 1.2, seed: seed + 1, roundCount: 8 })],
  })
}

/** A calibrated baseline of `names`, from `runs` A/A runs. */
function calibrated(names: string[], runs: number, seed: number, id = `run-${seed}`): RunResult {
  const aa = Array.from({ length: runs }, (_, k) => runResult(names.map((n, i) => scenario(n, 10_000 * (i + 1), seed + 10 * k + 100 * i)), { run: { id: `${id}-${k}` } }))
  return { ...aa[runs - 1]!, calibration: calibrate(aa).calibration }
}

describe('merging a new calibration into a saved baseline', () => {
  const previous = calibrated(['alpha', 'beta'], 3, 1, 'old')
  const next = calibrated(['beta'], 3, 500, 'new')

  it('keeps the scenarios the new calibration did not run, replacing only those it ran', () => {
    const merge = mergeBaselines(previous, next)
    expect(merge.result.scenarios.map((s) => s.id)).toEqual(['alpha', 'beta'])
    expect(merge.replaced).toEqual(['beta'])
    expect(merge.kept).toEqual(['alpha'])
    expect(merge.added).toEqual([])
    // alpha: the old result and its calibration, untouched; beta: the new ones.
    expect(merge.result.scenarios[0]).toBe(previous.scenarios[0])
    expect(merge.result.scenarios[1]).toBe(next.scenarios[0])
    const cal = merge.result.calibration!
    expect(cal.scenarios.map((s) => s.id)).toEqual(['alpha', 'beta'])
    expect(cal.scenarios[0]).toEqual(previous.calibration!.scenarios.find((s) => s.id === 'alpha'))
    expect(cal.scenarios[1]).toEqual(next.calibration!.scenarios[0])
    expect(cal.scenarios.every((s) => s.pooled)).toBe(true)
    expect(merge.result.run.id).toBe(next.run.id)
    expect(mergeSummary(merge, true)).toBe('replaced beta; kept alpha from the previous baseline (--replace drops what a save does not measure)')
  })

  it('with replace, the new calibration alone is the baseline and what it dropped is said', () => {
    const merge = mergeBaselines(previous, next, { replace: true })
    expect(merge.result.scenarios.map((s) => s.id)).toEqual(['beta'])
    expect(merge.result.calibration!.scenarios.map((s) => s.id)).toEqual(['beta'])
    expect(merge.dropped).toEqual(['alpha'])
    expect(mergeSummary(merge, true)).toBe('replaced beta; dropped alpha (--replace)')
  })

  it('new scenarios are appended after the kept ones', () => {
    const merge = mergeBaselines(previous, calibrated(['gamma'], 3, 900))
    expect(merge.result.scenarios.map((s) => s.id)).toEqual(['alpha', 'beta', 'gamma'])
    expect(merge.result.calibration!.scenarios.map((s) => s.id)).toEqual(['alpha', 'beta', 'gamma'])
    expect(mergeSummary(merge, true)).toMatch(/^added gamma; kept alpha, beta from the previous baseline/)
  })

  it('refuses to mix calibrations of different run counts, machines or settings — unless nothing is kept', () => {
    const five = calibrated(['beta'], 5, 700)
    expect(mergeConflict(previous, five)).toBe('its calibration has 3 A/A runs, this one 5')
    expect(() => mergeBaselines(previous, five)).toThrow(RangeError)
    expect(mergeBaselines(previous, five, { replace: true }).result.calibration!.runs).toBe(5)
    expect(mergeBaselines(previous, calibrated(['alpha', 'beta'], 5, 800)).kept).toEqual([]) // covers all: a plain replacement

    const elsewhere = { ...next, environment: { ...next.environment, hostname: 'ci-runner-7' } }
    expect(mergeConflict(previous, elsewhere)).toMatch(/^it was measured on another machine \(host .*; now: host ci-runner-7,/)
    const quick = { ...next, run: { ...next.run, settings: { ...next.run.settings, quick: true, timeMs: 1200 } } }
    expect(mergeConflict(previous, quick)).toBe('it was measured with other run settings (8 s per scenario; now: quick, 1.2 s per scenario)')
    const line = mergeRefusal('main', '/p/reports/baselines/main.json', previous, mergeConflict(previous, quick)!, ['alpha'])
    expect(line).toMatch(/^baseline main: .*main\.json holds alpha, which this save does not measure, but it was measured with other run settings .*; measure again as it was, or pass --replace to replace the baseline$/)
    expect(line).not.toContain('\n')
  })
})

describe('saving a plain run over a baseline (baseline save)', () => {
  const previous = calibrated(['alpha', 'beta'], 3, 1)
  const plain = runResult([scenario('beta', 20_000, 42)], { run: { id: 'plain' } })

  it('the run replaces its scenario; the kept one keeps its pooled calibration, the replaced one an unpooled floor', () => {
    const merge = mergeBaselines(previous, plain)
    expect(merge.result.scenarios.map((s) => s.id)).toEqual(['alpha', 'beta'])
    const [alpha, beta] = merge.result.calibration!.scenarios
    expect(alpha).toMatchObject({ id: 'alpha', pooled: true })
    expect(beta).toMatchObject({ id: 'beta', pooled: false })
    expect(beta!.variants.every((v) => v.rounds === undefined)).toBe(true)
    expect(merge.result.calibration!.runs).toBe(3)
  })

  it('into an uncalibrated baseline, and into none', () => {
    const bare = runResult([scenario('alpha', 10_000, 3), scenario('beta', 20_000, 4)])
    const merge = mergeBaselines(bare, plain)
    expect(merge.result.scenarios.map((s) => s.id)).toEqual(['alpha', 'beta'])
    expect(merge.result.calibration).toBeUndefined()
    const first = mergeBaselines(undefined, plain)
    expect(first.result.scenarios.map((s) => s.id)).toEqual(['beta'])
    expect(mergeSummary(first, false)).toBe('new baseline with 1 scenario')
  })
})

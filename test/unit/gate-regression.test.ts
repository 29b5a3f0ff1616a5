/**
 * The regression gate on synthetic results: every verdict path of a head ÷ base comparison, the
 * noise floor, the readings a verdict rests on, and every exit code.
 */
import { describe, expect, it } from 'vitest'
import { calibrate, unpooled } from '../../cli/gate/calibration.ts'
import { leaveOneOutChanges, noiseFloor, widenByNoise } from '../../cli/gate/noise.ts'
import { exitCodeOf, gateFindings, parseFailOn } from '../../cli/gate/outcome.ts'
import { compareWithBaseline, matchScenarios } from '../../cli/gate/regression.ts'
import type {
  HttpScenarioResult,
  LoadScenarioResult,
  RunResult,
  ScenarioResult,
  VariantRegression,
  VariantRegressionCompared,
} from '../../cli/result/schema.ts'
import { budget, completedVariant, erroredVariant, microScenario, runResult } from '../support/results.ts'

interface Sides {
  /** Median ns of the baseline variant `a` and the other variant `b`. */
  a: number
  b: number
  /** Seed of the round noise (head and base get different noise). */
  seed: number
  spread?: number
  rounds?: number
}

function scenario({ a, b, seed, spread = 0.01, rounds = 16 }: Sides, extra: Partial<Parameters<typeof microScenario>[0]> = {}) {
  return microScenario({
    name: 'layer',
    baseline: 'a',
    variants: [
      completedVariant({ name: 'a', medianNs: a, seed, spread, roundCount: rounds }),
      completedVariant({ name: 'b', medianNs: b, seed: seed + 1000, spread, roundCount: rounds }),
    ],
    ...extra,
  })
}

function run(scenarios: ScenarioResult[], overrides: Parameters<typeof runResult>[1] = {}): RunResult {
  return runResult(scenarios, overrides)
}

function compare(head: RunResult, base: RunResult): RunResult {
  return { ...head, baseline: compareWithBaseline(head, base, { name: 'main', file: 'reports/baselines/main.json' }) }
}

function variant(result: RunResult, name: string, scenarioIndex = 0): VariantRegression {
  return result.baseline!.scenarios[scenarioIndex]!.variants.find((v) => v.variant === name)!
}

function compared(result: RunResult, name: string): VariantRegressionCompared {
  const v = variant(result, name)
  if (v.state !== 'compared') throw new Error(`${name} was not compared: ${v.reason}`)
  return v
}

const base = run([scenario({ a: 10_000, b: 12_000, seed: 1 })])

describe('head ÷ base verdicts', () => {
  it('identical code reads same, and the gate passes (exit 0)', () => {
    const result = compare(run([scenario({ a: 10_000, b: 12_000, seed: 2 })]), base)
    expect(compared(result, 'a')).toMatchObject({ verdict: 'same', decidedBy: 'time' })
    expect(compared(result, 'b')).toMatchObject({ verdict: 'same', decidedBy: 'ratio' })
    expect(exitCodeOf(result)).toBe(0)
  })

  it('a variant 10 % slower than before, relative to its baseline variant, is a regression (exit 1) named in the findings', () => {
    const result = compare(run([scenario({ a: 10_000, b: 13_200, seed: 2 })]), base)
    const b = compared(result, 'b')
    expect(b.verdict).toBe('slower')
    expect(b.ratio!.change.estimate).toBeGreaterThan(1.08)
    expect(b.ratio!.change.estimate).toBeLessThan(1.12)
    expect(b.ratio!.change.low).toBeGreaterThan(1)
    expect(gateFindings(result).regressions.map((r) => `${r.scenario}/${r.variant.variant}`)).toEqual(['layer/b'])
    expect(exitCodeOf(result)).toBe(1)
  })

  it('a variant 10 % faster reads faster and does not fail', () => {
    const result = compare(run([scenario({ a: 10_000, b: 10_800, seed: 2 })]), base)
    expect(compared(result, 'b').verdict).toBe('faster')
    expect(exitCodeOf(result)).toBe(0)
  })

  it('too few, too noisy rounds read inconclusive: a warning (exit 0), a failure with --fail-on inconclusive', () => {
    const head = run([scenario({ a: 10_000, b: 12_600, seed: 2, spread: 0.08, rounds: 4 })])
    const result = compare(head, run([scenario({ a: 10_000, b: 12_000, seed: 1, spread: 0.08, rounds: 4 })]))
    expect(compared(result, 'b').verdict).toBe('inconclusive')
    expect(exitCodeOf(result)).toBe(0)
    expect(exitCodeOf(result, ['inconclusive'])).toBe(1)
  })

  it('a machine that runs everything 10 % slower moves times, not ratios: no regression unless --fail-on time', () => {
    const result = compare(run([scenario({ a: 11_000, b: 13_200, seed: 2 })]), base)
    expect(compared(result, 'a')).toMatchObject({ verdict: 'slower', decidedBy: 'time' })
    expect(compared(result, 'b').time.verdict).toBe('slower')
    expect(compared(result, 'b')).toMatchObject({ verdict: 'same', decidedBy: 'ratio' })
    const findings = gateFindings(result)
    expect(findings.regressions).toEqual([])
    expect(findings.slowerTimes.map((f) => f.variant.variant)).toEqual(['a'])
    expect(exitCodeOf(result)).toBe(0)
    expect(exitCodeOf(result, ['time'])).toBe(1)
  })

  it('a ratio that rose only because the baseline variant got faster is inconclusive, with the reason', () => {
    const result = compare(run([scenario({ a: 9_000, b: 12_000, seed: 2 })]), base)
    expect(compared(result, 'a').verdict).toBe('faster')
    const b = compared(result, 'b')
    expect(b.ratio!.verdict).toBe('slower')
    expect(b.verdict).toBe('inconclusive')
    expect(b.note).toMatch(/because a itself got faster; its own time did not get slower/)
  })

  it('a new variant, a variant that failed here and one that failed in the baseline are not compared', () => {
    const head = run([
      microScenario({
        name: 'layer',
        baseline: 'a',
        variants: [
          completedVariant({ name: 'a', medianNs: 10_000, seed: 2 }),
          erroredVariant({ name: 'b', error: 'boom' }),
          completedVariant({ name: 'c', medianNs: 11_000, seed: 3 }),
          completedVariant({ name: 'd', medianNs: 11_000, seed: 4 }),
        ],
      }),
    ])
    const before = run([
      microScenario({
        name: 'layer',
        baseline: 'a',
        variants: [completedVariant({ name: 'a', medianNs: 10_000, seed: 1 }), completedVariant({ name: 'b', medianNs: 10_000, seed: 5 }), erroredVariant({ name: 'd', error: 'x' })],
      }),
    ])
    const result = compare(head, before)
    expect(variant(result, 'b')).toMatchObject({ state: 'not-compared', reason: 'errored in this run' })
    expect(variant(result, 'c')).toMatchObject({ state: 'not-compared', reason: 'new: the baseline does not have this variant' })
    expect(variant(result, 'd')).toMatchObject({ state: 'not-compared', reason: 'errored in the baseline' })
    expect(exitCodeOf(result)).toBe(3)
  })
})

describe('scenarios: matching, kinds', () => {
  it('pairs scenarios by id, else by a name unique on both sides (parameters changed), and lists the rest', () => {
    const s = (name: string, id: string) => ({ name, id })
    const { matches, onlyInRun, onlyInBaseline } = matchScenarios(
      [s('x', 'x[k=1]'), s('y', 'y[k=2]'), s('z', 'z'), s('w', 'w[k=1]'), s('w', 'w[k=2]')],
      [s('x', 'x[k=1]'), s('y', 'y[k=1]'), s('w', 'w[k=3]'), s('gone', 'gone')],
    )
    expect(matches.map((m) => [m.head.id, m.base.id, m.matchedBy])).toEqual([
      ['x[k=1]', 'x[k=1]', 'id'],
      ['y[k=2]', 'y[k=1]', 'name'],
    ])
    expect(onlyInRun).toEqual(['z', 'w[k=1]', 'w[k=2]'])
    expect(onlyInBaseline).toEqual(['w[k=3]', 'gone'])
  })

  it('notes a match by name and compares across the changed parameter', () => {
    const head = run([scenario({ a: 10_000, b: 13_200, seed: 2 }, { params: { slowdown: 0.1 } })])
    const before = run([scenario({ a: 10_000, b: 12_000, seed: 1 }, { params: { slowdown: 0 } })])
    const result = compare(head, before)
    expect(result.baseline!.scenarios[0]!.notes[0]).toMatch(/matched by name: the parameters differ \(baseline layer\[slowdown=0\], this run layer\[slowdown=0\.1\]\)/)
    expect(compared(result, 'b').verdict).toBe('slower')
  })

  it('compares http rounds on time per request (1 / requests per second)', () => {
    const http = (rps: { a: number; b: number }, seed: number): HttpScenarioResult => {
      const rounds = (mean: number, s: number) =>
        Array.from({ length: 10 }, (_, index) => {
          const requestsPerSec = mean * (1 + 0.01 * Math.sin(index * 7 + s))
          const latency = { count: 100, meanNs: 1e6, p50Ns: 1e6, p90Ns: 2e6, p99Ns: 3e6, p999Ns: 4e6, maxNs: 5e6 }
          return { index, position: index % 2, durationMs: 1000, requests: requestsPerSec, requestsPerSec, latency, errors: 0, timeouts: 0, non2xx: 0 }
        })
      const stats = { requestsPerSec: 0, cv: 0, requests: 0, latency: { count: 0, meanNs: 0, p50Ns: 0, p90Ns: 0, p99Ns: 0, p999Ns: 0, maxNs: 0 }, errors: 0, timeouts: 0, non2xx: 0, rounds: 10 }
      return {
        kind: 'http', id: 'api[connections=10]', name: 'api', title: 'api', file: 'api.bench.ts', baseline: 'a', params: { connections: 10 }, state: 'completed',
        startedAt: '', durationMs: 1, warnings: [], budgets: [], claims: [], level: { name: 'connections', value: 10 },
        request: { method: 'GET', path: '/', bodyBytes: 0 },
        settings: { roundMs: 1000, warmupMs: 100, minEffect: 0.05, alpha: 0.01, resamples: 500, level: 0.99 },
        variants: [
          { name: 'a', isBaseline: true, state: 'completed', rounds: rounds(rps.a, seed), flags: [], stats },
          { name: 'b', isBaseline: false, state: 'completed', rounds: rounds(rps.b, seed + 1), flags: [], stats },
        ],
        comparisons: [],
      }
    }
    const result = compare(run([http({ a: 10_000, b: 8_000 }, 2)]), run([http({ a: 10_000, b: 10_000 }, 1)]))
    const b = compared(result, 'b')
    expect(b.verdict).toBe('slower')
    expect(b.ratio!.change.estimate).toBeCloseTo(1.25, 1)
    expect(b.time.base).toBeCloseTo(1e5, -3) // 1 / 10 000 per second = 100 µs per request
  })

  it('shows load cells side by side without judging them', () => {
    const load = (completedPerSec: number): LoadScenarioResult => {
      const figures = {
        emitted: 1000, completed: 1000, dropped: 3, failed: 0, offeredPerSec: 1000, completedPerSec,
        latency: { count: 1000, meanNs: 1e6, p50Ns: 1e6, p90Ns: 2e6, p99Ns: 3e6, p999Ns: 4e6, maxNs: 5e6 },
        eventLoopDelay: { p50Ns: 1e6, p99Ns: 2e6, maxNs: 3e6, meanNs: 1e6 }, peakRssBytes: 1e8, peakHeapBytes: 5e7, gc: { count: 1, totalMs: 1 },
      }
      return {
        kind: 'load', id: 'bus[concurrency=10]', name: 'bus', title: 'bus', file: 'bus.bench.ts', baseline: 'pooled', params: { concurrency: 10 }, state: 'completed',
        startedAt: '', durationMs: 1, warnings: [], budgets: [], claims: [], level: { name: 'concurrency', value: 10 },
        settings: { durationMs: 1000, warmupMs: 100 },
        variants: [
          { name: 'pooled', isBaseline: true, state: 'completed', level: 10, rounds: [], flags: [], figures },
          { name: 'unbounded', isBaseline: false, state: 'oom', level: 10, rounds: [], flags: [], afterMs: 500 },
        ],
        comparisons: [],
      }
    }
    const result = compare(run([load(900)]), run([load(1000)]))
    const pooled = variant(result, 'pooled')
    expect(pooled).toMatchObject({ state: 'not-compared' })
    if (pooled.state !== 'not-compared') return
    expect(pooled.reason).toMatch(/load cells run once per variant/)
    expect(pooled.figures![0]).toEqual({ metric: 'completed/s', dimension: 'rate', base: 1000, head: 900 })
    expect(variant(result, 'unbounded')).toMatchObject({ state: 'not-compared', reason: expect.stringMatching(/\(oom\)/) })
    expect(exitCodeOf(result)).toBe(0)
  })
})

describe('machines and warnings', () => {
  it('another machine: a loud warning, and times are not judged (only ratios decide)', () => {
    const head = run([scenario({ a: 12_000, b: 14_400, seed: 2 })], { environment: { hostname: 'ci-runner-7', cpu: { model: 'Intel Xeon', count: 4, speedMHz: 2000 } } })
    const result = compare(head, base)
    expect(result.baseline!.sameMachine).toBe(false)
    expect(result.baseline!.warnings.join('\n')).toMatch(/the baseline was measured on another machine \(host bench-01, AMD EPYC 7B13 64-Core Processor × 2, linux-x64; this run: host ci-runner-7, Intel Xeon × 4, linux-x64\): times are not judged/)
    expect(variant(result, 'a')).toMatchObject({ state: 'not-compared', reason: expect.stringMatching(/another machine or Node version/) })
    expect(compared(result, 'b')).toMatchObject({ verdict: 'same', decidedBy: 'ratio' })
    expect(exitCodeOf(result, ['time'])).toBe(0)
  })

  it('another Node version, other run settings and no calibration are each warned about', () => {
    const head = run([scenario({ a: 10_000, b: 12_000, seed: 2 })], { environment: { node: 'v22.12.0' }, run: { settings: { seed: 1, quick: true, timeMs: 1200, minEffect: 0.05, alpha: 0.01, timeoutMs: 60_000, params: {} } } })
    const warnings = compare(head, base).baseline!.warnings.join('\n')
    expect(warnings).toMatch(/Node v20\.20\.2, this run with Node v22\.12\.0/)
    expect(warnings).toMatch(/run settings differ \(baseline: 8 s per scenario; this run: quick, 1\.2 s per scenario\)/)
    expect(warnings).toMatch(/the baseline is not calibrated/)
  })
})

describe('calibration and the noise floor', () => {
  /** A/A runs: the same code, each run landing at its own offset (per-run drift) with its own round noise. */
  const aaRuns = (offsets: number[]) => offsets.map((offset, k) => run([scenario({ a: 10_000 * (1 + offset), b: 12_000 * (1 + offset) * (1 + offset / 2), seed: 100 + k })]))

  it('leave-one-out changes: each run against the others pooled', () => {
    const changes = leaveOneOutChanges([[1, 1, 1], [1.1, 1.1, 1.1], [1, 1, 1]])
    // Run 0 against {1.1 ×3, 1 ×3}: half the pairwise log differences are −ln 1.1, half 0; their median is −ln 1.1 / 2.
    expect(changes[0]).toBeCloseTo(1 / Math.sqrt(1.1), 10)
    expect(changes[1]).toBeCloseTo(1.1, 10)
    expect(changes[2]).toBeCloseTo(1 / Math.sqrt(1.1), 10)
  })

  it('the floor is the band that holds every A/A change, wider when the base pools fewer runs', () => {
    // Each change compared one run with 9 pooled; a base of 10 pooled runs moves a little less.
    expect(noiseFloor([1.02, 0.97, 1.01], 10, 9)).toBeCloseTo(Math.expm1(2 * Math.abs(Math.log(0.97))), 10)
    expect(noiseFloor([1.02, 0.97, 1.01], 10, 10)).toBeCloseTo(Math.expm1(2 * Math.abs(Math.log(0.97)) * Math.sqrt(1.1 / (1 + 1 / 9))), 10)
    const one = noiseFloor([1.02, 0.97, 1.01], 10, 1)
    expect(one).toBeCloseTo(Math.expm1(2 * Math.abs(Math.log(0.97)) * Math.sqrt(2 / (1 + 1 / 9))), 10)
    expect(noiseFloor([], 10, 10)).toBe(0)
  })

  it('widening adds the floor in quadrature on both sides', () => {
    const wide = widenByNoise({ estimate: 1, low: Math.exp(-0.03), high: Math.exp(0.04) }, Math.expm1(0.08))
    expect(Math.log(wide.low)).toBeCloseTo(-0.05, 10)
    expect(Math.log(wide.high)).toBeCloseTo(-Math.log(Math.exp(-Math.hypot(0.04, 0.04))), 10)
    expect(widenByNoise({ estimate: 1, low: 0.9, high: 1.1 }, 0)).toEqual({ low: 0.9, high: 1.1 })
  })

  it('calibrate pools every run\'s rounds and measures each reading\'s floor', () => {
    const runs = aaRuns([0, 0.02, -0.01, 0.01, -0.02])
    const { calibration, uncalibrated } = calibrate(runs)
    expect(uncalibrated).toEqual([])
    expect(calibration.runs).toBe(5)
    const s = calibration.scenarios[0]!
    expect(s).toMatchObject({ id: 'layer', pooled: true })
    expect(s.variants.map((v) => [v.name, v.rounds!.length, v.timeChanges.length, v.ratioChanges?.length])).toEqual([
      ['a', 5, 5, undefined],
      ['b', 5, 5, 5],
    ])
    // Times moved by up to ±2 %, ratios by half that: the time floor is the wider.
    expect(s.noiseFloor.time).toBeGreaterThan(0.03)
    expect(s.noiseFloor.ratio!).toBeLessThan(s.noiseFloor.time)
    expect(noiseFloor(s.variants.flatMap((v) => v.timeChanges), 5, 5)).toBeCloseTo(s.noiseFloor.time, 12)
  })

  it('the floor keeps A/A drift from reading as a regression that an uncalibrated baseline would report', () => {
    const runs = aaRuns([0, 0.12, -0.1, 0.08, -0.12]) // ratios drift by up to ±6 %
    const { calibration } = calibrate(runs)
    const calibrated = { ...runs[4]!, calibration }
    const drifted = run([scenario({ a: 10_600, b: 12_000 * 1.06 * 1.06, seed: 77 })]) // +6 %: within the A/A spread
    expect(compared(compare(drifted, runs[0]!), 'b').verdict).toBe('slower')
    const judged = compared(compare(drifted, calibrated), 'b')
    expect(judged.verdict).not.toBe('slower')
    expect(judged.ratio!.noiseFloor).toBeCloseTo(calibration.scenarios[0]!.noiseFloor.ratio!, 12)
    // The floor widens the interval; the threshold stays the user's minimum effect.
    expect(judged.ratio!.minEffect).toBe(0.05)
    expect(judged.ratio!.change.low).toBeLessThan(judged.ratio!.sampling.low)
    expect(compare(drifted, calibrated).baseline!.scenarios[0]!.baseRuns).toBe(5)
  })

  it('a wide noise floor never makes a same: a same keeps its widened interval inside ±m', () => {
    // A/A runs that drift by up to ±25 % in ratio: a floor far above m.
    const runs = aaRuns([0, 0.5, -0.4, 0.3, -0.5])
    const calibrated = { ...runs[4]!, calibration: calibrate(runs).calibration }
    const identical = run([scenario({ a: 10_000, b: 12_000, seed: 79 })])
    const judged = compared(compare(identical, calibrated), 'b')
    expect(judged.ratio!.noiseFloor).toBeGreaterThan(0.3)
    expect(judged.verdict).toBe('inconclusive')
    expect(judged.ratio!.change.high - judged.ratio!.change.low).toBeGreaterThan(0.3)
  })

  it('a calibrated baseline still catches a change beyond the floor', () => {
    const runs = aaRuns([0, 0.01, -0.01, 0.005, -0.005])
    const calibrated = { ...runs[4]!, calibration: calibrate(runs).calibration }
    const slower = run([scenario({ a: 10_000, b: 12_000 * 1.1, seed: 78 })])
    expect(compared(compare(slower, calibrated), 'b').verdict).toBe('slower')
  })

  it('saving a new run over a calibrated baseline keeps the floors, unpooled and wider, for the scenarios still there', () => {
    const { calibration } = calibrate(aaRuns([0, 0.02, -0.01]))
    const kept = unpooled(calibration, ['layer', 'other'])
    expect(kept.scenarios[0]!.pooled).toBe(false)
    expect(kept.scenarios[0]!.variants[0]!.rounds).toBeUndefined()
    expect(kept.scenarios[0]!.noiseFloor.time).toBeGreaterThan(calibration.scenarios[0]!.noiseFloor.time)
    expect(unpooled(calibration, ['other']).scenarios).toEqual([])
  })

  it('leaves out scenarios that failed in a run, and load cells', () => {
    const failed = run([microScenario({ name: 'layer', baseline: 'a', variants: [completedVariant({ name: 'a', medianNs: 1 }), erroredVariant({ name: 'b', error: 'x' })] })])
    const { uncalibrated } = calibrate([...aaRuns([0, 0.01]), failed])
    expect(uncalibrated).toEqual([{ id: 'layer', reason: 'variant b errored in one of the runs' }])
  })
})

describe('exit codes', () => {
  const withBudgets = (...states: Array<'pass' | 'fail' | 'missing'>) =>
    run([scenario({ a: 10_000, b: 12_000, seed: 2 }, { budgets: states.map((state, i) => budget(`b: p99 < ${i + 1}ms`, { variant: 'b', metric: 'p99', state, measuredText: '1ms' })) })])

  it('0 when every budget passes', () => expect(exitCodeOf(withBudgets('pass', 'pass'))).toBe(0))
  it('1 when a budget fails', () => expect(exitCodeOf(withBudgets('pass', 'fail'))).toBe(1))
  it('an unmeasured budget is a warning, a failure with --fail-on inconclusive', () => {
    expect(exitCodeOf(withBudgets('missing'))).toBe(0)
    expect(exitCodeOf(withBudgets('missing'), ['inconclusive'])).toBe(1)
  })
  it('3 when a variant could not be measured, even if a budget failed', () => {
    const result = run([microScenario({ name: 'x', variants: [completedVariant({ name: 'a', medianNs: 1 }), erroredVariant({ name: 'b', error: 'x' })], budgets: [budget('a: p99 < 1ms', { variant: 'a', metric: 'p99', state: 'fail', measuredText: '2ms' })] })])
    expect(exitCodeOf(result)).toBe(3)
  })
  it('130 for an interrupted run; 3 when compare reads one', () => {
    const result = run([scenario({ a: 1, b: 1, seed: 1 })], { run: { state: 'interrupted' } })
    expect(exitCodeOf(result)).toBe(130)
    expect(exitCodeOf(result, [], { interruptedExit: false })).toBe(3)
  })
  it('the recorded --fail-on is used when none is given', () => {
    const result = withBudgets('missing')
    result.run.settings.failOn = ['inconclusive']
    expect(exitCodeOf(result)).toBe(1)
  })
  it('--fail-on takes regression, time, inconclusive, repeated or comma-separated', () => {
    expect(parseFailOn(undefined)).toEqual([])
    expect(parseFailOn(['regression'])).toEqual([])
    expect(parseFailOn(['time,inconclusive', 'time'])).toEqual(['time', 'inconclusive'])
    expect(() => parseFailOn(['slow'])).toThrow(/--fail-on slow: use regression \(the default\), time .* or inconclusive/)
  })
})

/**
 * Calibration: from several runs of the same code (A/A runs, each variant in fresh processes each
 * time), how far each scenario moves between runs — the spread behind its noise floor. Pure.
 */
import type { AnyVariantResult, Calibration, RunResult, ScenarioCalibration, ScenarioResult, VariantCalibration } from '../result/schema.ts'
import { floors, leaveOneOutChanges } from './noise.ts'
import { roundRatios, roundTimes } from './rounds.ts'

/** A scenario left out of the calibration, and why. */
export interface Uncalibrated {
  id: string
  reason: string
}

/**
 * Measures each scenario's between-run spread over `runs` (at least two) and returns the
 * calibration to store with a baseline, pooled: the baseline keeps every run's rounds, so its side
 * of a comparison averages over the runs instead of resting on one.
 */
export function calibrate(runs: readonly RunResult[]): { calibration: Calibration; uncalibrated: Uncalibrated[] } {
  if (runs.length < 2) throw new RangeError('calibration needs at least two runs')
  const last = runs[runs.length - 1]!
  const scenarios: ScenarioCalibration[] = []
  const uncalibrated: Uncalibrated[] = []
  for (const scenario of last.scenarios) {
    const samples = runs.map((run) => run.scenarios.find((s) => s.id === scenario.id))
    const reason = whyNot(scenario, samples)
    if (reason) uncalibrated.push({ id: scenario.id, reason })
    else scenarios.push(calibrateScenario(samples as Array<Extract<ScenarioResult, { kind: 'micro' | 'http' }>>))
  }
  const environment = last.environment
  return {
    calibration: {
      runs: runs.length,
      calibratedAt: last.run.finishedAt ?? last.run.startedAt,
      settings: {
        timeMs: last.run.settings.timeMs,
        quick: last.run.settings.quick,
        ...(last.run.settings.rounds ? { rounds: last.run.settings.rounds } : {}),
      },
      machine: { hostname: environment.hostname, cpu: environment.cpu.model, cpuCount: environment.cpu.count, node: environment.node },
      ...(environment.git ? { git: environment.git } : {}),
      scenarios,
    },
    uncalibrated,
  }
}

function whyNot(scenario: ScenarioResult, samples: ReadonlyArray<ScenarioResult | undefined>): string | undefined {
  if (scenario.kind === 'load') return 'load cells run once per variant and are not compared, so they need no noise floor'
  if (samples.some((s) => s === undefined)) return 'not measured in every run'
  for (const s of samples) {
    if (s!.state !== 'completed') return `${s!.state} in one of the runs`
    const variants: AnyVariantResult[] = s!.variants
    const failed = variants.find((v) => v.state !== 'completed')
    if (failed) return `variant ${failed.name} ${failed.state} in one of the runs`
  }
  return undefined
}

function calibrateScenario(samples: ReadonlyArray<Extract<ScenarioResult, { kind: 'micro' | 'http' }>>): ScenarioCalibration {
  const first = samples[0]!
  const kind = first.kind
  const variantNames = (first.variants as AnyVariantResult[]).map((v) => v.name)
  const variants: VariantCalibration[] = variantNames.map((name) => {
    const rounds: number[][] = []
    const ratios: number[][] = []
    for (const s of samples) {
      const list: AnyVariantResult[] = s.variants
      const times = roundTimes(list.find((v) => v.name === name)!, kind)
      rounds.push([...times.values()])
      if (name !== s.baseline) ratios.push(roundRatios(times, roundTimes(list.find((v) => v.name === s.baseline)!, kind)))
    }
    const isBaseline = name === first.baseline
    return {
      name,
      timeChanges: leaveOneOutChanges(rounds),
      ...(isBaseline ? {} : { ratioChanges: leaveOneOutChanges(ratios) }),
      rounds,
      ...(isBaseline ? {} : { roundRatios: ratios }),
    }
  })
  const runs = samples.length
  return { id: first.id, kind, noiseFloor: floors(variants, runs, runs), pooled: true, variants }
}

/**
 * The calibration kept when a baseline's results are replaced by a new run (`perfkit baseline
 * save`): the A/A changes still describe the machine and the scenarios, but the A/A runs' rounds
 * measured the old code, so they stop being pooled and the noise floors become those of a one-run base.
 */
export function unpooled(calibration: Calibration, scenarioIds: readonly string[]): Calibration {
  return {
    ...calibration,
    scenarios: calibration.scenarios
      .filter((s) => scenarioIds.includes(s.id))
      .map((s) => {
        const variants = s.variants.map(({ rounds: _rounds, roundRatios: _roundRatios, ...rest }) => rest)
        return { ...s, pooled: false, noiseFloor: floors(variants, calibration.runs, 1), variants }
      }),
  }
}

/**
 * Regression against a baseline: a run (the head) compared with a saved run (the base), per
 * scenario and variant. Pure: results in, a `BaselineComparison` out.
 *
 * Each compared variant gets up to two readings of head ÷ base, both from per-round figures of the
 * two runs (unpaired: Hodges–Lehmann shift of the logs, two-sample bootstrap, Mann–Whitney):
 * - `time`: the variant's own round times. Honest, but it carries everything that moves a whole
 *   run — a busier machine, a slower CPU clock — on top of the change under test.
 * - `ratio`: the variant's round time ÷ the baseline variant's in the same round. Machine-wide drift
 *   cancels, as it does for the ratios a run reports, so this reading resolves smaller changes.
 * A non-baseline variant is judged on its `ratio` reading; the scenario's baseline variant, which
 * has no ratio, on its `time` reading, so a change that slows every variant alike is still caught.
 *
 * With a calibrated baseline each reading's interval is widened by the scenario's noise floor
 * (noise.ts), so between-run noise does not read as a change; the verdict keeps the user's minimum effect.
 */
import type {
  AnyVariantResult,
  BaselineComparison,
  LoadFigures,
  LoadScenarioResult,
  RegressionFigure,
  RegressionReading,
  RunResult,
  ScenarioCalibration,
  ScenarioRegression,
  ScenarioResult,
  VariantRegression,
} from '../result/schema.ts'
import { compareUnpairedClustered } from '../stats/compare.ts'
import { median } from '../stats/describe.ts'
import { hashSeed } from '../stats/rng.ts'
import { verdict } from '../stats/verdict.ts'
import { floors as scenarioFloors, widenByNoise } from './noise.ts'
import { roundProcesses, roundRatioMap, roundTimes } from './rounds.ts'

/** Fewer rounds than this on either side and a reading is not attempted. */
export const MIN_ROUNDS = 3

export interface BaselineOptions {
  /** The baseline as the user named it (`main` or a file). */
  name: string
  /** The file it was read from. */
  file: string
}

/** A scenario of the run and its counterpart in the baseline. */
export interface ScenarioMatch<S = ScenarioResult> {
  head: S
  base: S
  matchedBy: 'id' | 'name'
}

/**
 * Pairs scenarios by id (name and parameters); a scenario whose id has no counterpart is paired by
 * name when that name occurs once on each side (the parameters differ: `--param slowdown=0.05`).
 */
export function matchScenarios<S extends { id: string; name: string }>(head: readonly S[], base: readonly S[]) {
  const matches: Array<{ head: S; base: S; matchedBy: 'id' | 'name' }> = []
  const usedBase = new Set<S>()
  const pending: S[] = []
  for (const h of head) {
    const b = base.find((candidate) => candidate.id === h.id)
    if (b) {
      matches.push({ head: h, base: b, matchedBy: 'id' })
      usedBase.add(b)
    } else pending.push(h)
  }
  const onlyInRun: string[] = []
  for (const h of pending) {
    const sameName = (list: readonly S[]) => list.filter((s) => s.name === h.name)
    const candidates = sameName(base).filter((b) => !usedBase.has(b))
    if (sameName(head).length === 1 && sameName(base).length === 1 && candidates.length === 1) {
      matches.push({ head: h, base: candidates[0]!, matchedBy: 'name' })
      usedBase.add(candidates[0]!)
    } else onlyInRun.push(h.id)
  }
  const onlyInBaseline = base.filter((b) => !usedBase.has(b)).map((b) => b.id)
  return { matches, onlyInRun, onlyInBaseline }
}

/** Compares every scenario of `head` with its counterpart in `base`. */
export function compareWithBaseline(head: RunResult, base: RunResult, options: BaselineOptions): BaselineComparison {
  const { matches, onlyInRun, onlyInBaseline } = matchScenarios(head.scenarios, base.scenarios)
  const minEffect = head.run.settings.minEffect
  const alpha = head.run.settings.alpha
  const onSameMachine = sameMachine(head, base)
  return {
    name: options.name,
    file: options.file,
    base: {
      runId: base.run.id,
      startedAt: base.run.startedAt,
      perfkit: base.perfkit,
      ...(base.environment.git ? { git: base.environment.git } : {}),
      hostname: base.environment.hostname,
      cpu: `${base.environment.cpu.model} × ${base.environment.cpu.count}`,
      node: base.environment.node,
    },
    calibrated: base.calibration !== undefined,
    sameMachine: onSameMachine,
    minEffect,
    alpha,
    warnings: baselineWarnings(head, base),
    scenarios: matches.map((match) => {
      const calibration = base.calibration?.scenarios.find((c) => c.id === match.base.id)
      return compareScenario(match, calibration ? { ...calibration, runs: base.calibration!.runs } : undefined, {
        seed: head.run.settings.seed,
        sameMachine: onSameMachine,
      })
    }),
    onlyInRun,
    onlyInBaseline,
  }
}

function machineOf(result: RunResult): string {
  const e = result.environment
  return `host ${e.hostname}, ${e.cpu.model} × ${e.cpu.count}, ${e.platform}-${e.arch}`
}

/** Same machine and same Node: only then can two runs' times (not just ratios) be compared. */
export function sameMachine(head: RunResult, base: RunResult): boolean {
  return machineOf(head) === machineOf(base) && head.environment.node === base.environment.node
}

/** Loud warnings: the two runs may not measure the same thing the same way. */
export function baselineWarnings(head: RunResult, base: RunResult): string[] {
  const warnings: string[] = []
  const h = head.environment
  const b = base.environment
  const timesNotJudged = 'times are not judged: only the ratio readings, relative to each scenario\'s baseline variant, carry over'
  if (machineOf(head) !== machineOf(base)) {
    warnings.push(`the baseline was measured on another machine (${machineOf(base)}; this run: ${machineOf(head)}): ${timesNotJudged}`)
  }
  if (h.node !== b.node) warnings.push(`the baseline was measured with Node ${b.node}, this run with Node ${h.node}: ${timesNotJudged}`)
  const hs = head.run.settings
  const bs = base.run.settings
  const budget = (s: typeof hs) => `${s.quick ? 'quick, ' : ''}${s.timeMs / 1000} s per scenario${s.rounds ? `, ${s.rounds} rounds` : ''}`
  if (budget(hs) !== budget(bs)) warnings.push(`run settings differ (baseline: ${budget(bs)}; this run: ${budget(hs)}): intervals and noise floors are not like for like`)
  if (base.run.state !== 'completed') warnings.push(`the baseline run did not finish (${base.run.state}): scenarios it did not reach are not compared`)
  const calibration = base.calibration
  if (!calibration) {
    warnings.push('the baseline is not calibrated, so there is no noise floor: run-to-run noise can read as a regression — run `perfkit calibrate` on the machine that runs the gate')
  } else {
    const where = `host ${h.hostname}, ${h.cpu.model} × ${h.cpu.count}`
    const calibratedOn = `host ${calibration.machine.hostname}, ${calibration.machine.cpu} × ${calibration.machine.cpuCount}`
    if (where !== calibratedOn) {
      warnings.push(`the noise floors were measured on another machine (${calibratedOn}); they may not hold here`)
    }
  }
  return warnings
}

/** A scenario's calibration and how many A/A runs it rests on. */
type CalibrationOf = ScenarioCalibration & { runs: number }

interface CompareContext {
  /** The head run's seed: each reading's bootstrap seed derives from it. */
  seed: number
  sameMachine: boolean
}

function compareScenario(match: ScenarioMatch, calibration: CalibrationOf | undefined, context: CompareContext): ScenarioRegression {
  const { head, base } = match
  const notes: string[] = []
  if (match.matchedBy === 'name') notes.push(`matched by name: the parameters differ (baseline ${base.id}, this run ${head.id})`)
  if (head.state !== 'completed') notes.push(`this run's scenario is ${head.state}: only the variants it completed are compared`)
  if (base.state !== 'completed') notes.push(`the baseline's scenario is ${base.state}: only the variants it completed are compared`)
  const common = {
    id: head.id,
    baselineId: base.id,
    kind: head.kind,
    baselineVariant: head.baseline,
    notes,
  }
  if (head.kind !== base.kind) {
    notes.push(`the scenario is a ${head.kind} scenario here and a ${base.kind} scenario in the baseline: not compared`)
    return { ...common, baseRuns: 1, variants: [] }
  }
  if (head.baseline !== base.baseline) notes.push(`the baseline variant changed (${base.baseline} → ${head.baseline}): ratio readings are not like for like`)
  switch (head.kind) {
    case 'micro':
    case 'http':
      return compareRounds(match, common, calibration, context)
    case 'load':
      return { ...common, baseRuns: 1, variants: compareLoadCells(head, base as LoadScenarioResult) }
  }
}

/** Whether a variant measured what a comparison needs: it completed. */
function usable(variant: AnyVariantResult | undefined): boolean {
  return variant?.state === 'completed'
}

function compareRounds(
  match: ScenarioMatch,
  common: Omit<ScenarioRegression, 'baseRuns' | 'variants' | 'noiseFloor'>,
  calibration: CalibrationOf | undefined,
  { seed, sameMachine }: CompareContext,
): ScenarioRegression {
  const head = match.head as Extract<ScenarioResult, { kind: 'micro' | 'http' }>
  const base = match.base as Extract<ScenarioResult, { kind: 'micro' | 'http' }>
  const kind = head.kind
  const settings = head.settings
  const pooled = calibration?.pooled === true
  const baseRuns = pooled ? calibration.runs : 1
  const floors = calibration ? scenarioFloors(calibration.variants, calibration.runs, baseRuns) : undefined

  const headVariants: AnyVariantResult[] = head.variants
  const baseVariants: AnyVariantResult[] = base.variants
  const headReference = headVariants.find((v) => v.name === head.baseline)
  const baseReference = baseVariants.find((v) => v.name === base.baseline)
  const readingOptions = { alpha: settings.alpha, resamples: settings.resamples }

  // The baseline variant first: the other variants' verdicts look at whether it moved.
  const ordered = [...headVariants].sort((a, b) => Number(b.name === head.baseline) - Number(a.name === head.baseline))
  const byName = new Map<string, VariantRegression>()
  let referenceTime: RegressionReading | undefined
  for (const variant of ordered) {
    const counterpart = baseVariants.find((v) => v.name === variant.name)
    const isReference = variant.name === head.baseline
    const why = notComparedReason(variant, counterpart)
    if (why) {
      byName.set(variant.name, { variant: variant.name, state: 'not-compared', reason: why })
      continue
    }
    const variantCalibration = pooled ? calibration.variants.find((v) => v.name === variant.name) : undefined
    const headTimes = roundTimes(variant, kind)
    const headProcess = roundProcesses(variant)
    const baseTimes = variantCalibration?.rounds ? pooledFigures(variantCalibration.rounds) : figures(roundTimes(counterpart!, kind), roundProcesses(counterpart!))
    const time = reading(baseTimes, figures(headTimes, headProcess), {
      ...readingOptions,
      minEffect: settings.minEffect,
      floor: floors?.time ?? 0,
      seed: hashSeed(seed, `${head.id}/${variant.name}/time`),
    })
    if (!time) {
      byName.set(variant.name, { variant: variant.name, state: 'not-compared', reason: `fewer than ${MIN_ROUNDS} rounds on one side` })
      continue
    }
    if (isReference) referenceTime = time

    let ratio: RegressionReading | undefined
    if (!isReference && usable(headReference) && usable(baseReference) && head.baseline === base.baseline) {
      const headRatios = figures(roundRatioMap(headTimes, roundTimes(headReference!, kind)), headProcess)
      const baseRatios = variantCalibration?.roundRatios
        ? pooledFigures(variantCalibration.roundRatios)
        : figures(roundRatioMap(roundTimes(counterpart!, kind), roundTimes(baseReference!, kind)), roundProcesses(counterpart!))
      ratio = reading(baseRatios, headRatios, {
        ...readingOptions,
        minEffect: settings.minEffect,
        floor: floors?.ratio ?? 0,
        seed: hashSeed(seed, `${head.id}/${variant.name}/ratio`),
      })
    }
    if (!sameMachine && !ratio) {
      byName.set(variant.name, { variant: variant.name, state: 'not-compared', reason: 'only its time could be compared, and times from another machine or Node version are not judged', time })
      continue
    }
    byName.set(variant.name, judge(variant.name, head.baseline, time, ratio, sameMachine ? referenceTime : undefined))
  }
  return {
    ...common,
    baseRuns,
    ...(floors ? { noiseFloor: floors } : {}),
    variants: headVariants.map((v) => byName.get(v.name)!),
  }
}

/** Figures by round index, with the process each round ran in. */
function figures(values: ReadonlyMap<number, number>, process: ReadonlyMap<number, number>): Figure[] {
  return [...values].map(([index, value]) => ({ value, process: process.get(index) ?? 0 }))
}

/** Pooled calibration rounds, one list per A/A run: each run one cluster (their processes were not kept). */
function pooledFigures(runs: ReadonlyArray<readonly number[]>): Figure[] {
  return runs.flatMap((values, run) => values.map((value) => ({ value, process: run })))
}

function notComparedReason(head: AnyVariantResult, base: AnyVariantResult | undefined): string | undefined {
  if (!base) return 'new: the baseline does not have this variant'
  if (head.state !== 'completed') return `${head.state} in this run`
  if (base.state !== 'completed') return `${base.state} in the baseline`
  return undefined
}

/**
 * The variant's verdict: its ratio reading when it has one, else its time reading. A ratio that
 * moved only because the baseline variant moved the other way (the baseline got faster, this
 * variant's own time did not get slower) says nothing about this variant: inconclusive, with a note.
 */
export function judge(
  variant: string,
  baselineVariant: string,
  time: RegressionReading,
  ratio: RegressionReading | undefined,
  referenceTime: RegressionReading | undefined,
): VariantRegression {
  if (!ratio) return { variant, state: 'compared', verdict: time.verdict, decidedBy: 'time', time }
  const reference = referenceTime?.verdict
  const opposite = { slower: 'faster', faster: 'slower' } as const
  if ((ratio.verdict === 'slower' || ratio.verdict === 'faster') && reference === opposite[ratio.verdict] && time.verdict !== ratio.verdict) {
    return {
      variant,
      state: 'compared',
      verdict: 'inconclusive',
      decidedBy: 'ratio',
      time,
      ratio,
      note: `its ratio to ${baselineVariant} reads ${ratio.verdict} because ${baselineVariant} itself got ${reference}; its own time did not get ${ratio.verdict}`,
    }
  }
  return { variant, state: 'compared', verdict: ratio.verdict, decidedBy: 'ratio', time, ratio }
}

/** One round's figure and the process it came from (runs of one process per variant, and pooled calibration rounds, are process 0 or one cluster per run). */
export interface Figure {
  value: number
  process: number
}

interface ReadingOptions {
  minEffect: number
  alpha: number
  /** The noise floor (0 without calibration). */
  floor: number
  seed: number
  resamples: number
}

/** head ÷ base of two sets of round figures; undefined when either side has too few rounds. */
export function reading(base: readonly Figure[], head: readonly Figure[], options: ReadingOptions): RegressionReading | undefined {
  const positive = (list: readonly Figure[]) => list.filter((x) => x.value > 0 && Number.isFinite(x.value))
  const bf = positive(base)
  const hf = positive(head)
  if (bf.length < MIN_ROUNDS || hf.length < MIN_ROUNDS) return undefined
  const b = bf.map((x) => x.value)
  const h = hf.map((x) => x.value)
  // The noise floor widens the interval; it does not move the threshold: a `same` is an interval
  // inside ±m — the user's m — and a change is called only with an estimate of at least m.
  const minEffect = options.minEffect
  const core = compareUnpairedClustered(
    b,
    bf.map((x) => x.process),
    h,
    hf.map((x) => x.process),
    { minEffect, alpha: options.alpha, seed: options.seed, resamples: options.resamples },
  )
  const widened = widenByNoise(core.ratio, options.floor)
  const change = { estimate: core.ratio.estimate, low: widened.low, high: widened.high, level: core.ratio.level }
  return {
    base: median(b),
    head: median(h),
    change,
    sampling: { low: core.ratio.low, high: core.ratio.high },
    pValue: core.pValue,
    test: core.test === 'welch-t-per-process' ? 'welch-t-per-process' : 'mann-whitney-u',
    baseRounds: b.length,
    headRounds: h.length,
    minEffect,
    noiseFloor: options.floor,
    verdict: verdict(change, core.pValue, { minEffect, alpha: options.alpha }),
  }
}

/** Load cells have one measurement per variant and level: shown side by side, not judged. */
function compareLoadCells(head: LoadScenarioResult, base: LoadScenarioResult): VariantRegression[] {
  return head.variants.map((variant) => {
    const counterpart = base.variants.find((v) => v.name === variant.name)
    if (!counterpart) return { variant: variant.name, state: 'not-compared', reason: 'new: the baseline does not have this variant' }
    const pick = (metric: string, dimension: RegressionFigure['dimension'], read: (f: LoadFigures) => number): RegressionFigure => {
      const h = variant.figures
      const b = counterpart.figures
      return { metric, dimension, ...(b ? { base: read(b) } : {}), ...(h ? { head: read(h) } : {}) }
    }
    const states = variant.state === counterpart.state ? variant.state : `${counterpart.state} → ${variant.state}`
    return {
      variant: variant.name,
      state: 'not-compared',
      reason: `load cells run once per variant, so there is no interval to judge a change by (${states}); figures side by side`,
      figures: [
        pick('completed/s', 'rate', (f) => f.completedPerSec),
        pick('p99', 'time', (f) => f.latency.p99Ns),
        pick('dropped', 'count', (f) => f.dropped),
        pick('peak RSS', 'bytes', (f) => f.peakRssBytes),
      ],
    }
  })
}

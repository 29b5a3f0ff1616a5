/**
 * Baseline files: a saved run (`perfkit/result@1`, optionally with the calibration `perfkit
 * calibrate` measured) under `<outDir>/baselines/<name>.json`, named on the command line by name or
 * by path. Every way a baseline can be wrong is a one-line UsageError (exit 2) naming the file and the fix.
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import { UsageError } from '../errors.ts'
import { displayPath as relative, readResult, resultFileOf } from '../result/io.ts'
import type { Calibration, RunResult, ScenarioCalibration } from '../result/schema.ts'
import { unpooled } from './calibration.ts'
import { matchScenarios } from './regression.ts'

export const DEFAULT_BASELINE = 'main'

const NAME_PATTERN = /^[A-Za-z0-9][\w.-]*$/

/** The folder baselines are saved in. */
export function baselinesDir(root: string, outDir: string): string {
  return path.resolve(root, outDir, 'baselines')
}

export interface BaselineRef {
  /** As the user wrote it. */
  name: string
  /** Absolute path of the file. */
  file: string
  /** Whether the user gave a name (resolved under the baselines folder) rather than a file. */
  byName: boolean
}

/** A name (`main` → `<dir>/main.json`) or a file (anything with a `/`, ending in `.json`, or existing). */
export function resolveBaseline(spec: string, dir: string, cwd = process.cwd()): BaselineRef {
  const looksLikeFile = spec.includes('/') || spec.includes(path.sep) || spec.endsWith('.json') || existsSync(path.resolve(cwd, spec))
  if (looksLikeFile) {
    // A run folder stands for its result.json.
    return { name: spec, file: resultFileOf(spec, cwd), byName: false }
  }
  if (!NAME_PATTERN.test(spec)) throw new UsageError(`baseline name "${spec}": use letters, digits, - _ . (e.g. main), or give the path of a result file`)
  return { name: spec, file: path.join(dir, `${spec}.json`), byName: true }
}

/** Reads a baseline; a missing, corrupt or foreign file is a one-line UsageError. */
export function readBaseline(ref: BaselineRef): RunResult {
  if (!existsSync(ref.file)) {
    if (ref.byName) {
      throw new UsageError(
        `baseline "${ref.name}": ${relative(ref.file)} does not exist; save one with \`perfkit baseline save ${ref.name}\` (or \`perfkit calibrate --name ${ref.name}\`), or give the path of a result file`,
      )
    }
    throw new UsageError(`baseline ${relative(ref.file)}: no such file; give a baseline name (reports/baselines/<name>.json) or the path of a result.json`)
  }
  const result = readResult(ref.file, 'baseline')
  checkCalibration(result, ref.file)
  return result
}

/**
 * The baseline a save would write over, or undefined when there is none. One that cannot be read is
 * an error (saving over it could lose scenarios) unless `replace`, which overwrites it.
 */
export function readPrevious(ref: BaselineRef, replace = false): RunResult | undefined {
  if (!existsSync(ref.file)) return undefined
  try {
    return readBaseline(ref)
  } catch (error) {
    if (replace) return undefined
    if (error instanceof UsageError) throw new UsageError(`baseline ${ref.name} cannot be read, so saving over it could lose scenarios: ${error.message}; or pass --replace to overwrite it`, { cause: error })
    throw error
  }
}

/** A calibration block that is present must have the shape perfkit writes. */
function checkCalibration(result: RunResult, file: string): void {
  const calibration = result.calibration as unknown
  if (calibration === undefined) return
  const c = calibration as { runs?: unknown; scenarios?: unknown }
  const wellFormed =
    typeof c === 'object' &&
    c !== null &&
    typeof c.runs === 'number' &&
    Array.isArray(c.scenarios) &&
    c.scenarios.every((s: { id?: unknown; noiseFloor?: unknown; variants?: unknown }) => typeof s?.id === 'string' && typeof s.noiseFloor === 'object' && Array.isArray(s.variants))
  if (!wellFormed) throw new UsageError(`${relative(file)}: its calibration is damaged; re-run \`perfkit calibrate\``)
}

/**
 * A baseline must share at least one scenario with the run (by id, or by name when only the
 * parameters differ); otherwise comparing them would silently check nothing.
 */
export function requireCommonScenario(run: ReadonlyArray<{ id: string; name: string }>, baseline: RunResult, ref: BaselineRef): void {
  const { matches } = matchScenarios([...run], baseline.scenarios)
  if (matches.length > 0) return
  const list = (ids: string[]) => (ids.length === 0 ? 'none' : ids.length > 4 ? `${ids.slice(0, 4).join(', ')} …` : ids.join(', '))
  throw new UsageError(
    `baseline ${relative(ref.file)} has no scenario in common with this run (baseline: ${list(baseline.scenarios.map((s) => s.id))}; this run: ${list(run.map((s) => s.id))}); save a baseline from a run of the same scenarios`,
  )
}

/** What a baseline is measured with and on, as far as merging two of them is concerned. */
export type MergeSide = Pick<RunResult, 'environment'> & { run: { settings: Pick<RunResult['run']['settings'], 'quick' | 'timeMs' | 'rounds'> }; calibration?: Pick<Calibration, 'runs'> }

function machineText(e: RunResult['environment']): string {
  return `host ${e.hostname}, ${e.cpu.model} × ${e.cpu.count}, ${e.platform}-${e.arch}, Node ${e.node}`
}

function settingsText(s: MergeSide['run']['settings']): string {
  return `${s.quick ? 'quick, ' : ''}${s.timeMs / 1000} s per scenario${s.rounds ? `, ${s.rounds} rounds` : ''}`
}

/**
 * Why the scenarios of `previous` cannot share one baseline file with those of `next`, or undefined
 * when they can: a baseline records one machine, one set of run settings and one number of A/A
 * runs, and the gate reads every scenario in it by those.
 */
export function mergeConflict(previous: MergeSide, next: MergeSide): string | undefined {
  const [pm, nm] = [machineText(previous.environment), machineText(next.environment)]
  if (pm !== nm) return `it was measured on another machine (${pm}; now: ${nm})`
  const [ps, ns] = [settingsText(previous.run.settings), settingsText(next.run.settings)]
  if (ps !== ns) return `it was measured with other run settings (${ps}; now: ${ns})`
  if (previous.calibration && next.calibration && previous.calibration.runs !== next.calibration.runs) {
    return `its calibration has ${previous.calibration.runs} A/A runs, this one ${next.calibration.runs}`
  }
  return undefined
}

export interface BaselineMerge {
  /** The baseline to write. */
  result: RunResult
  /** Scenario ids in both: the new results replace the old. */
  replaced: string[]
  /** Scenario ids only in the new results. */
  added: string[]
  /** Scenario ids only in the previous baseline, kept as they were (with `replace`: dropped). */
  kept: string[]
  /** With `replace`: the previous baseline's scenario ids that the new one no longer has. */
  dropped: string[]
}

/**
 * Saves `next` over `previous` without losing scenarios: a scenario `next` measured replaces the one
 * with its id, the others are kept as they were, calibration included. The calibration of a scenario
 * `next` measured is `next`'s own, else (a plain run saved over a calibrated baseline) the previous
 * one's, unpooled — its A/A changes still describe the machine, its rounds measured older code. With
 * `replace`, `next` alone is the baseline (the previous calibration kept, unpooled, for its scenarios).
 * Throws a RangeError when the two cannot be merged ({@link mergeConflict}); callers check first.
 */
export function mergeBaselines(previous: RunResult | undefined, next: RunResult, options: { replace?: boolean } = {}): BaselineMerge {
  const { baseline: _comparison, calibration: ownCalibration, ...rest } = next
  const nextIds = next.scenarios.map((s) => s.id)
  const previousIds = previous?.scenarios.map((s) => s.id) ?? []
  const replaced = previousIds.filter((id) => nextIds.includes(id))
  const added = nextIds.filter((id) => !previousIds.includes(id))
  const others = previousIds.filter((id) => !nextIds.includes(id))
  const kept = options.replace ? [] : others
  if (kept.length > 0) {
    const conflict = mergeConflict(previous!, next)
    if (conflict) throw new RangeError(`cannot merge baselines: ${conflict}`)
  }

  const byId = new Map(next.scenarios.map((s) => [s.id, s]))
  const scenarios = [
    ...(previous?.scenarios ?? []).filter((s) => byId.has(s.id) || kept.includes(s.id)).map((s) => byId.get(s.id) ?? s),
    ...next.scenarios.filter((s) => added.includes(s.id)),
  ]

  const old = previous?.calibration
  const fromOld = old ? unpooled(old, nextIds) : undefined
  const source = ownCalibration ?? (fromOld && fromOld.scenarios.length > 0 ? fromOld : undefined)
  const keptCalibration = old ? old.scenarios.filter((c) => kept.includes(c.id)) : []
  let calibration: Calibration | undefined
  if (source || keptCalibration.length > 0) {
    const head = source ?? old!
    const entries = new Map<string, ScenarioCalibration>()
    for (const c of [...(source?.scenarios ?? []), ...keptCalibration]) entries.set(c.id, c)
    calibration = { ...head, scenarios: scenarios.flatMap((s) => (entries.has(s.id) ? [entries.get(s.id)!] : [])) }
  }
  return {
    result: { ...rest, scenarios, ...(calibration ? { calibration } : {}) },
    replaced,
    added,
    kept,
    dropped: options.replace ? others : [],
  }
}

function idList(ids: readonly string[]): string {
  return ids.length > 3 ? `${ids.slice(0, 3).join(', ')} and ${ids.length - 3} more` : ids.join(', ')
}

/** One line on what saving did to the scenarios of the baseline that was there. */
export function mergeSummary(merge: BaselineMerge, hadPrevious: boolean): string {
  if (!hadPrevious) return `new baseline with ${merge.added.length} scenario${merge.added.length === 1 ? '' : 's'}`
  const parts: string[] = []
  if (merge.replaced.length) parts.push(`replaced ${idList(merge.replaced)}`)
  if (merge.added.length) parts.push(`added ${idList(merge.added)}`)
  if (merge.kept.length) parts.push(`kept ${idList(merge.kept)} from the previous baseline (--replace drops what a save does not measure)`)
  if (merge.dropped.length) parts.push(`dropped ${idList(merge.dropped)} (--replace)`)
  return parts.join('; ')
}

/** The one-line refusal when a save would have to drop scenarios or mix measurements. */
export function mergeRefusal(name: string, file: string, previous: RunResult, conflict: string, kept?: readonly string[]): string {
  const held = kept && kept.length ? `${idList(kept)}, which this save does not measure` : idList(previous.scenarios.map((s) => s.id))
  return `baseline ${name}: ${relative(file)} holds ${held}, but ${conflict}; measure again as it was, or pass --replace to replace the baseline`
}

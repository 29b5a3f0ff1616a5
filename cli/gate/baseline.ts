/**
 * Baseline files: a saved run (`perfkit/result@1`, optionally with the calibration `perfkit
 * calibrate` measured) under `<outDir>/baselines/<name>.json`, named on the command line by name or
 * by path. Every way a baseline can be wrong is a one-line UsageError (exit 2) naming the file and the fix.
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import { UsageError } from '../errors.ts'
import { displayPath as relative, readResult, resultFileOf } from '../result/io.ts'
import type { RunResult } from '../result/schema.ts'
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

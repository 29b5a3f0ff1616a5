/**
 * `perfkit calibrate`: runs the scenarios several times — A/A runs of the same code, each through
 * the library call behind `perfkit run` (runPlan) with fresh processes — measures how far each
 * scenario moves between runs,
 * and saves a baseline that carries those noise floors and pools the runs' rounds.
 */
import path from 'node:path'
import { DEFAULTS, loadConfig } from '../config/config.ts'
import { parseDuration } from '../config/duration.ts'
import { captureEnvironment } from '../engine/environment.ts'
import { EXIT, UsageError } from '../errors.ts'
import { baselinesDir, mergeBaselines, mergeConflict, mergeRefusal, mergeSummary, readPrevious, resolveBaseline } from '../gate/baseline.ts'
import { calibrate } from '../gate/calibration.ts'
import { displayPath as show, serializeResult, writeFileAtomic } from '../result/io.ts'
import type { RunResult } from '../result/schema.ts'
import { table } from '../report/console.ts'
import { formatChange, formatPercent } from '../report/format.ts'
import { folderWriter, runId, runPlan } from '../api.ts'
import { planRun } from '../config/plan.ts'
import { parseParamFlags } from '../engine/cases.ts'
import { exitCodeOf } from '../gate/outcome.ts'
import { Progress } from '../report/progress.ts'

export interface CalibrateFlags {
  name: string
  runs: string
  filter?: string
  param: string[]
  time?: string
  rounds?: string
  quick?: boolean
  timeout?: string
  config?: string
  verbose?: boolean
  /** Replace the baseline, dropping the scenarios this calibration does not measure. */
  replace?: boolean
}

export async function calibrateCommand(patterns: string[], flags: CalibrateFlags): Promise<number> {
  const runs = Number(flags.runs)
  if (!Number.isInteger(runs) || runs < 3) throw new UsageError(`--runs ${flags.runs}: must be a whole number ≥ 3 (10 is a good start)`)
  const config = await loadConfig(flags.config)
  const target = resolveBaseline(flags.name, baselinesDir(config.root, config.outDir))
  if (!target.byName) throw new UsageError(`--name ${flags.name}: give a baseline name such as main, not a path`)
  const folder = path.join(path.resolve(config.root, config.outDir), `${runId()}-calibration`)
  // A baseline that is there is added to, not replaced: checked before the runs, so a calibration
  // that could not be merged costs nothing.
  const previous = readPrevious(target, flags.replace)
  if (previous && !flags.replace) {
    const conflict = mergeConflict(previous, { environment: captureEnvironment(), run: { settings: expectedSettings(flags, config.timeMs) }, calibration: { runs } })
    if (conflict) throw new UsageError(mergeRefusal(flags.name, target.file, previous, conflict))
  }

  // Every flag and scenario file is checked once, before the first A/A run.
  const plan = await planRun(patterns, { ...flags, params: parseParamFlags(flags.param) })
  const controller = new AbortController()
  const onSigint = () => controller.abort()
  process.on('SIGINT', onSigint)
  process.on('SIGTERM', onSigint)
  const progress = new Progress(process.stderr, Boolean(process.stderr.isTTY) && process.env.TERM !== 'dumb')
  const results: RunResult[] = []
  let incomplete = false
  try {
    for (let k = 1; k <= runs; k++) {
      progress.note(`calibration run ${k}/${runs}`)
      // Each A/A run: fresh processes, its own round order and bootstrap (a seed of its own), its result in its folder.
      const result = await runPlan(plan, {
        seed: plan.settings.seed + k,
        persist: await folderWriter(path.join(folder, `run-${k}`)),
        signal: controller.signal,
        emit: (event) => progress.handle(event),
        argv: process.argv.slice(2),
      })
      if (controller.signal.aborted) return EXIT.interrupted
      if (exitCodeOf(result) === EXIT.incomplete) incomplete = true
      results.push(result)
    }
  } finally {
    process.off('SIGINT', onSigint)
    process.off('SIGTERM', onSigint)
    progress.clear()
  }

  const { calibration, uncalibrated } = calibrate(results)
  let merge: ReturnType<typeof mergeBaselines>
  try {
    merge = mergeBaselines(previous, { ...results[results.length - 1]!, calibration }, { replace: flags.replace })
  } catch (error) {
    if (!(error instanceof RangeError)) throw error
    const next = { ...results[results.length - 1]!, calibration }
    const ids = next.scenarios.map((s) => s.id)
    const kept = previous!.scenarios.map((s) => s.id).filter((id) => !ids.includes(id))
    throw new UsageError(`${mergeRefusal(flags.name, target.file, previous!, mergeConflict(previous!, next)!, kept)} (the A/A runs are in ${show(folder)})`)
  }
  writeFileAtomic(target.file, serializeResult(merge.result))

  const rows = [['scenario', 'noise floor: time', 'ratio', 'A/A changes (time)', 'A/A changes (ratio)']]
  for (const s of calibration.scenarios) {
    const span = (changes: number[]) => (changes.length ? `${formatChange(Math.min(...changes))} … ${formatChange(Math.max(...changes))}` : '')
    rows.push([
      s.id,
      formatPercent(s.noiseFloor.time),
      s.noiseFloor.ratio === undefined ? '' : formatPercent(s.noiseFloor.ratio),
      span(s.variants.flatMap((v) => v.timeChanges)),
      span(s.variants.flatMap((v) => v.ratioChanges ?? [])),
    ])
  }
  const out = process.stdout
  out.write(`${table(rows, ['l', 'r', 'r', 'r', 'r'])}\n`)
  for (const u of uncalibrated) out.write(`  ${u.id}: not calibrated — ${u.reason}\n`)
  const minEffect = config.minEffect
  const above = calibration.scenarios.filter((s) => (s.noiseFloor.ratio ?? s.noiseFloor.time) > minEffect)
  if (above.length) {
    out.write(
      `  noise floors above the minimum effect (${formatPercent(minEffect)}) in ${above.map((s) => s.id).join(', ')}: changes smaller than the floor cannot be told from noise there — a longer --time, a quieter machine or a larger minEffect for those scenarios\n`,
    )
  }
  out.write(`baseline ${flags.name}: saved ${show(target.file)} (${runs} A/A runs, pooled; the runs are in ${show(folder)})${previous ? `; ${mergeSummary(merge, true)}` : ''}\n`)
  return incomplete ? EXIT.incomplete : EXIT.ok
}

/** The run settings the A/A runs will record, as `perfkit run` derives them from the same flags. */
function expectedSettings(flags: CalibrateFlags, configTimeMs: number): { quick: boolean; timeMs: number; rounds?: number } {
  const timeMs = (flags.time !== undefined ? parseDuration(flags.time) : undefined) ?? (flags.quick ? DEFAULTS.quickTimeMs : configTimeMs)
  return { quick: Boolean(flags.quick), timeMs, ...(flags.rounds !== undefined ? { rounds: Number(flags.rounds) } : {}) }
}

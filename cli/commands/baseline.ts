/** `perfkit baseline save [name]`: a run saved under reports/baselines/<name>.json, to compare later runs with. */
import { existsSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { loadConfig } from '../config/config.ts'
import { EXIT, UsageError } from '../errors.ts'
import { baselinesDir, mergeBaselines, mergeConflict, mergeRefusal, mergeSummary, readPrevious, resolveBaseline } from '../gate/baseline.ts'
import { failedVariants } from '../result/outcome.ts'
import { displayPath as show, readResult, resultFileOf, serializeResult, writeFileAtomic } from '../result/io.ts'
import type { Calibration, RunResult } from '../result/schema.ts'
import { gitText } from '../report/format.ts'

export interface BaselineSaveFlags {
  from?: string
  config?: string
  /** Replace the baseline with this run, dropping the scenarios it did not measure. */
  replace?: boolean
}

export async function baselineSaveCommand(name: string, flags: BaselineSaveFlags): Promise<number> {
  const config = await loadConfig(flags.config)
  const dir = baselinesDir(config.root, config.outDir)
  const target = resolveBaseline(name, dir)
  if (!target.byName) throw new UsageError(`baseline save ${name}: give a name such as main (saved as ${show(path.join(dir, 'main.json'))}), not a path`)
  const source = flags.from ? resultFileOf(flags.from) : latestRun(path.resolve(config.root, config.outDir))
  const run = readResult(source)
  if (run.run.state !== 'completed') {
    throw new UsageError(`${show(source)}: the run is ${run.run.state === 'running' ? 'unfinished' : run.run.state}; save a run that completed`)
  }

  const previous = readPrevious(target, flags.replace)
  if (previous && !flags.replace) {
    const ids = run.scenarios.map((s) => s.id)
    const kept = previous.scenarios.map((s) => s.id).filter((id) => !ids.includes(id))
    const conflict = kept.length > 0 ? mergeConflict(previous, run) : undefined
    if (conflict) throw new UsageError(mergeRefusal(name, target.file, previous, conflict, kept))
  }
  const merge = mergeBaselines(previous, run, { replace: flags.replace })
  const calibration = merge.result.calibration
  writeFileAtomic(target.file, serializeResult(merge.result))

  const git = run.environment.git ? `, ${gitText(run.environment.git)}` : ''
  const summary = previous ? `; ${mergeSummary(merge, true)}` : ''
  process.stdout.write(`baseline ${name}: saved ${show(target.file)} from ${show(source)} (${run.scenarios.length} scenario${run.scenarios.length === 1 ? '' : 's'}, run ${run.run.id}${git})${summary}\n`)
  for (const line of calibrationNote(calibration, run, previous)) process.stdout.write(`${line}\n`)
  const failed = run.scenarios.flatMap((s) => failedVariants(s).map((v) => `${s.id}/${v.name}`))
  if (failed.length) process.stderr.write(`perfkit: warning: ${failed.join(', ')} could not be measured in that run, so they will not be compared\n`)
  return EXIT.ok
}

function calibrationNote(calibration: Calibration | undefined, run: RunResult, previous: RunResult | undefined): string[] {
  const ids = new Set(run.scenarios.map((s) => s.id))
  const covered = calibration?.scenarios.filter((c) => ids.has(c.id)).length ?? 0
  if (covered === 0) {
    const why = previous?.calibration ? 'the previous calibration covers none of its scenarios, so they are' : 'they are'
    return [`${why} not calibrated: comparisons have no noise floor; run \`perfkit calibrate\` for one`]
  }
  if (run.calibration) return [`calibrated from ${calibration!.runs} A/A runs (kept from the saved file)`]
  const dropped = previous?.calibration?.scenarios.filter((c) => !calibration!.scenarios.some((k) => k.id === c.id)).length ?? 0
  return [
    `kept the noise floors of ${covered} scenario${covered === 1 ? '' : 's'} from the previous calibration (${calibration!.runs} A/A runs); its rounds measured older code, so they are no longer pooled${dropped > 0 ? ` — ${dropped} scenario${dropped === 1 ? '' : 's'} not in this run dropped` : ''}`,
  ]
}

/** `<outDir>/latest`: a symlink to the newest run, or (without symlinks) a file naming it. */
function latestRun(outRoot: string): string {
  const latest = path.join(outRoot, 'latest')
  if (!existsSync(latest)) {
    throw new UsageError(`no run to save: ${show(latest)} does not exist; run \`perfkit run\` first, or give the run with --from <result.json>`)
  }
  if (statSync(latest).isDirectory()) return path.join(latest, 'result.json')
  return path.join(outRoot, readFileSync(latest, 'utf8').trim(), 'result.json')
}

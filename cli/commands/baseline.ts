/** `perfkit baseline save [name]`: a run saved under reports/baselines/<name>.json, to compare later runs with. */
import { existsSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { loadConfig } from '../config/config.ts'
import { EXIT, UsageError } from '../errors.ts'
import { baselinesDir, resolveBaseline } from '../gate/baseline.ts'
import { unpooled } from '../gate/calibration.ts'
import { failedVariants } from '../result/outcome.ts'
import { displayPath as show, readResult, resultFileOf, serializeResult, writeFileAtomic } from '../result/io.ts'
import type { Calibration, RunResult } from '../result/schema.ts'
import { gitText } from '../report/format.ts'

export interface BaselineSaveFlags {
  from?: string
  config?: string
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

  const previous = existsSync(target.file) ? tryRead(target.file) : undefined
  const kept = previous?.calibration ? unpooled(previous.calibration, run.scenarios.map((s) => s.id)) : undefined
  const calibration = run.calibration ?? (kept && kept.scenarios.length > 0 ? kept : undefined)
  const { baseline: _comparison, calibration: _own, ...rest } = run
  const saved: RunResult = { ...rest, ...(calibration ? { calibration } : {}) }
  writeFileAtomic(target.file, serializeResult(saved))

  const git = run.environment.git ? `, ${gitText(run.environment.git)}` : ''
  process.stdout.write(`baseline ${name}: saved ${show(target.file)} from ${show(source)} (${run.scenarios.length} scenario${run.scenarios.length === 1 ? '' : 's'}, run ${run.run.id}${git})\n`)
  for (const line of calibrationNote(calibration, run, previous)) process.stdout.write(`${line}\n`)
  const failed = run.scenarios.flatMap((s) => failedVariants(s).map((v) => `${s.id}/${v.name}`))
  if (failed.length) process.stderr.write(`perfkit: warning: ${failed.join(', ')} could not be measured in that run, so they will not be compared\n`)
  return EXIT.ok
}

function calibrationNote(calibration: Calibration | undefined, run: RunResult, previous: RunResult | undefined): string[] {
  if (!calibration) {
    const why = previous?.calibration ? 'the previous calibration covers none of its scenarios, so it is' : 'it is'
    return [`${why} not calibrated: comparisons have no noise floor; run \`perfkit calibrate\` for one`]
  }
  if (run.calibration) return [`calibrated from ${calibration.runs} A/A runs (kept from the saved file)`]
  const kept = calibration.scenarios.length
  const dropped = (previous?.calibration?.scenarios.length ?? 0) - kept
  return [
    `kept the noise floors of ${kept} scenario${kept === 1 ? '' : 's'} from the previous calibration (${calibration.runs} A/A runs); its rounds measured older code, so they are no longer pooled${dropped > 0 ? ` — ${dropped} scenario${dropped === 1 ? '' : 's'} not in this run dropped` : ''}`,
  ]
}

function tryRead(file: string): RunResult | undefined {
  try {
    return readResult(file, 'baseline')
  } catch {
    // A damaged previous baseline is replaced; its calibration is lost with it.
    return undefined
  }
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

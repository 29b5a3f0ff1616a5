/**
 * `perfkit calibrate`: runs the scenarios several times — A/A runs of the same code, each a
 * separate `perfkit run` with fresh processes — measures how far each scenario moves between runs,
 * and saves a baseline that carries those noise floors and pools the runs' rounds.
 */
import { spawn } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { DEFAULTS, loadConfig } from '../config/config.ts'
import { parseDuration } from '../config/duration.ts'
import { captureEnvironment } from '../engine/environment.ts'
import { EXIT, UsageError } from '../errors.ts'
import { baselinesDir, mergeBaselines, mergeConflict, mergeRefusal, mergeSummary, readPrevious, resolveBaseline } from '../gate/baseline.ts'
import { calibrate } from '../gate/calibration.ts'
import { displayPath as show, readResult, serializeResult, writeFileAtomic } from '../result/io.ts'
import type { RunResult } from '../result/schema.ts'
import { table } from '../report/console.ts'
import { formatChange, formatPercent } from '../report/format.ts'
import { runId } from './run.ts'

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

const BIN = fileURLToPath(new URL('../../../bin/perfkit.js', import.meta.url))

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

  // Each A/A run handles Ctrl-C itself (writes what it measured, exits 130); this process only waits.
  let interrupted = false
  const onSigint = () => (interrupted = true)
  process.on('SIGINT', onSigint)
  const results: RunResult[] = []
  let incomplete = false
  try {
    for (let k = 1; k <= runs; k++) {
      process.stderr.write(`calibration run ${k}/${runs}\n`)
      const out = path.join(folder, `run-${k}`)
      const code = await runOnce([...patterns, ...forwardedFlags(flags), '--out', out])
      if (code === EXIT.interrupted || interrupted) return EXIT.interrupted
      if (code === EXIT.usage) return EXIT.usage // the run printed why
      if (code === EXIT.incomplete) incomplete = true
      results.push(readResult(path.join(out, 'result.json')))
    }
  } finally {
    process.off('SIGINT', onSigint)
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

/** The `perfkit run` flags a calibration passes on to each A/A run. */
function forwardedFlags(flags: CalibrateFlags): string[] {
  const args: string[] = []
  if (flags.filter !== undefined) args.push('--filter', flags.filter)
  for (const p of flags.param) args.push('--param', p)
  if (flags.time !== undefined) args.push('--time', flags.time)
  if (flags.rounds !== undefined) args.push('--rounds', flags.rounds)
  if (flags.quick) args.push('--quick')
  if (flags.timeout !== undefined) args.push('--timeout', flags.timeout)
  if (flags.config !== undefined) args.push('--config', flags.config)
  if (flags.verbose) args.push('--verbose')
  return args
}

/** One `perfkit run`, its tables discarded, its progress and errors shown; resolves to its exit code. */
function runOnce(args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env }
    // Only the calibration's outcome belongs in a workflow's summary, not each A/A run's.
    delete env.GITHUB_STEP_SUMMARY
    const child = spawn(process.execPath, [BIN, 'run', ...args], { stdio: ['ignore', 'ignore', 'inherit'], env })
    child.on('error', reject)
    child.on('close', (code, signal) => resolve(code ?? (signal === 'SIGINT' ? EXIT.interrupted : EXIT.incomplete)))
  })
}

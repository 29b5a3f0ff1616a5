/**
 * perfkit as a library: `run` measures what `perfkit run` measures and answers the same result
 * object (`perfkit/result@1`), without printing and without exiting, so a user can script perfkit
 * inside their own tools:
 *
 *   import { run } from 'perfkit'
 *   const result = await run({ patterns: ['bench/parse.bench.ts'], quick: true })
 *   for (const s of result.scenarios) for (const c of s.comparisons) console.log(s.id, c.variant, c.verdict)
 *
 * Mistakes a user can make (a bad option, a scenario file that does not load) reject with a
 * `UsageError` whose one-line message names the thing and the fix, as the CLI prints it.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { planRun, type PlannedRun } from './config/plan.ts'
import { captureEnvironment } from './engine/environment.ts'
import { runScenarios, type RunRequest } from './engine/run.ts'
import type { EngineEvent } from './engine/types.ts'
import { serializeResult, writeFileAtomic } from './result/io.ts'
import type { RunResult } from './result/schema.ts'

export type { EngineEvent } from './engine/types.ts'
export { UsageError, RunError } from './errors.ts'

export interface RunOptions {
  /** Scenario files, folders or globs. @default the config's `scenarios`, else the usual benchmark locations */
  patterns?: string[]
  /** Where the config is looked for and relative patterns start. @default process.cwd() */
  cwd?: string
  /** A config file. @default perfkit.config.ts, looked for up to the package root */
  config?: string
  /** Only scenarios or variants (scenario/variant) matching this regular expression. */
  filter?: string
  /** Parameter overrides, as `--param key=value` gives them. */
  params?: Record<string, string>
  /** Time budget per case, e.g. '5s'. @default the config's time, else 8s */
  time?: string
  /** A fixed number of rounds per variant (no auto-sampling). */
  rounds?: number
  /** Processes per variant before the first look. @default 6 for micro, 3 for http */
  processes?: number
  /** The smallest honest run (smoke tests). @default false */
  quick?: boolean
  /** Seed of the round order and the bootstrap. @default random */
  seed?: number
  /** How long a round, setup or teardown may take, e.g. '30s'. @default 60s */
  timeout?: string
  /** A folder to write result.json (and the HTML report) into after every case. @default nothing is written */
  out?: string
  /** Aborting it stops the variants; the result is then `interrupted`, with what was measured. */
  signal?: AbortSignal
  /** Progress: every event the engine emits (cases starting, rounds, failures, cases done). */
  onEvent?: (event: EngineEvent) => void
}

export function version(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version
}

/** A run id that sorts by time and is safe as a folder name: 2026-11-23T10-04-05Z. */
export function runId(date = new Date()): string {
  return date.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-')
}

/** How a planned run is carried out: where its result goes, what hears its progress, what stops it. */
export interface Execution {
  /** Called with the whole result after every case and at the end. @default nothing is written */
  persist?: (result: RunResult) => void
  emit?: (event: EngineEvent) => void
  signal?: AbortSignal
  /** The cases to run instead of the plan's (`--against` pairs them with the ref's). */
  cases?: PlannedRun['cases']
  against?: RunRequest['against']
  /** The seed instead of the plan's (calibration's A/A runs each take their own). */
  seed?: number
  /** The machine as already captured (the CLI prints it before the run). */
  environment?: RunRequest['environment']
  argv?: string[]
}

/** Runs a planned run: the library call behind `perfkit run`, `perfkit calibrate` and `run()`. */
export function runPlan(plan: PlannedRun, execution: Execution = {}): Promise<RunResult> {
  const seed = execution.seed ?? plan.settings.seed
  return runScenarios({
    id: runId(),
    cases: execution.cases ?? plan.cases,
    ...(execution.against ? { against: execution.against } : {}),
    settings: { ...plan.settings, seed },
    recorded: { ...plan.recorded, seed },
    environment: execution.environment ?? captureEnvironment(plan.config.root),
    argv: execution.argv ?? [],
    version: version(),
    signal: execution.signal ?? new AbortController().signal,
    emit: execution.emit ?? (() => undefined),
    persist: execution.persist ?? (() => undefined),
  })
}

/** Writes a result and its HTML report into a folder, atomically (after every case). */
export async function folderWriter(folder: string): Promise<(result: RunResult) => void> {
  const { renderHtml } = await import('./report/html.ts')
  return (snapshot) => {
    writeFileAtomic(path.join(folder, 'result.json'), serializeResult(snapshot))
    writeFileAtomic(path.join(folder, 'index.html'), renderHtml(snapshot))
  }
}

/** Measures the scenarios as `perfkit run` does and answers the result; never prints, never exits. */
export async function run(options: RunOptions = {}): Promise<RunResult> {
  const cwd = path.resolve(options.cwd ?? process.cwd())
  const text = (n: number | undefined) => (n === undefined ? undefined : String(n))
  const plan = await planRun(
    options.patterns ?? [],
    {
      ...(options.filter !== undefined ? { filter: options.filter } : {}),
      ...(options.params ? { params: options.params } : {}),
      ...(options.time !== undefined ? { time: options.time } : {}),
      ...(options.rounds !== undefined ? { rounds: text(options.rounds) } : {}),
      ...(options.processes !== undefined ? { processes: text(options.processes) } : {}),
      ...(options.quick ? { quick: true } : {}),
      ...(options.seed !== undefined ? { seed: text(options.seed) } : {}),
      ...(options.timeout !== undefined ? { timeout: options.timeout } : {}),
      ...(options.config !== undefined ? { config: options.config } : {}),
    },
    cwd,
  )
  return runPlan(plan, {
    ...(options.out !== undefined ? { persist: await folderWriter(path.resolve(cwd, options.out)) } : {}),
    ...(options.onEvent ? { emit: options.onEvent } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  })
}

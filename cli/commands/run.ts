/** `perfkit run`: parse flags, load and validate every scenario, run, write results, pick the exit code. */
import { randomInt } from 'node:crypto'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { loadConfig, DEFAULTS } from '../config/config.ts'
import { parseDuration } from '../config/duration.ts'
import { loadScenarios } from '../config/scenarios.ts'
import { buildCases, parseParamFlags } from '../engine/cases.ts'
import { discoverScenarioFiles } from '../engine/discovery.ts'
import { captureEnvironment } from '../engine/environment.ts'
import { runScenarios } from '../engine/run.ts'
import type { EngineSettings } from '../engine/types.ts'
import { BACKEND_ENV } from '../config/backends.ts'
import type { BackendName } from '../config/types.ts'
import { EXIT, UsageError } from '../errors.ts'
import { baselinesDir, readBaseline, requireCommonScenario, resolveBaseline } from '../gate/baseline.ts'
import { exitCodeOf, parseFailOn } from '../gate/outcome.ts'
import { compareWithBaseline } from '../gate/regression.ts'
import { displayPath, pointLatest, serializeResult, writeFileAtomic } from '../result/io.ts'
import type { RunResult } from '../result/schema.ts'
import { renderEnvironment, renderScenario, renderSummary, renderSweep } from '../report/console.ts'
import { renderGate } from '../report/gate.ts'
import { renderHtml } from '../report/html.ts'
import { Progress } from '../report/progress.ts'
import { checkStdout, writeGateOutputs } from './outputs.ts'
import { DEFAULT_PROFILE_MS, parseTools } from '../profile/tools.ts'

export interface RunFlags {
  filter?: string
  param: string[]
  time?: string
  rounds?: string
  processes?: string
  quick?: boolean
  out?: string
  json?: string
  seed?: string
  timeout?: string
  config?: string
  /** Profile each variant after measuring. */
  profile?: boolean
  /** Profilers for --profile (implies it). @default ['cpuprofile'] */
  profileTool?: string[]
  verbose?: boolean
  /** A baseline name (reports/baselines/<name>.json) or result file to compare the run with. */
  baseline?: string
  /** A git ref whose code is measured beside the working tree's, paired by round (cli/gate/against.ts). */
  against?: string
  failOn?: string[]
  markdown?: string
  junit?: string
}

const RESAMPLES = 2000

function version(): string {
  return (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version
}

/** A run id that sorts by time and is safe as a folder name: 2026-11-23T10-04-05Z. */
export function runId(date = new Date()): string {
  return date.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-')
}

function parseFlags(flags: RunFlags, configTimeMs: number, configTimeoutMs: number) {
  let timeMs = flags.quick ? DEFAULTS.quickTimeMs : configTimeMs
  if (flags.time !== undefined) {
    const parsed = parseDuration(flags.time)
    if (parsed === undefined) throw new UsageError(`--time ${flags.time}: not a duration; use e.g. 500ms, 5s or 1m`)
    timeMs = parsed
  }
  let rounds: number | undefined
  if (flags.rounds !== undefined) {
    rounds = Number(flags.rounds)
    if (!Number.isInteger(rounds) || rounds < 2) throw new UsageError(`--rounds ${flags.rounds}: must be a whole number ≥ 2`)
  }
  let processes: number | undefined
  if (flags.processes !== undefined) {
    processes = Number(flags.processes)
    if (!Number.isInteger(processes) || processes < 1) throw new UsageError(`--processes ${flags.processes}: must be a whole number ≥ 1`)
  }
  let seed = randomInt(2 ** 31)
  if (flags.seed !== undefined) {
    seed = Number(flags.seed)
    if (!Number.isInteger(seed) || seed < 0) throw new UsageError(`--seed ${flags.seed}: must be a whole number ≥ 0`)
  }
  let timeoutMs = configTimeoutMs
  if (flags.timeout !== undefined) {
    const parsed = parseDuration(flags.timeout)
    if (parsed === undefined) throw new UsageError(`--timeout ${flags.timeout}: not a duration; use e.g. 30s`)
    timeoutMs = parsed
  }
  return { timeMs, rounds, processes, seed, timeoutMs, timeFromFlag: flags.time !== undefined || Boolean(flags.quick) }
}

export async function runCommand(patterns: string[], flags: RunFlags): Promise<number> {
  const config = await loadConfig(flags.config)
  const parsed = parseFlags(flags, config.timeMs, config.timeoutMs)
  const params = parseParamFlags(flags.param)
  const profileTools = flags.profile || flags.profileTool?.length ? parseTools(flags.profileTool ?? [], '--profile-tool') : undefined
  const discovery = { patterns: patterns.length ? patterns : config.scenarios, root: patterns.length ? process.cwd() : config.root, origin: patterns.length ? ('argument' as const) : ('config' as const) }
  const files = await discoverScenarioFiles(discovery.patterns, discovery.root, discovery.origin)
  const scenarios = await loadScenarios(files)
  const cases = buildCases(scenarios, { params, filter: flags.filter, configBudgets: config.budgets })
  const failOn = parseFailOn(flags.failOn)
  checkStdout(flags)
  // The baseline is read and matched before anything runs: a wrong one must not cost a run.
  let baseline: { ref: ReturnType<typeof resolveBaseline>; result: RunResult } | undefined
  if (flags.baseline !== undefined) {
    const ref = resolveBaseline(flags.baseline, baselinesDir(config.root, config.outDir))
    const result = readBaseline(ref)
    requireCommonScenario(cases.map((c) => ({ id: c.id, name: c.loaded.scenario.name })), result, ref)
    baseline = { ref, result }
  }
  // --against: the ref's code in a temporary worktree, its cases paired with these (removed in the finally below, and on exit).
  const against = flags.against === undefined ? undefined : await (await import('../gate/against.ts')).prepareAgainst(flags.against, {
    packageRoot: config.root,
    discovery,
    cases,
    params,
    ...(flags.filter !== undefined ? { filter: flags.filter } : {}),
    note: (line) => process.stderr.write(`${line}\n`),
  })

  const id = runId()
  const outRoot = path.resolve(config.root, config.outDir)
  const runDir = flags.out ? path.resolve(flags.out) : path.join(outRoot, id)
  const resultFile = path.join(runDir, 'result.json')
  const reportFile = path.join(runDir, 'index.html')
  const jsonToStdout = flags.json === '-'
  const out = jsonToStdout || flags.markdown === '-' ? process.stderr : process.stdout
  const color = Boolean(out.isTTY) && !process.env.NO_COLOR && process.env.TERM !== 'dumb'
  const progress = new Progress(process.stderr, Boolean(process.stderr.isTTY) && process.env.TERM !== 'dumb')

  const settings: EngineSettings = {
    seed: parsed.seed,
    timeMs: parsed.timeMs,
    timeFromFlag: parsed.timeFromFlag,
    timeFlag: flags.time !== undefined,
    ...(parsed.rounds ? { rounds: parsed.rounds } : {}),
    ...(parsed.processes ? { processes: parsed.processes } : {}),
    quick: Boolean(flags.quick),
    minEffect: config.minEffect,
    alpha: config.alpha,
    timeoutMs: parsed.timeoutMs,
    resamples: RESAMPLES,
    childEnv: backendEnv(config.backends),
  }

  const persist = (snapshot: RunResult) => {
    writeFileAtomic(resultFile, serializeResult(snapshot))
    writeFileAtomic(reportFile, renderHtml(snapshot))
    if (!flags.out) pointLatest(outRoot, runDir)
  }

  const controller = new AbortController()
  let interrupts = 0
  const onSigint = () => {
    interrupts++
    if (interrupts === 1) {
      progress.note('perfkit: interrupting — stopping the variants and writing what was measured (Ctrl-C again to quit at once)')
      controller.abort()
    } else process.exit(EXIT.interrupted)
  }
  process.on('SIGINT', onSigint)
  process.on('SIGTERM', onSigint)

  const environment = captureEnvironment(config.root)
  out.write(`${renderEnvironment(environment, { color })}\n\n`)
  let result: RunResult
  try {
    result = await runScenarios({
      id,
      cases: against?.cases ?? cases,
      ...(against ? { against: against.record } : {}),
      settings,
      recorded: {
        seed: settings.seed,
        quick: settings.quick,
        timeMs: settings.timeMs,
        ...(settings.rounds ? { rounds: settings.rounds } : {}),
        ...(settings.processes ? { processes: settings.processes } : {}),
        minEffect: settings.minEffect,
        alpha: settings.alpha,
        timeoutMs: settings.timeoutMs,
        ...(flags.filter ? { filter: flags.filter } : {}),
        params,
        ...(failOn.length ? { failOn } : {}),
      },
      environment,
      argv: process.argv.slice(2),
      version: version(),
      signal: controller.signal,
      emit: (event) => {
        progress.handle(event)
        if (event.type === 'scenario-done') out.write(`${renderScenario(event.result, { color, verbose: Boolean(flags.verbose) })}\n\n`)
        if (event.type === 'sweep-done') out.write(`${renderSweep(event.results, { color })}\n\n`)
      },
      persist,
    })
    if (profileTools && !controller.signal.aborted) {
      // After every measurement, never during one: the profilers run the variants again.
      const { profileCase } = await import('../profile/index.ts')
      const { casesToProfile } = await import('../profile/kinds.ts')
      // A load or http sweep is profiled at its lowest level only (--param picks another).
      for (const c of casesToProfile(cases)) {
        const scenario = result.scenarios.find((s) => s.id === c.id)
        const measured = new Set<string>(scenario?.variants.filter((v) => v.state === 'completed').map((v) => v.name))
        if (!scenario || controller.signal.aborted || measured.size === 0) continue
        scenario.profiles = await profileCase({ ...c, variants: c.variants.filter((v) => measured.has(v)) }, {
          tools: profileTools,
          durationMs: settings.quick ? DEFAULT_PROFILE_MS / 3 : DEFAULT_PROFILE_MS,
          runDir,
          timeoutMs: settings.timeoutMs,
          env: settings.childEnv,
          signal: controller.signal,
          onProgress: (message) => progress.note(`perfkit: ${message}`),
        })
        for (const p of scenario.profiles) if (p.state === 'failed') progress.note(`perfkit: ${p.tool} could not profile ${c.id}/${p.variant}: ${p.message}`)
        persist(result)
      }
    }
  } finally {
    process.off('SIGINT', onSigint)
    process.off('SIGTERM', onSigint)
    progress.clear()
    against?.dispose()
  }

  if (baseline) {
    result.baseline = compareWithBaseline(result, baseline.result, { name: baseline.ref.name, file: displayPath(baseline.ref.file) })
    persist(result)
  }
  if (flags.json && !jsonToStdout) writeFileAtomic(path.resolve(flags.json), serializeResult(result))
  if (jsonToStdout) process.stdout.write(serializeResult(result))
  out.write(`${renderSummary(result, { color })}\n\n${renderGate(result, { color })}\n`)
  const written = writeGateOutputs(result, flags)
  process.stderr.write(`results: ${displayPath(resultFile)}\nreport:  ${displayPath(reportFile)}\n`)
  for (const line of written) process.stderr.write(`${line}\n`)
  // Ctrl-C while profiling: everything measured is written, the profiles are partial.
  if (controller.signal.aborted) return EXIT.interrupted
  return exitCodeOf(result)
}

/** Backend URLs from the config file reach the children as the environment variables the fixtures read; the environment wins. */
export function backendEnv(backends: Partial<Record<BackendName, string>>): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [backend, variable] of Object.entries(BACKEND_ENV) as Array<[BackendName, string]>) {
    const url = backends[backend]
    if (url && !process.env[variable]) env[variable] = url
  }
  return env
}

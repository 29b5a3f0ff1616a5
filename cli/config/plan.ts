/**
 * From what a user asked (command-line flags, or the options of the library's `run`) to what the
 * engine runs: the config found and read, the scenario files found and loaded, the cases built and
 * the engine's settings with every default applied. Precedence is resolved here once: a flag wins
 * over the config file, the config over perfkit's defaults (a scenario's own options sit between a
 * flag and the config, applied per case by the engine, which knows each case's scenario).
 */
import { randomInt } from 'node:crypto'
import { BACKEND_ENV } from './backends.ts'
import { DEFAULTS, loadConfig, type ResolvedConfig } from './config.ts'
import { parseDuration } from './duration.ts'
import { loadScenarios } from './scenarios.ts'
import type { BackendName } from './types.ts'
import { buildCases, type ScenarioCase } from '../engine/cases.ts'
import { discoverScenarioFiles } from '../engine/discovery.ts'
import type { EngineSettings } from '../engine/types.ts'
import { UsageError } from '../errors.ts'
import { parseFailOn, type FailOn } from '../gate/outcome.ts'
import type { RunSettings } from '../result/schema.ts'

/** Bootstrap resamples behind each interval that falls back to rounds as the unit. */
const RESAMPLES = 2000

/** What a run is asked for, as text the way a user writes it (flags), every field optional. */
export interface RunRequestText {
  filter?: string
  /** `--param key=value`, already split. */
  params?: Record<string, string>
  time?: string
  rounds?: string
  processes?: string
  quick?: boolean
  seed?: string
  timeout?: string
  config?: string
  failOn?: string[]
}

export interface PlannedRun {
  config: ResolvedConfig
  /** Where scenarios were looked for (kept for `--against`, which looks the same way in the ref's tree). */
  discovery: { patterns: string[]; root: string; origin: 'argument' | 'config' }
  params: Record<string, string>
  cases: ScenarioCase[]
  settings: EngineSettings
  /** What goes into `run.settings` of the result. */
  recorded: RunSettings
  failOn: FailOn[]
}

/** Loads the config and the scenarios, builds the cases and the settings; every mistake is a one-line UsageError. */
export async function planRun(patterns: readonly string[], request: RunRequestText, cwd = process.cwd()): Promise<PlannedRun> {
  const config = await loadConfig(request.config, cwd)
  const parsed = parseSettings(request, config)
  const params = request.params ?? {}
  const discovery = patterns.length
    ? { patterns: [...patterns], root: cwd, origin: 'argument' as const }
    : { patterns: config.scenarios, root: config.root, origin: 'config' as const }
  const files = await discoverScenarioFiles(discovery.patterns, discovery.root, discovery.origin)
  const scenarios = await loadScenarios(files)
  const cases = buildCases(scenarios, { params, filter: request.filter, configBudgets: config.budgets })
  const failOn = parseFailOn(request.failOn)
  const settings: EngineSettings = {
    seed: parsed.seed,
    timeMs: parsed.timeMs,
    timeFromFlag: request.time !== undefined || Boolean(request.quick),
    timeFlag: request.time !== undefined,
    ...(parsed.rounds ? { rounds: parsed.rounds } : {}),
    ...(parsed.processes ? { processes: parsed.processes } : {}),
    quick: Boolean(request.quick),
    minEffect: config.minEffect,
    alpha: config.alpha,
    timeoutMs: parsed.timeoutMs,
    resamples: RESAMPLES,
    childEnv: backendEnv(config.backends),
  }
  const recorded: RunSettings = {
    seed: settings.seed,
    quick: settings.quick,
    timeMs: settings.timeMs,
    ...(settings.rounds ? { rounds: settings.rounds } : {}),
    ...(settings.processes ? { processes: settings.processes } : {}),
    minEffect: settings.minEffect,
    alpha: settings.alpha,
    timeoutMs: settings.timeoutMs,
    ...(request.filter ? { filter: request.filter } : {}),
    params,
    ...(failOn.length ? { failOn } : {}),
  }
  return { config, discovery, params, cases, settings, recorded, failOn }
}

function parseSettings(request: RunRequestText, config: ResolvedConfig) {
  let timeMs = request.quick ? DEFAULTS.quickTimeMs : config.timeMs
  if (request.time !== undefined) {
    const parsed = parseDuration(request.time)
    if (parsed === undefined) throw new UsageError(`--time ${request.time}: not a duration; use e.g. 500ms, 5s or 1m`)
    timeMs = parsed
  }
  const whole = (flag: string, text: string | undefined, least: number): number | undefined => {
    if (text === undefined) return undefined
    const n = Number(text)
    if (!Number.isInteger(n) || n < least) throw new UsageError(`${flag} ${text}: must be a whole number ≥ ${least}`)
    return n
  }
  const rounds = whole('--rounds', request.rounds, 2)
  const processes = whole('--processes', request.processes, 1)
  const seed = whole('--seed', request.seed, 0) ?? randomInt(2 ** 31)
  let timeoutMs = config.timeoutMs
  if (request.timeout !== undefined) {
    const parsed = parseDuration(request.timeout)
    if (parsed === undefined) throw new UsageError(`--timeout ${request.timeout}: not a duration; use e.g. 30s`)
    timeoutMs = parsed
  }
  return { timeMs, rounds, processes, seed, timeoutMs }
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

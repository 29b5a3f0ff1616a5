/**
 * Loading and validating scenario files. Every file is loaded and checked before anything runs;
 * every problem becomes one line naming the file, the scenario and the fix.
 */
import { existsSync, statSync } from 'node:fs'
import { METHODS } from 'node:http'
import path from 'node:path'
import { UsageError } from '../errors.ts'
import { displayPath } from '../result/io.ts'
import { parseBudget, parseMetricReference, budgetMismatch, BudgetSyntaxError, type Budget } from '../gate/budget.ts'
import { parseDuration } from './duration.ts'
import { importUserModule } from './import-ts.ts'
import type { BackendName, Claim, HttpRequest, ParamSpec, ParamValue, Params, Scenario, ScenarioKind } from './types.ts'

/** A scenario that passed validation, with its budgets and claim checks parsed. */
export interface LoadedScenario {
  /** Absolute path of the file that defines it. */
  file: string
  /** The same, relative to the working directory (for messages and results). */
  relFile: string
  /** Index in the file's default export when it exports an array, else 0. */
  index: number
  scenario: Scenario
  kind: ScenarioKind
  variants: string[]
  budgets: Budget[]
  claims: Array<{ claim: Claim; check?: Budget }>
  params: Record<string, NormalizedParam>
  options: { timeMs?: number; timeoutMs?: number; rounds?: number; processes?: number; minEffect?: number; maxMemoryMB?: number }
  /** The http kind's own options, validated (present when kind is `http`). */
  http?: HttpOptions
  /** Load scenarios only: the swept parameter, the window and the servers each variant needs. */
  load?: LoadOptions
}

/** An http scenario's options with their units resolved; defaults that depend on the run are applied by the engine. */
export interface HttpOptions {
  /** The swept parameter (also a key of `params`). */
  sweepKey: 'connections'
  warmupMs?: number
  workers: number
  requestTimeoutMs: number
  breakdown: false | { connections: number; timeMs?: number }
  /** Each variant's server module, resolved to an absolute path, when it names one. */
  modules: Record<string, { file: string; export: string } | undefined>
}

export interface LoadOptions {
  /** The swept parameter (a key of `params` too), e.g. `concurrency`. */
  sweep: string
  durationMs?: number
  warmupMs?: number
  /** Servers each variant needs, by variant (absent: none). */
  requires: Record<string, BackendName[]>
}

export interface NormalizedParam {
  values: ParamValue[]
  choices?: ParamValue[]
  /** Why a value (from the matrix or `--param`) is not acceptable, or undefined when it is. */
  check?: (value: ParamValue) => string | undefined
}

const NAME_PATTERN = /^[A-Za-z0-9][\w.\/-]*$/
const KINDS: readonly ScenarioKind[] = ['micro', 'load', 'http']
const COMMON_KEYS = [
  'name', 'title', 'source', 'description', 'kind', 'baseline', 'params', 'setup', 'teardown', 'variants', 'budgets', 'claims',
  'counters', 'timeout', 'maxMemoryMB',
]
/** The keys each kind adds to the common ones. */
const KIND_KEYS: Record<ScenarioKind, string[]> = {
  micro: ['time', 'rounds', 'processes', 'minEffect'],
  load: ['sweep', 'duration', 'warmup'],
  http: ['time', 'rounds', 'processes', 'minEffect', 'request', 'sweep', 'warmup', 'workers', 'requestTimeout', 'breakdown'],
}
/** The parameter an http scenario's sweep becomes. */
export const HTTP_SWEEP_KEY = 'connections'
const HTTP_DEFAULT_CONNECTIONS = [10]
const HTTP_REQUEST_TIMEOUT_MS = 10_000
const BACKENDS: readonly BackendName[] = ['postgres', 'redis', 'nats']

/** Loads every file and validates every scenario in it; throws one UsageError listing every problem. */
export async function loadScenarios(files: readonly string[]): Promise<LoadedScenario[]> {
  const loaded: LoadedScenario[] = []
  const problems: string[] = []
  for (const file of files) {
    const rel = path.relative(process.cwd(), file) || file
    let module: Record<string, unknown>
    try {
      module = await importUserModule(file, 'scenario file')
    } catch (error) {
      problems.push((error as Error).message)
      continue
    }
    const exported = module.default
    if (exported === undefined) {
      problems.push(`${rel}: no default export; end the file with \`export default defineScenario({ … })\``)
      continue
    }
    const list = Array.isArray(exported) ? exported : [exported]
    if (list.length === 0) problems.push(`${rel}: the default export is an empty array; export at least one scenario`)
    list.forEach((candidate, index) => {
      const result = validateScenario(candidate, rel)
      if (typeof result === 'string') problems.push(result)
      else loaded.push({ ...result, file, relFile: rel, index })
    })
  }
  const seen = new Map<string, string>()
  for (const item of loaded) {
    const rel = path.relative(process.cwd(), item.file)
    const other = seen.get(item.scenario.name)
    if (other !== undefined) {
      problems.push(`${rel}: scenario name "${item.scenario.name}" is also used in ${other}; scenario names must be unique — rename one`)
    } else seen.set(item.scenario.name, rel)
  }
  if (problems.length > 0) throw new UsageError(problems.join('\n'))
  return loaded
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Returns the validated parts, or a one-line problem. */
function validateScenario(candidate: unknown, rel: string): Omit<LoadedScenario, 'file' | 'relFile' | 'index'> | string {
  if (!isPlainObject(candidate)) {
    return `${rel}: the default export is not a scenario object; use \`export default defineScenario({ name, baseline, variants, … })\``
  }
  const s = candidate as Record<string, unknown>
  if (typeof s.name !== 'string' || !NAME_PATTERN.test(s.name)) {
    return `${rel}: scenario needs a \`name\` made of letters, digits, - _ . / (got ${JSON.stringify(s.name)})`
  }
  const where = `${rel}: scenario "${s.name}"`
  const kind = (s.kind ?? 'micro') as ScenarioKind
  if (!KINDS.includes(kind)) return `${where}: unknown kind ${JSON.stringify(s.kind)}; use one of ${KINDS.join(', ')}`
  const known = [...COMMON_KEYS, ...KIND_KEYS[kind]]
  for (const key of Object.keys(s)) {
    if (known.includes(key)) continue
    const owners = KINDS.filter((k) => KIND_KEYS[k].includes(key))
    if (owners.length) return `${where}: \`${key}\` applies to ${owners.join(' and ')} scenarios, not ${kind} ones${kind === 'load' && key === 'time' ? ' (a load cell measures for `duration`)' : ''}`
    return `${where}: unknown key "${key}" (known: ${known.join(', ')})`
  }
  for (const key of ['title', 'source', 'description'] as const) {
    if (s[key] !== undefined && typeof s[key] !== 'string') return `${where}: \`${key}\` must be a string`
  }
  for (const key of ['setup', 'teardown', 'counters'] as const) {
    if (s[key] !== undefined && typeof s[key] !== 'function') return `${where}: \`${key}\` must be a function`
  }
  if (!isPlainObject(s.variants) || Object.keys(s.variants).length === 0) {
    return `${where}: no variants; add \`variants: { name: (state) => work(state), … }\``
  }
  const variants = Object.keys(s.variants)
  for (const name of variants) {
    if (!NAME_PATTERN.test(name)) return `${where}: variant name ${JSON.stringify(name)} must be letters, digits, - _ . /`
    const problem =
      kind === 'load' ? loadVariantProblem(s.variants[name]) : kind === 'http' || typeof s.variants[name] === 'function' ? undefined : 'must be a function `(state) => …`'
    if (problem) return `${where}: variant "${name}" ${problem}`
  }
  if (typeof s.baseline !== 'string' || !variants.includes(s.baseline)) {
    return `${where}: \`baseline\` ${JSON.stringify(s.baseline)} names no variant; set it to one of: ${variants.join(', ')}`
  }
  const params = validateParams(s.params, where)
  if (typeof params === 'string') return params
  const options = validateOptions(s, where)
  if (typeof options === 'string') return options
  let http: HttpOptions | undefined
  if (kind === 'http') {
    const validated = validateHttp(s, rel, where, params)
    if (typeof validated === 'string') return validated
    http = validated
  }
  let load: LoadOptions | undefined
  if (kind === 'load') {
    const result = validateLoad(s, variants, params, where)
    if (typeof result === 'string') return result
    load = result
  }
  const budgets: Budget[] = []
  if (s.budgets !== undefined) {
    if (!Array.isArray(s.budgets)) return `${where}: \`budgets\` must be an array of strings such as 'broker: ratio <= 1.10'`
    for (const text of s.budgets) {
      const budget = parseScenarioBudget(text, variants, kind, `${where}: budget`)
      if (typeof budget === 'string') return budget
      budgets.push(budget)
    }
  }
  const claims: LoadedScenario['claims'] = []
  if (s.claims !== undefined) {
    if (!Array.isArray(s.claims)) return `${where}: \`claims\` must be an array of { text, check?, published? }`
    for (const claim of s.claims as unknown[]) {
      if (!isPlainObject(claim) || typeof claim.text !== 'string') return `${where}: each claim needs a \`text\` string`
      if (claim.published !== undefined && typeof claim.published !== 'string') return `${where}: claim "${claim.text}": \`published\` must be text such as '160 µs/op'`
      if (claim.when !== undefined) {
        if (!isPlainObject(claim.when)) return `${where}: claim "${claim.text}": \`when\` must be an object of parameter values, e.g. { hitRate: 100 }`
        const unknown = Object.keys(claim.when).find((key) => !(key in params))
        if (unknown) return `${where}: claim "${claim.text}": \`when\` names "${unknown}", which is not a parameter of the scenario`
      }
      if (claim.metric !== undefined) {
        const ref = typeof claim.metric === 'string' ? parseMetricReference(claim.metric) : undefined
        if (!ref) return `${where}: claim "${claim.text}": \`metric\` must be 'variant: metric', e.g. 'broker: median'`
        const mismatch = budgetMismatch(ref, variants, kind)
        if (mismatch) return `${where}: claim "${claim.text}": ${mismatch}`
      }
      if (claim.check === undefined) {
        claims.push({ claim: claim as unknown as Claim })
        continue
      }
      const check = parseScenarioBudget(claim.check, variants, kind, `${where}: claim "${claim.text}" check`)
      if (typeof check === 'string') return check
      claims.push({ claim: claim as unknown as Claim, check })
    }
  }
  return { scenario: s as unknown as Scenario, kind, variants, budgets, claims, params, options, ...(http ? { http } : {}), ...(load ? { load } : {}) }
}

/** Why a load variant is not `(ctx) => target` or `{ start, requires? }`, or undefined. */
function loadVariantProblem(variant: unknown): string | undefined {
  if (typeof variant === 'function') return undefined
  const shape = 'must be `(ctx) => ({ emit(op) { … } })` or `{ start: (ctx) => …, requires?: [\'redis\'] }`'
  if (!isPlainObject(variant)) return shape
  if (typeof variant.start !== 'function') return `has no \`start\` function; it ${shape}`
  const unknown = Object.keys(variant).find((key) => key !== 'start' && key !== 'requires')
  if (unknown) return `has an unknown key "${unknown}"; it ${shape}`
  if (variant.requires !== undefined && (!Array.isArray(variant.requires) || !variant.requires.every((b) => BACKENDS.includes(b as BackendName)))) {
    return `\`requires\` must be an array of ${BACKENDS.join(', ')}`
  }
  return undefined
}

/** The sweep becomes a parameter (each level its own case); the window and the requirements are read. */
function validateLoad(s: Record<string, unknown>, variants: string[], params: Record<string, NormalizedParam>, where: string): LoadOptions | string {
  const example = 'e.g. `sweep: { concurrency: [10, 100, 1000] }`'
  if (!isPlainObject(s.sweep) || Object.keys(s.sweep).length !== 1) return `${where}: \`sweep\` must name one parameter and its levels, ${example}`
  const [key, levels] = Object.entries(s.sweep)[0]!
  if (!/^[A-Za-z_][\w-]*$/.test(key)) return `${where}: sweep parameter ${JSON.stringify(key)} must be a plain identifier, ${example}`
  if (key in params) return `${where}: "${key}" is both the sweep and a parameter; keep it in \`sweep\` only`
  if (!Array.isArray(levels) || levels.length === 0) return `${where}: sweep "${key}" needs at least one level, ${example}`
  for (const level of levels) {
    const problem = levelProblem(level as ParamValue)
    if (problem) return `${where}: sweep "${key}" ${problem} (levels are counts of concurrent producers)`
  }
  params[key] = { values: [...(levels as number[])], check: levelProblem }
  const load: LoadOptions = { sweep: key, requires: {} }
  for (const option of ['duration', 'warmup'] as const) {
    if (s[option] === undefined) continue
    const ms = durationOf(s[option])
    if (ms === undefined) return `${where}: \`${option}\` must be a duration such as '3s' or 500 (ms)`
    load[option === 'duration' ? 'durationMs' : 'warmupMs'] = ms
  }
  for (const name of variants) {
    const variant = (s.variants as Record<string, unknown>)[name]
    const requires = isPlainObject(variant) ? (variant.requires as BackendName[] | undefined) : undefined
    if (requires?.length) load.requires[name] = [...new Set(requires)]
  }
  return load
}

function parseScenarioBudget(text: unknown, variants: string[], kind: ScenarioKind, where: string): Budget | string {
  if (typeof text !== 'string') return `${where} must be a string such as 'broker: ratio <= 1.10'`
  try {
    const budget = parseBudget(text)
    const mismatch = budgetMismatch(budget, variants, kind)
    return mismatch ? `${where}: ${mismatch}` : budget
  } catch (error) {
    if (error instanceof BudgetSyntaxError) return `${where} "${text}": ${error.reason} at column ${error.column}`
    throw error
  }
}

function validateParams(raw: unknown, where: string): Record<string, NormalizedParam> | string {
  if (raw === undefined) return {}
  if (!isPlainObject(raw)) return `${where}: \`params\` must be an object such as { backend: ['pglite'] }`
  const params: Record<string, NormalizedParam> = {}
  for (const [key, spec] of Object.entries(raw)) {
    if (!/^[A-Za-z_][\w-]*$/.test(key)) return `${where}: parameter name ${JSON.stringify(key)} must be a plain identifier`
    const normalized = normalizeParam(spec as ParamSpec)
    if (!normalized) {
      return `${where}: parameter "${key}" must be a non-empty array of strings, numbers or booleans, or { values: [...], choices?: [...] }`
    }
    params[key] = normalized
  }
  return params
}

function isParamValue(value: unknown): value is ParamValue {
  return typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))
}

function normalizeParam(spec: ParamSpec): NormalizedParam | undefined {
  const values = Array.isArray(spec) ? spec : isPlainObject(spec) ? (spec as { values?: unknown }).values : undefined
  if (!Array.isArray(values) || values.length === 0 || !values.every(isParamValue)) return undefined
  const choices = !Array.isArray(spec) && isPlainObject(spec) ? (spec as { choices?: unknown }).choices : undefined
  if (choices !== undefined && (!Array.isArray(choices) || choices.length === 0 || !choices.every(isParamValue))) return undefined
  return { values: [...values], ...(choices ? { choices: [...(choices as ParamValue[])] } : {}) }
}

/** A scenario option that is a duration (`'5s'` or ms), in ms; undefined for anything else. */
function durationOf(value: unknown): number | undefined {
  return typeof value === 'number' || typeof value === 'string' ? parseDuration(value) : undefined
}

function validateOptions(s: Record<string, unknown>, where: string): LoadedScenario['options'] | string {
  const options: LoadedScenario['options'] = {}
  for (const key of ['time', 'timeout'] as const) {
    if (s[key] === undefined) continue
    const ms = durationOf(s[key])
    if (ms === undefined) return `${where}: \`${key}\` must be a duration such as '5s' or 500 (ms)`
    options[key === 'time' ? 'timeMs' : 'timeoutMs'] = ms
  }
  if (s.rounds !== undefined) {
    if (!Number.isInteger(s.rounds) || (s.rounds as number) < 2) return `${where}: \`rounds\` must be a whole number ≥ 2`
    options.rounds = s.rounds as number
  }
  if (s.processes !== undefined) {
    if (!Number.isInteger(s.processes) || (s.processes as number) < 1) return `${where}: \`processes\` must be a whole number ≥ 1`
    options.processes = s.processes as number
  }
  if (s.minEffect !== undefined) {
    if (typeof s.minEffect !== 'number' || !(s.minEffect > 0 && s.minEffect < 1)) return `${where}: \`minEffect\` must be a fraction between 0 and 1, e.g. 0.05`
    options.minEffect = s.minEffect
  }
  if (s.maxMemoryMB !== undefined) {
    if (!Number.isInteger(s.maxMemoryMB) || (s.maxMemoryMB as number) < 16) return `${where}: \`maxMemoryMB\` must be a whole number of MB ≥ 16`
    options.maxMemoryMB = s.maxMemoryMB as number
  }
  return options
}

const isPositiveInteger = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value > 0

/** A level of a sweep: a positive whole number. */
export function levelProblem(value: ParamValue): string | undefined {
  return isPositiveInteger(value) ? undefined : `sweeps over positive whole numbers, not ${JSON.stringify(value)}`
}

/**
 * The http kind: each variant names a server (module path, `{ module, export }` or a factory);
 * the sweep becomes the parameter `connections` (added to `params`, last, so case ids read
 * `name[endpoint=health,connections=50]`); durations and counts are checked here, the request
 * (which may depend on the parameters) per case by the engine before anything runs.
 */
function validateHttp(s: Record<string, unknown>, rel: string, where: string, params: Record<string, NormalizedParam>): HttpOptions | string {
  const modules: HttpOptions['modules'] = {}
  const dir = path.dirname(path.resolve(rel))
  for (const [name, spec] of Object.entries(s.variants as Record<string, unknown>)) {
    if (typeof spec === 'function') {
      modules[name] = undefined
      continue
    }
    const moduleSpec = typeof spec === 'string' ? { module: spec } : isPlainObject(spec) ? spec : undefined
    if (!moduleSpec || typeof moduleSpec.module !== 'string' || (moduleSpec.export !== undefined && typeof moduleSpec.export !== 'string')) {
      return `${where}: variant "${name}" must name a server: a module path ('./server.ts'), { module, export } or a factory (context) => handler`
    }
    const file = path.resolve(dir, moduleSpec.module)
    if (!existsSync(file) || !statSync(file).isFile()) {
      return `${where}: variant "${name}": server module ${moduleSpec.module} not found (looked for ${displayPath(file)}); paths are relative to the scenario file`
    }
    modules[name] = { file, export: (moduleSpec.export as string | undefined) ?? 'default' }
  }

  if (s.request === undefined) return `${where}: an http scenario needs \`request\`, e.g. { method: 'GET', path: '/health' }`
  if (typeof s.request !== 'function') {
    const problem = checkHttpRequests(s.request)
    if (problem) return `${where}: \`request\`: ${problem}`
  }

  let connections = HTTP_DEFAULT_CONNECTIONS
  if (s.sweep !== undefined) {
    if (!isPlainObject(s.sweep) || Object.keys(s.sweep).some((key) => key !== HTTP_SWEEP_KEY)) {
      return `${where}: \`sweep\` must be { ${HTTP_SWEEP_KEY}: [10, 50, 100] } (http scenarios sweep connections)`
    }
    const levels = s.sweep[HTTP_SWEEP_KEY]
    if (!Array.isArray(levels) || levels.length === 0 || levels.some((level) => levelProblem(level as ParamValue))) {
      return `${where}: \`sweep.${HTTP_SWEEP_KEY}\` must be a non-empty array of whole numbers ≥ 1, e.g. [10, 50, 100] (got ${JSON.stringify(levels)})`
    }
    connections = levels as number[]
  }
  if (HTTP_SWEEP_KEY in params) return `${where}: \`params\` has "${HTTP_SWEEP_KEY}", which the sweep owns; set the levels in \`sweep: { ${HTTP_SWEEP_KEY}: [...] }\``
  params[HTTP_SWEEP_KEY] = { values: [...connections], check: levelProblem }

  const durations: Partial<Record<'warmup' | 'requestTimeout', number>> = {}
  for (const key of ['warmup', 'requestTimeout'] as const) {
    if (s[key] === undefined) continue
    const ms = durationOf(s[key])
    if (ms === undefined) return `${where}: \`${key}\` must be a duration such as '1s' or 500 (ms)`
    durations[key] = ms
  }
  if (s.workers !== undefined && !(Number.isInteger(s.workers) && (s.workers as number) >= 0)) {
    return `${where}: \`workers\` must be a whole number ≥ 0 (0 = generate the load on the main thread)`
  }
  let breakdown: HttpOptions['breakdown'] = { connections: 1 }
  if (s.breakdown === false) breakdown = false
  else if (s.breakdown !== undefined) {
    const b = s.breakdown
    if (!isPlainObject(b) || Object.keys(b).some((key) => key !== 'connections' && key !== 'time')) {
      return `${where}: \`breakdown\` must be false or { connections?, time? }`
    }
    if (b.connections !== undefined && !isPositiveInteger(b.connections)) return `${where}: \`breakdown.connections\` must be a whole number ≥ 1`
    let timeMs: number | undefined
    if (b.time !== undefined) {
      timeMs = durationOf(b.time)
      if (timeMs === undefined) return `${where}: \`breakdown.time\` must be a duration such as '1s'`
    }
    breakdown = { connections: (b.connections as number | undefined) ?? 1, ...(timeMs ? { timeMs } : {}) }
  }
  return {
    sweepKey: HTTP_SWEEP_KEY,
    ...(durations.warmup ? { warmupMs: durations.warmup } : {}),
    workers: (s.workers as number | undefined) ?? 0,
    requestTimeoutMs: durations.requestTimeout ?? HTTP_REQUEST_TIMEOUT_MS,
    breakdown,
    modules,
  }
}

/** What is wrong with a request (or list of requests), or undefined. */
export function checkHttpRequests(value: unknown): string | undefined {
  const list = Array.isArray(value) ? value : [value]
  if (list.length === 0) return 'the list of requests is empty; give at least one { method, path }'
  for (const request of list) {
    if (!isPlainObject(request)) return 'each request must be an object such as { method: \'GET\', path: \'/health\' }'
    const r = request as Partial<HttpRequest> & Record<string, unknown>
    const unknown = Object.keys(r).find((key) => !['method', 'path', 'headers', 'body', 'route'].includes(key))
    if (unknown) return `unknown key "${unknown}" (known: method, path, headers, body, route)`
    if (r.method !== undefined && (typeof r.method !== 'string' || !METHODS.includes(r.method))) {
      return `method ${JSON.stringify(r.method)} is not an HTTP method; use an upper-case one such as GET or POST`
    }
    if (typeof r.path !== 'string' || !r.path.startsWith('/') || /\s/.test(r.path)) return `path ${JSON.stringify(r.path)} must start with / and contain no spaces`
    if (r.headers !== undefined && (!isPlainObject(r.headers) || !Object.values(r.headers).every((v) => typeof v === 'string'))) {
      return 'headers must be an object of strings'
    }
    if (r.route !== undefined && typeof r.route !== 'string') return 'route must be a string such as \'/activities/:id\''
    if (r.body !== undefined && typeof r.body !== 'string') {
      try {
        JSON.stringify(r.body)
      } catch {
        return 'body must be a string or a JSON-serialisable value'
      }
    }
  }
  return undefined
}

/** The requests of one case: the scenario's `request`, evaluated for the case's parameters. */
export function resolveHttpRequests(request: unknown, params: Params): HttpRequest[] | string {
  let value = request
  if (typeof request === 'function') {
    try {
      value = (request as (params: Params) => unknown)(params)
    } catch (error) {
      return `\`request(params)\` threw: ${(error as Error).message}`
    }
  }
  const problem = checkHttpRequests(value)
  if (problem) return `\`request\`${typeof request === 'function' ? '(params)' : ''}: ${problem}`
  return (Array.isArray(value) ? value : [value]) as HttpRequest[]
}

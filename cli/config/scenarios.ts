/**
 * Loading and validating scenario files. Every file is loaded and checked before anything runs;
 * every problem becomes one line naming the file, the scenario and the fix.
 */
import path from 'node:path'
import { UsageError } from '../errors.ts'
import { parseBudget, parseMetricReference, budgetMismatch, BudgetSyntaxError, type Budget } from '../gate/budget.ts'
import { parseDuration } from './duration.ts'
import { importUserModule } from './import-ts.ts'
import type { Claim, ParamSpec, ParamValue, Scenario, ScenarioKind } from './types.ts'

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
  options: { timeMs?: number; timeoutMs?: number; rounds?: number; minEffect?: number; maxMemoryMB?: number }
}

export interface NormalizedParam {
  values: ParamValue[]
  choices?: ParamValue[]
}

const NAME_PATTERN = /^[A-Za-z0-9][\w.\/-]*$/
const KINDS: readonly ScenarioKind[] = ['micro']
const COMMON_KEYS = [
  'name', 'title', 'source', 'description', 'kind', 'baseline', 'params', 'setup', 'teardown', 'variants', 'budgets', 'claims',
  'counters', 'time', 'rounds', 'timeout', 'minEffect', 'maxMemoryMB',
]

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
  for (const key of Object.keys(s)) {
    if (!COMMON_KEYS.includes(key)) return `${where}: unknown key "${key}" (known: ${COMMON_KEYS.join(', ')})`
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
    if (typeof s.variants[name] !== 'function') return `${where}: variant "${name}" must be a function \`(state) => …\``
  }
  if (typeof s.baseline !== 'string' || !variants.includes(s.baseline)) {
    return `${where}: \`baseline\` ${JSON.stringify(s.baseline)} names no variant; set it to one of: ${variants.join(', ')}`
  }
  const params = validateParams(s.params, where)
  if (typeof params === 'string') return params
  const options = validateOptions(s, where)
  if (typeof options === 'string') return options
  const budgets: Budget[] = []
  if (s.budgets !== undefined) {
    if (!Array.isArray(s.budgets)) return `${where}: \`budgets\` must be an array of strings such as 'broker: ratio <= 1.10'`
    for (const text of s.budgets) {
      const budget = parseScenarioBudget(text, variants, `${where}: budget`)
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
      if (claim.metric !== undefined) {
        const ref = typeof claim.metric === 'string' ? parseMetricReference(claim.metric) : undefined
        if (!ref) return `${where}: claim "${claim.text}": \`metric\` must be 'variant: metric', e.g. 'broker: median'`
        const mismatch = budgetMismatch(ref, variants)
        if (mismatch) return `${where}: claim "${claim.text}": ${mismatch}`
      }
      if (claim.check === undefined) {
        claims.push({ claim: claim as unknown as Claim })
        continue
      }
      const check = parseScenarioBudget(claim.check, variants, `${where}: claim "${claim.text}" check`)
      if (typeof check === 'string') return check
      claims.push({ claim: claim as unknown as Claim, check })
    }
  }
  return { scenario: s as unknown as Scenario, kind, variants, budgets, claims, params, options }
}

function parseScenarioBudget(text: unknown, variants: string[], where: string): Budget | string {
  if (typeof text !== 'string') return `${where} must be a string such as 'broker: ratio <= 1.10'`
  try {
    const budget = parseBudget(text)
    const mismatch = budgetMismatch(budget, variants)
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

function validateOptions(s: Record<string, unknown>, where: string): LoadedScenario['options'] | string {
  const options: LoadedScenario['options'] = {}
  for (const key of ['time', 'timeout'] as const) {
    if (s[key] === undefined) continue
    const ms = typeof s[key] === 'number' || typeof s[key] === 'string' ? parseDuration(s[key] as string | number) : undefined
    if (ms === undefined) return `${where}: \`${key}\` must be a duration such as '5s' or 500 (ms)`
    options[key === 'time' ? 'timeMs' : 'timeoutMs'] = ms
  }
  if (s.rounds !== undefined) {
    if (!Number.isInteger(s.rounds) || (s.rounds as number) < 2) return `${where}: \`rounds\` must be a whole number ≥ 2`
    options.rounds = s.rounds as number
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

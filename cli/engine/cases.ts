/**
 * From validated scenarios to the cases a run measures: the parameter matrix expanded (with
 * `--param` overrides applied) and `--filter` applied to scenarios and variants.
 */
import { UsageError } from '../errors.ts'
import { appliesTo, type Budget } from '../gate/budget.ts'
import type { LoadedScenario, NormalizedParam } from '../config/scenarios.ts'
import type { ParamValue, Params } from '../config/types.ts'

export interface ScenarioCase {
  /** `name` or `name[k=v,…]`: unique within a run. */
  id: string
  loaded: LoadedScenario
  params: Params
  /** The variants to measure, baseline first. */
  variants: string[]
  /** Config budgets that apply to this scenario, beside its own. */
  configBudgets: Budget[]
  /**
   * `perfkit run --against <ref>`: the case measures every variant twice, `head:<variant>` on the
   * working tree's code and `base:<variant>` on the ref's, in one interleaved round plan; `variants`
   * then holds those names. Absent in ordinary runs.
   */
  against?: PairedCase
}

/** Where each variant of a paired case comes from, and which head variant is judged against which base one. */
export interface PairedCase {
  /** By case variant name (`base:direct`): the scenario module it is loaded from and its own name there. */
  sources: Record<string, { side: 'base' | 'head'; loaded: LoadedScenario; variant: string }>
  /** One per variant of either tree; `base`/`head` name the case variants, absent on the side that lacks it (then `reason` says why). */
  pairs: Array<{ variant: string; base?: string; head?: string; reason?: string }>
  /** What differs between the trees in this case, one line each. */
  notes: string[]
}

/** The case variant a scenario module's variant is measured as: itself, or `head:x` in a paired case. */
export function caseVariant(c: Pick<ScenarioCase, 'against'>, variant: string): string {
  return c.against ? `head:${variant}` : variant
}

/** The variants of a case that run the working tree's code (all of them, unless the case is paired). */
export function headVariants<V extends { name: string }>(c: Pick<ScenarioCase, 'against'>, runs: readonly V[]): V[] {
  return c.against ? runs.filter((r) => c.against!.sources[r.name]?.side !== 'base') : [...runs]
}

/** Parses repeatable `--param key=value` flags. */
export function parseParamFlags(flags: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const flag of flags) {
    const eq = flag.indexOf('=')
    if (eq <= 0) throw new UsageError(`--param ${flag}: expected key=value, e.g. --param backend=postgres`)
    out[flag.slice(0, eq).trim()] = flag.slice(eq + 1).trim()
  }
  return out
}

function coerce(raw: string, param: NormalizedParam, key: string, scenario: string): ParamValue {
  const sample = param.values[0]
  let value: ParamValue = raw
  if (typeof sample === 'number') {
    const n = Number(raw.replace(/_/g, ''))
    if (raw.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--param ${key}=${raw}: scenario "${scenario}" expects a number for ${key}`)
    value = n
  } else if (typeof sample === 'boolean') {
    if (raw !== 'true' && raw !== 'false') throw new UsageError(`--param ${key}=${raw}: scenario "${scenario}" expects true or false for ${key}`)
    value = raw === 'true'
  }
  if (param.choices && !param.choices.includes(value)) {
    throw new UsageError(`--param ${key}=${raw}: scenario "${scenario}" accepts ${param.choices.join(' | ')} for ${key}`)
  }
  const problem = param.check?.(value)
  if (problem) throw new UsageError(`--param ${key}=${raw}: scenario "${scenario}" ${problem} for ${key}`)
  return value
}

function matrix(params: Record<string, ParamValue[]>): Params[] {
  let combos: Params[] = [{}]
  for (const [key, values] of Object.entries(params)) {
    combos = combos.flatMap((combo) => values.map((value) => ({ ...combo, [key]: value })))
  }
  return combos
}

export function caseId(name: string, params: Params): string {
  const keys = Object.keys(params)
  return keys.length === 0 ? name : `${name}[${keys.map((k) => `${k}=${params[k]}`).join(',')}]`
}

function compileFilter(filter: string | undefined): RegExp | undefined {
  if (filter === undefined) return undefined
  try {
    return new RegExp(filter)
  } catch (error) {
    throw new UsageError(`--filter ${filter}: not a valid regular expression (${(error as Error).message})`)
  }
}

export function buildCases(
  scenarios: readonly LoadedScenario[],
  options: { params: Record<string, string>; filter?: string; configBudgets?: readonly Budget[] },
): ScenarioCase[] {
  for (const key of Object.keys(options.params)) {
    if (!scenarios.some((s) => key in s.params)) {
      const known = [...new Set(scenarios.flatMap((s) => Object.keys(s.params)))]
      const hint = known.length ? `parameters of the selected scenarios: ${known.join(', ')}` : 'the selected scenarios have no parameters'
      throw new UsageError(`--param ${key}: no selected scenario has a parameter "${key}" (${hint})`)
    }
  }
  for (const budget of options.configBudgets ?? []) {
    if (budget.target !== '*' && !scenarios.some((s) => s.variants.includes(budget.target))) {
      throw new UsageError(`perfkit.config.ts: budget "${budget.expression}" names variant "${budget.target}", which no selected scenario has`)
    }
  }
  const pattern = compileFilter(options.filter)
  const cases: ScenarioCase[] = []
  for (const loaded of scenarios) {
    const name = loaded.scenario.name
    const values: Record<string, ParamValue[]> = {}
    for (const [key, param] of Object.entries(loaded.params)) {
      values[key] = key in options.params ? [coerce(options.params[key]!, param, key, name)] : param.values
    }
    const ordered = [loaded.scenario.baseline, ...loaded.variants.filter((v) => v !== loaded.scenario.baseline)]
    for (const params of matrix(values)) {
      const id = caseId(name, params)
      let variants = ordered
      if (pattern && !pattern.test(name) && !pattern.test(id)) {
        const picked = ordered.filter((v) => pattern.test(`${name}/${v}`) || pattern.test(`${id}/${v}`))
        if (picked.length === 0) continue
        // The baseline always runs: every other variant is judged against it.
        variants = ordered.filter((v) => v === loaded.scenario.baseline || picked.includes(v))
      }
      // A config budget applies where its variant exists and the scenario's kind measures its metric.
      const configBudgets = (options.configBudgets ?? []).filter((b) => (b.target === '*' || loaded.variants.includes(b.target)) && appliesTo(b, loaded.kind))
      cases.push({ id, loaded, params, variants, configBudgets })
    }
  }
  if (cases.length === 0 && options.filter !== undefined) {
    throw new UsageError(`--filter ${options.filter}: matches no scenario or variant (try \`perfkit list\`)`)
  }
  return cases
}

/** `perfkit list`: the scenarios found, validated, with their variants and parameters. */
import path from 'node:path'
import { loadConfig } from '../config/config.ts'
import { loadScenarios } from '../config/scenarios.ts'
import { discoverScenarioFiles } from '../engine/discovery.ts'
import { EXIT } from '../errors.ts'
import { table } from '../report/console.ts'

export interface ListFlags {
  config?: string
  json?: boolean
}

export async function listCommand(patterns: string[], flags: ListFlags): Promise<number> {
  const config = await loadConfig(flags.config)
  const files = await discoverScenarioFiles(patterns.length ? patterns : config.scenarios, patterns.length ? process.cwd() : config.root, patterns.length ? 'argument' : 'config')
  const scenarios = await loadScenarios(files)
  const entries = scenarios.map((s) => ({
    name: s.scenario.name,
    title: s.scenario.title ?? s.scenario.name,
    kind: s.kind,
    baseline: s.scenario.baseline,
    variants: s.variants,
    params: Object.fromEntries(Object.entries(s.params).map(([k, p]) => [k, { values: p.values, ...(p.choices ? { choices: p.choices } : {}) }])),
    file: path.relative(process.cwd(), s.file),
  }))
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(entries, null, 2)}\n`)
    return EXIT.ok
  }
  const rows = [['scenario', 'kind', 'variants (baseline first)', 'params', 'file']]
  for (const e of entries) {
    const variants = [e.baseline, ...e.variants.filter((v) => v !== e.baseline)].join(', ')
    const params = Object.entries(e.params)
      .map(([k, p]) => `${k}=${p.values.join('|')}${p.choices ? ` (${p.choices.join('|')})` : ''}`)
      .join(' ')
    rows.push([e.name, e.kind, variants, params, e.file])
  }
  process.stdout.write(`${table(rows, ['l', 'l', 'l', 'l', 'l'], '')}\n`)
  return EXIT.ok
}

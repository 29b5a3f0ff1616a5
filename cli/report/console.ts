/**
 * The terminal reporter: a header with the environment, one table per scenario, a summary line.
 * Pure functions returning strings; colour only when asked (the CLI decides from TTY/NO_COLOR).
 */
import type { Comparison, Environment, RunResult, ScenarioResult, VariantResult, Verdict } from '../result/schema.ts'
import { formatBytes, formatCount, formatDuration, formatPercent, formatRatio } from './format.ts'

export interface ConsoleOptions {
  color: boolean
}

const CODES = { red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, dim: 2, bold: 1 } as const
type Style = keyof typeof CODES

function paint(options: ConsoleOptions, style: Style, text: string): string {
  return options.color ? `\u001b[${CODES[style]}m${text}\u001b[${style === 'bold' || style === 'dim' ? 22 : 39}m` : text
}

const ANSI = /\u001b\[[0-9;]*m/g
const visibleLength = (text: string) => [...text.replace(ANSI, '')].length

/** Lays out rows in columns; `align[i]` 'r' right-aligns a column. */
export function table(rows: string[][], align: Array<'l' | 'r'>, indent = '  '): string {
  const widths: number[] = []
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, visibleLength(cell))))
  return rows
    .map((row) =>
      indent +
      row
        .map((cell, i) => {
          const pad = ' '.repeat(widths[i]! - visibleLength(cell))
          return align[i] === 'r' ? pad + cell : i === row.length - 1 ? cell : cell + pad
        })
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
}

export function renderEnvironment(environment: Environment, options: ConsoleOptions): string {
  const e = environment
  const git = e.git ? ` · git ${e.git.commit.slice(0, 10)}${e.git.dirty ? ' (dirty)' : ''}` : ''
  const lines = [
    paint(options, 'dim', `Node ${e.node} (V8 ${e.v8}) · ${e.cpu.model} × ${e.cpu.count} · load ${e.loadAverage.map((l) => l.toFixed(2)).join(' ')} · ${formatBytes(e.memory.totalBytes)} RAM${git}`),
  ]
  for (const warning of e.noise) lines.push(paint(options, 'yellow', `⚠ ${warning}`))
  return lines.join('\n')
}

const VERDICT_STYLE: Record<Verdict, Style> = { slower: 'red', faster: 'green', same: 'dim', inconclusive: 'yellow' }

function verdictText(comparison: Comparison | undefined, options: ConsoleOptions): string {
  if (!comparison) return ''
  return paint(options, VERDICT_STYLE[comparison.verdict], comparison.verdict)
}

function ratioText(comparison: Comparison | undefined): string {
  if (!comparison) return ''
  const { estimate, low, high } = comparison.ratio
  return `${formatRatio(estimate)} [${low.toFixed(2)}–${high.toFixed(2)}]`
}

function stateText(variant: VariantResult, options: ConsoleOptions): string {
  switch (variant.state) {
    case 'completed':
      return ''
    case 'errored':
      return paint(options, 'red', `errored in ${variant.phase}: ${variant.error.message}`)
    case 'timeout':
      return paint(options, 'red', `timed out in ${variant.phase} after ${formatDuration(variant.timeoutMs * 1e6)}`)
    case 'interrupted':
      return paint(options, 'yellow', 'interrupted')
  }
}

function paramsText(scenario: ScenarioResult): string {
  const entries = Object.entries(scenario.params)
  return entries.length ? ` [${entries.map(([k, v]) => `${k}=${v}`).join(', ')}]` : ''
}

export function renderScenario(scenario: ScenarioResult, options: ConsoleOptions): string {
  const lines: string[] = []
  const source = scenario.source ? paint(options, 'dim', ` (${scenario.source})`) : ''
  const title = scenario.title !== scenario.name ? ` — ${scenario.title}` : ''
  lines.push(`${paint(options, 'bold', scenario.name)}${paramsText(scenario)}${title}${source}`)
  if (scenario.state === 'interrupted') lines.push(paint(options, 'yellow', '  interrupted: the figures below are what was measured before Ctrl-C'))
  if (scenario.error) lines.push(paint(options, 'red', `  ${scenario.error.message}`))
  const header = ['variant', 'time/op', 'p99', 'ops/s', 'vs baseline', 'verdict', 'bytes/op', 'rounds']
  const rows: string[][] = [header.map((h) => paint(options, 'dim', h))]
  const notes: string[] = []
  for (const variant of scenario.variants) {
    const comparison = scenario.comparisons.find((c) => c.variant === variant.name)
    const stats = variant.state === 'completed' ? variant.stats : undefined
    const memory = variant.state === 'completed' ? variant.memory : undefined
    const problem = stateText(variant, options)
    if (problem) notes.push(`  ${variant.name}: ${problem}`)
    rows.push([
      variant.isBaseline ? `${variant.name} ${paint(options, 'dim', '(baseline)')}` : variant.name,
      stats ? formatDuration(stats.medianNs) : variant.state,
      stats ? formatDuration(stats.p99Ns) : '',
      stats ? formatCount(stats.opsPerSec) : '',
      variant.isBaseline ? paint(options, 'dim', '1.00×') : ratioText(comparison),
      variant.isBaseline ? '' : verdictText(comparison, options),
      memory ? formatBytes(memory.bytesPerOp) : '',
      String(variant.rounds.length),
    ])
  }
  lines.push(table(rows, ['l', 'r', 'r', 'r', 'r', 'l', 'r', 'r']))
  lines.push(...notes)
  for (const variant of scenario.variants) {
    if (variant.state === 'completed' && variant.breakdown) {
      const b = variant.breakdown
      const parts = b.phases.map((p) => `${p.name} ${formatPercent(p.share)}`)
      parts.push(`rest ${formatPercent(b.restShare)}`)
      lines.push(`  ${paint(options, 'cyan', `${variant.name} breakdown`)} (traced ${formatDuration(b.totalMeanNs)}/op): ${parts.join(' · ')}`)
    }
    if (variant.counters && Object.keys(variant.counters).length > 0) {
      lines.push(`  ${variant.name} counters: ${Object.entries(variant.counters).map(([k, v]) => `${k}=${formatCount(v)}`).join(' ')}`)
    }
  }
  for (const budget of scenario.budgets) {
    const mark = budget.state === 'pass' ? paint(options, 'green', '✓') : budget.state === 'fail' ? paint(options, 'red', '✗') : paint(options, 'yellow', '?')
    const target = budget.expression.startsWith('*') ? ` (${budget.variant})` : ''
    lines.push(`  ${mark} budget ${budget.expression}${target}: ${budget.measuredText}${budget.message ? ` — ${budget.message}` : ''}`)
  }
  for (const claim of scenario.claims) {
    const mark = claim.holds === true ? paint(options, 'green', 'holds') : claim.holds === false ? paint(options, 'red', 'does not hold') : paint(options, 'dim', 'not judged')
    const published = claim.published ? `published ${claim.published}, ` : ''
    lines.push(`  claim "${claim.text}": ${published}measured ${claim.measuredText} — ${mark}`)
  }
  for (const warning of scenario.warnings) lines.push(paint(options, 'yellow', `  ⚠ ${warning}`))
  return lines.join('\n')
}

/** One line: how many scenarios, verdict counts, failed budgets, failed variants. */
export function renderSummary(result: RunResult, options: ConsoleOptions): string {
  const verdicts: Record<Verdict, number> = { slower: 0, faster: 0, same: 0, inconclusive: 0 }
  let failedVariants = 0
  let failedBudgets = 0
  for (const s of result.scenarios) {
    s.comparisons.forEach((c) => verdicts[c.verdict]++)
    failedVariants += s.variants.filter((v) => v.state === 'errored' || v.state === 'timeout').length
    failedBudgets += s.budgets.filter((b) => b.state === 'fail').length
  }
  const parts = [
    `${result.scenarios.length} scenario${result.scenarios.length === 1 ? '' : 's'}`,
    `${verdicts.faster} faster, ${verdicts.slower} slower, ${verdicts.same} same, ${verdicts.inconclusive} inconclusive`,
  ]
  if (failedBudgets) parts.push(paint(options, 'red', `${failedBudgets} budget${failedBudgets === 1 ? '' : 's'} failed`))
  if (failedVariants) parts.push(paint(options, 'red', `${failedVariants} variant${failedVariants === 1 ? '' : 's'} failed`))
  if (result.run.state === 'interrupted') parts.push(paint(options, 'yellow', 'interrupted'))
  return parts.join(' · ')
}

/** The whole run at once (used by `perfkit report --format console`). */
export function renderConsole(result: RunResult, options: ConsoleOptions): string {
  return [renderEnvironment(result.environment, options), ...result.scenarios.map((s) => renderScenario(s, options)), renderSummary(result, options)].join('\n\n') + '\n'
}

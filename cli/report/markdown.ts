/**
 * The Markdown reporter: a summary that fits a pull-request comment and `$GITHUB_STEP_SUMMARY`
 * (GitHub Flavored Markdown). The gate's conclusion first, then what decided it — regressions
 * against the baseline, every budget with its measured value — then the details folded away.
 *
 * Pure: result in, text out. Every string from a scenario, a parameter, an error or the environment
 * is escaped, so none can break a table, start a heading, or inject HTML. A comment holds at most
 * 65 536 characters; when the whole summary would not fit, folded sections are left out first.
 */
import { gateFailed, gateFindings, type GateFindings } from '../gate/outcome.ts'
import { failedVariants } from '../result/outcome.ts'
import type {
  AgainstVariant,
  AnyVariantResult,
  BudgetResult,
  Comparison,
  RunResult,
  ScenarioRegression,
  ScenarioResult,
  VariantRegression,
  Verdict,
} from '../result/schema.ts'
import { baselineOrigin, changeText, decidingChange, figureText, intervalText, noiseText, sidesText } from './gate.ts'
import { formatBytes, formatChange, formatCount, formatDuration, formatPercent, formatRatio, gitText, plural, variantStateText as variantState } from './format.ts'

/** GitHub refuses comments longer than 65 536 characters; keep a margin for what a workflow adds. */
export const MARKDOWN_LIMIT = 60_000

/**
 * Text safe inside a Markdown paragraph or table cell (never at the start of a line), escaping only
 * what GitHub Flavored Markdown would otherwise read as markup:
 * - `|` (it splits a table cell) and `\`, `*`, `[`, `]`, `~` become backslash escapes, and `_` too
 *   where it could open or close emphasis (not inside a word: `broker_direct` stays as it is);
 * - `<` and `&` become entities (no raw HTML, no entity reading), and `>` for symmetry;
 * - line breaks become spaces (a cell is one line).
 * A code span — text between a pair of single backticks, as perfkit's own messages write
 * commands (`perfkit calibrate`) — is kept as a code span: nothing inside it is escaped (GFM shows
 * it literally), except a `|`, which closes the span around an escaped pipe so a table cell does not
 * split. A backtick without a partner is escaped.
 */
export function escapeMarkdown(value: unknown): string {
  const text = String(value).replace(/[\r\n\u2028\u2029]+/g, ' ')
  let out = ''
  let last = 0
  for (const match of text.matchAll(/`([^`]+)`/g)) {
    out += escapeText(text.slice(last, match.index))
    out += match[1]!
      .split('|')
      .map((part) => (part ? `\`${part}\`` : ''))
      .join('\\|')
    last = match.index + match[0].length
  }
  return out + escapeText(text.slice(last))
}

/** Plain text outside code spans. */
function escapeText(text: string): string {
  return text
    .replace(/[\\`*[\]|~]/g, (ch) => `\\${ch}`)
    .replace(/(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu, '\\_')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
}

const VERDICT_MARK: Record<Verdict, string> = { slower: '🔴 slower', faster: '🟢 faster', same: 'same', inconclusive: '🟡 inconclusive' }

function tableOf(header: string[], align: Array<'l' | 'r'>, rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`
  return [line(header), line(align.map((a) => (a === 'r' ? '---:' : '---'))), ...rows.map(line)].join('\n')
}

function details(summary: string, body: string): string {
  return `<details><summary>${summary}</summary>\n\n${body}\n\n</details>`
}

function headline(findings: GateFindings, result: RunResult): string {
  const problems: string[] = []
  if (findings.failedVariants.length) problems.push(`${plural(findings.failedVariants.length, 'variant')} could not be measured`)
  else if (findings.unfinished) problems.push(`the run is ${result.run.state === 'running' ? 'unfinished' : result.run.state}`)
  if (findings.regressions.length) problems.push(plural(findings.regressions.length, 'regression'))
  if (findings.against.regressions.length) problems.push(`${plural(findings.against.regressions.length, 'variant')} slower than on the base`)
  if (findings.budgets.failed.length) problems.push(`${plural(findings.budgets.failed.length, 'budget')} failed`)
  if (findings.failOn.includes('inconclusive')) {
    if (findings.inconclusive.length) problems.push(`${findings.inconclusive.length} inconclusive`)
    if (findings.against.inconclusive.length) problems.push(`${findings.against.inconclusive.length} inconclusive against the base`)
    if (findings.budgets.unmeasured.length) problems.push(`${plural(findings.budgets.unmeasured.length, 'budget')} not measured`)
    if (findings.budgets.undecided.length) problems.push(`${plural(findings.budgets.undecided.length, 'budget')} can't tell`)
  }
  // The same order as the exit code: could not complete (3) before failed (1).
  if (findings.failedVariants.length || findings.unfinished) return `## perfkit: ⛔ incomplete — ${problems.join(', ')}`
  if (gateFailed(findings)) return `## perfkit: ❌ ${problems.join(', ')}`
  const warnings: string[] = []
  if (findings.inconclusive.length) warnings.push(`${findings.inconclusive.length} inconclusive`)
  if (findings.against.inconclusive.length) warnings.push(`${findings.against.inconclusive.length} inconclusive against the base`)
  if (findings.slowerTimes.length) warnings.push(`${findings.slowerTimes.length} slower on time alone`)
  if (findings.budgets.unmeasured.length) warnings.push(`${plural(findings.budgets.unmeasured.length, 'budget')} not measured`)
  if (findings.budgets.undecided.length) warnings.push(`${plural(findings.budgets.undecided.length, 'budget')} can't tell (the interval straddles the threshold)`)
  if (warnings.length) return `## perfkit: ⚠️ passed with warnings — ${warnings.join(', ')}`
  return `## perfkit: ✅ passed`
}

/** What the run checked, in one line under the headline. */
function overview(findings: GateFindings, result: RunResult): string {
  const parts = [plural(result.scenarios.length, 'scenario')]
  const budgets = findings.budgets.passed + findings.budgets.failed.length + findings.budgets.unmeasured.length + findings.budgets.undecided.length
  if (budgets) parts.push(`${plural(budgets, 'budget')} (${findings.budgets.failed.length} failed)`)
  if (result.baseline) {
    const judged = findings.regressions.length + findings.slowerTimes.length + findings.inconclusive.length + findings.improvements.length + findings.same
    parts.push(`${plural(judged, 'variant')} compared with baseline \`${escapeMarkdown(result.baseline.name)}\``)
  }
  if (result.against) {
    const a = findings.against
    const judged = a.regressions.length + a.inconclusive.length + a.improvements.length + a.same
    parts.push(`${plural(judged, 'variant')} compared with \`${escapeMarkdown(result.against.ref)}\``)
  }
  if (findings.failOn.length) parts.push(`--fail-on ${findings.failOn.join(',')}`)
  return parts.join(' · ')
}

function warningBlock(result: RunResult): string {
  const warnings = [...(result.baseline?.warnings ?? [])]
  if (!warnings.length) return ''
  return ['> [!WARNING]', ...warnings.map((w) => `> ${escapeMarkdown(w)}  `)].join('\n')
}

function readingCells(v: VariantRegression): { base: string; head: string; time: string; ratio: string; verdict: string } {
  if (v.state === 'not-compared') {
    const sides = v.time ? sidesText(v.time, 'time') : { base: '', head: '' }
    return { base: sides.base, head: sides.head, time: v.time ? escapeMarkdown(changeText(v.time)) : '', ratio: '', verdict: `not compared: ${escapeMarkdown(v.reason)}` }
  }
  const sides = sidesText(v.time, 'time')
  const bold = (reading: 'time' | 'ratio', text: string) => (v.decidedBy === reading ? `**${escapeMarkdown(text)}**` : escapeMarkdown(text))
  const note = v.note ? ` (${escapeMarkdown(v.note)})` : ''
  return {
    base: sides.base,
    head: sides.head,
    time: bold('time', changeText(v.time)),
    ratio: v.ratio ? bold('ratio', changeText(v.ratio)) : '',
    verdict: `${VERDICT_MARK[v.verdict]}${note}`,
  }
}

/** The variants that fail the gate or ask for a look, as one table. */
function regressionTable(findings: GateFindings): string {
  const rows = [...findings.regressions, ...findings.slowerTimes, ...findings.inconclusive].map(({ scenario, variant }) => [
    escapeMarkdown(scenario),
    escapeMarkdown(variant.variant),
    formatChange(decidingChange(variant)),
    escapeMarkdown(intervalText(variant.decidedBy === 'ratio' ? variant.ratio! : variant.time)),
    variant.decidedBy === 'ratio' ? 'ratio to baseline variant' : 'time',
    `${VERDICT_MARK[variant.verdict]}${findings.slowerTimes.some((f) => f.variant === variant) ? ' (time alone: not gating)' : ''}`,
  ])
  if (!rows.length) return ''
  return tableOf(['scenario', 'variant', 'change', 'interval', 'judged on', 'verdict'], ['l', 'l', 'r', 'l', 'l', 'l'], rows)
}

function scenarioComparison(s: ScenarioRegression): string {
  const rows = s.variants.map((v) => {
    const cells = readingCells(v)
    const name = v.variant === s.baselineVariant ? `${escapeMarkdown(v.variant)} (baseline)` : escapeMarkdown(v.variant)
    return [name, cells.base, cells.head, cells.time, cells.ratio, cells.verdict]
  })
  const notes = s.notes.map((n) => `- ${escapeMarkdown(n)}`)
  const figures = s.variants.flatMap((v) =>
    v.state === 'not-compared' && v.figures
      ? [`- ${escapeMarkdown(v.variant)}: ${v.figures.map((f) => `${escapeMarkdown(f.metric)} ${escapeMarkdown(figureText(f, f.base))} → ${escapeMarkdown(figureText(f, f.head))}`).join(', ')}`]
      : [],
  )
  const table = rows.length
    ? tableOf(['variant', 'base', 'head', 'time', `ratio to ${escapeMarkdown(s.baselineVariant)}`, 'verdict'], ['l', 'r', 'r', 'r', 'r', 'l'], rows)
    : '_no variant to compare_'
  return [`**${escapeMarkdown(s.id)}** — ${escapeMarkdown(noiseText(s))}`, ...notes, '', table, ...(figures.length ? ['', ...figures] : [])].join('\n')
}

function comparisonSection(result: RunResult, findings: GateFindings): { lead: string; folded: string } {
  const b = result.baseline
  if (!b) return { lead: '', folded: '' }
  const how = `head ÷ base with ${formatPercent(1 - b.alpha)} intervals${b.calibrated ? ', widened by each scenario\'s noise floor' : ''}; minimum effect ${formatPercent(b.minEffect)}${b.calibrated ? ' (raised to the noise floor)' : ''}. Each variant is judged on its ratio to its scenario's baseline variant, which machine drift does not move; the baseline variant on its own time${findings.failOn.includes('time') ? '' : ', which fails the gate only with `--fail-on time`'}.`
  const table = regressionTable(findings)
  const lead = [
    `### Against baseline ${escapeMarkdown(baselineOrigin(b))}`,
    table || `No variant got slower${findings.inconclusive.length ? '' : ' and none is inconclusive'}.`,
  ].join('\n\n')
  const extra: string[] = []
  if (b.onlyInRun.length) extra.push(`Not in the baseline (new): ${b.onlyInRun.map(escapeMarkdown).join(', ')}`)
  if (b.onlyInBaseline.length) extra.push(`In the baseline, not in this run: ${b.onlyInBaseline.map(escapeMarkdown).join(', ')}`)
  const body = [escapeMarkdown(how), ...b.scenarios.map(scenarioComparison), ...extra].join('\n\n')
  const compared = b.scenarios.reduce((n, s) => n + s.variants.length, 0)
  return { lead, folded: details(`Every variant against the baseline (${compared})`, body) }
}

function againstCells(v: AgainstVariant, perRequest: boolean): string[] {
  if (v.state === 'not-compared') return [escapeMarkdown(v.variant), '', '', '', `not compared: ${escapeMarkdown(v.reason)}`]
  const side = (ns: number) => (perRequest ? `${formatCount(1e9 / ns)} req/s` : formatDuration(ns))
  const interval = `[${formatChange(v.change.low)}, ${formatChange(v.change.high)}]`
  return [escapeMarkdown(v.variant), side(v.base), side(v.head), `${formatChange(v.change.estimate)} ${escapeMarkdown(interval)}`, VERDICT_MARK[v.verdict]]
}

/**
 * `--against <ref>`: the head variants slower than on the ref (or undecided) up front, every case's
 * head-vs-base table folded, and what differs between the trees.
 */
function againstSection(result: RunResult, findings: GateFindings): { lead: string; folded: string } {
  const a = result.against
  if (!a) return { lead: '', folded: '' }
  const origin = `${a.ref} (${a.commit.slice(0, 10)}${a.subject ? ` ${a.subject}` : ''})`
  const flagged = [...findings.against.regressions, ...findings.against.inconclusive]
  const table = flagged.length
    ? tableOf(
        ['scenario', 'variant', 'change', 'interval', 'verdict'],
        ['l', 'l', 'r', 'l', 'l'],
        flagged.map(({ scenario, variant }) => [escapeMarkdown(scenario), escapeMarkdown(variant.variant), formatChange(variant.change.estimate), escapeMarkdown(`[${formatChange(variant.change.low)}, ${formatChange(variant.change.high)}]`), VERDICT_MARK[variant.verdict]]),
      )
    : `No variant got slower than on the base${findings.against.inconclusive.length ? '' : ' and none is inconclusive'}.`
  const head = `the working tree${a.head.commit ? ` (${a.head.commit.slice(0, 10)})` : ''}${a.head.dirty ? ', with its uncommitted changes' : ''}`
  const notes = a.notes.map((n) => `- ${escapeMarkdown(n)}`)
  const lead = [`### Against ${escapeMarkdown(origin)}`, `Head: ${escapeMarkdown(head)}. Each variant ran on both trees in one interleaved round plan; head ÷ base is paired by round.`, ...(notes.length ? [notes.join('\n')] : []), table].join('\n\n')
  const cases = result.scenarios.filter((s) => s.against)
  const body = cases
    .map((s) => {
      const rows = s.against!.variants.map((v) => againstCells(v, s.kind === 'http'))
      const caseNotes = s.against!.notes.map((n) => `- ${escapeMarkdown(n)}`)
      return [`**${escapeMarkdown(s.id)}**`, ...caseNotes, '', tableOf(['variant', 'base', 'head', 'head ÷ base', 'verdict'], ['l', 'r', 'r', 'r', 'l'], rows)].join('\n')
    })
    .join('\n\n')
  const compared = cases.reduce((n, s) => n + s.against!.variants.length, 0)
  return { lead, folded: body ? details(`Every variant against ${escapeMarkdown(a.ref)} (${compared})`, body) : '' }
}

function budgetRow(scenario: string, b: BudgetResult): string[] {
  const mark = b.state === 'pass' ? '✅' : b.state === 'fail' ? '❌' : b.state === 'cant-tell' ? '❔ can’t tell' : '❔'
  const target = b.expression.trimStart().startsWith('*') ? ` (${escapeMarkdown(b.variant)})` : ''
  const origin = b.origin === 'config' ? ' · config' : ''
  return [mark, escapeMarkdown(scenario), `${escapeMarkdown(b.expression)}${target}${origin}`, escapeMarkdown(b.measuredText), b.message ? escapeMarkdown(b.message) : '']
}

/** Every budget with its measured value; the passing ones folded away when there are many. */
function budgetsSection(result: RunResult): { lead: string; folded: string } {
  const all = result.scenarios.flatMap((s) => s.budgets.map((b) => ({ scenario: s.id, budget: b })))
  if (!all.length) return { lead: '', folded: '' }
  const order = { fail: 0, 'cant-tell': 1, missing: 2, pass: 3 } as const
  all.sort((x, y) => order[x.budget.state] - order[y.budget.state])
  const header = ['', 'scenario', 'budget', 'measured', 'note']
  const align: Array<'l' | 'r'> = ['l', 'l', 'l', 'r', 'l']
  const notPassing = all.filter((x) => x.budget.state !== 'pass')
  const passing = all.filter((x) => x.budget.state === 'pass')
  const failed = all.filter((x) => x.budget.state === 'fail').length
  const unmeasured = all.filter((x) => x.budget.state === 'missing').length
  const undecided = all.filter((x) => x.budget.state === 'cant-tell').length
  const title = `### Budgets: ${passing.length} passed, ${failed} failed${undecided ? `, ${undecided} can’t tell` : ''}${unmeasured ? `, ${unmeasured} not measured` : ''}`
  if (all.length <= 12) return { lead: [title, tableOf(header, align, all.map((x) => budgetRow(x.scenario, x.budget)))].join('\n\n'), folded: '' }
  const lead = [title, notPassing.length ? tableOf(header, align, notPassing.map((x) => budgetRow(x.scenario, x.budget))) : ''].filter(Boolean).join('\n\n')
  return { lead, folded: details(`Passing budgets (${passing.length})`, tableOf(header, align, passing.map((x) => budgetRow(x.scenario, x.budget)))) }
}

function verdictCell(c: Comparison | undefined): string {
  if (!c) return ''
  return `${formatRatio(c.ratio.estimate)} [${c.ratio.low.toFixed(2)}–${c.ratio.high.toFixed(2)}] ${VERDICT_MARK[c.verdict]}`
}

/** One scenario of this run: its own table, by kind. */
function scenarioTable(s: ScenarioResult): string {
  const title = `**${escapeMarkdown(s.id)}**${s.title !== s.name ? ` — ${escapeMarkdown(s.title)}` : ''}${s.state !== 'completed' ? ` (${s.state}${s.error ? `: ${escapeMarkdown(s.error.message)}` : ''})` : ''}`
  const name = (v: AnyVariantResult) => `${escapeMarkdown(v.name)}${v.isBaseline ? ' (baseline)' : ''}`
  switch (s.kind) {
    case 'micro': {
      const rows = s.variants.map((v) => {
        const c = s.comparisons.find((x) => x.variant === v.name)
        const stats = v.state === 'completed' ? v.stats : undefined
        const memory = v.state === 'completed' ? v.memory : undefined
        return [name(v), stats ? formatDuration(stats.medianNs) : escapeMarkdown(variantState(v)), stats ? formatDuration(stats.p99Ns) : '', v.isBaseline ? '1.00×' : verdictCell(c), memory ? formatBytes(memory.bytesPerOp) : '']
      })
      return [title, tableOf(['variant', 'time/op', 'p99', 'vs baseline', 'bytes/op'], ['l', 'r', 'r', 'l', 'r'], rows)].join('\n\n')
    }
    case 'http': {
      const rows = s.variants.map((v) => {
        const c = s.comparisons.find((x) => x.variant === v.name)
        const stats = v.state === 'completed' ? v.stats : undefined
        return [name(v), stats ? `${formatCount(stats.requestsPerSec)}/s` : escapeMarkdown(variantState(v)), stats ? formatDuration(stats.latency.p99Ns) : '', v.isBaseline ? '1.00×' : verdictCell(c)]
      })
      return [`${title} · ${escapeMarkdown(s.level.name)} ${formatCount(s.level.value)}`, tableOf(['variant', 'req/s', 'p99', 'time per request vs baseline'], ['l', 'r', 'r', 'l'], rows)].join('\n\n')
    }
    case 'load': {
      const rows = s.variants.map((v) => {
        const f = v.figures
        return [name(v), f ? `${formatCount(f.completedPerSec)}/s` : '', f ? formatDuration(f.latency.p99Ns) : '', f ? formatCount(f.dropped) : '', f ? formatBytes(f.peakRssBytes) : '', escapeMarkdown(variantState(v))]
      })
      return [`${title} · ${escapeMarkdown(s.level.name)} ${formatCount(s.level.value)}`, tableOf(['variant', 'completed/s', 'p99', 'dropped', 'peak RSS', 'state'], ['l', 'r', 'r', 'r', 'r', 'l'], rows)].join('\n\n')
    }
  }
}

function failuresBlock(result: RunResult): string {
  const lines: string[] = []
  for (const s of result.scenarios) {
    for (const v of failedVariants(s)) lines.push(`- ${escapeMarkdown(`${s.id}/${v.name}`)}: ${escapeMarkdown(variantState(v))}`)
    if (s.state === 'errored' && s.error) lines.push(`- ${escapeMarkdown(s.id)}: ${escapeMarkdown(s.error.message)}`)
  }
  return lines.length ? ['### Could not be measured', ...lines].join('\n') : ''
}

function footer(result: RunResult): string {
  const e = result.environment
  const git = e.git ? ` · ${gitText(e.git)}` : ''
  return `<sub>perfkit ${escapeMarkdown(result.perfkit)} · run ${escapeMarkdown(result.run.id)} · Node ${escapeMarkdown(e.node)} · ${escapeMarkdown(e.cpu.model)} × ${e.cpu.count}${escapeMarkdown(git)}${e.noise.length ? ` · ${escapeMarkdown(e.noise.join('; '))}` : ''}</sub>`
}

/** The summary as Markdown, within {@link MARKDOWN_LIMIT} characters. */
export function renderMarkdown(result: RunResult): string {
  const findings = gateFindings(result)
  const comparison = comparisonSection(result, findings)
  const against = againstSection(result, findings)
  const budgets = budgetsSection(result)
  const runDetails = result.scenarios.length ? details(`This run: ${plural(result.scenarios.length, 'scenario')}`, result.scenarios.map(scenarioTable).join('\n\n')) : ''
  // In the order they appear; when too long, the folded ones go first, from the last.
  const sections: Array<{ text: string; droppable: number }> = [
    { text: headline(findings, result), droppable: 0 },
    { text: overview(findings, result), droppable: 0 },
    { text: warningBlock(result), droppable: 0 },
    { text: failuresBlock(result), droppable: 0 },
    { text: against.lead, droppable: 0 },
    { text: against.folded, droppable: 2 },
    { text: comparison.lead, droppable: 0 },
    { text: comparison.folded, droppable: 2 },
    { text: budgets.lead, droppable: 0 },
    { text: budgets.folded, droppable: 1 },
    { text: runDetails, droppable: 3 },
    { text: footer(result), droppable: 0 },
  ]
  const assemble = () => sections.filter((s) => s.text).map((s) => s.text).join('\n\n') + '\n'
  let text = assemble()
  if (text.length > MARKDOWN_LIMIT) {
    sections.splice(sections.length - 1, 0, { text: '_Some details were left out to fit a comment; the JSON result and the HTML report have everything._', droppable: 0 })
    for (const level of [3, 2, 1]) {
      for (const section of sections) if (section.droppable === level) section.text = ''
      text = assemble()
      if (text.length <= MARKDOWN_LIMIT) break
    }
  }
  if (text.length > MARKDOWN_LIMIT) {
    const cut = text.lastIndexOf('\n', MARKDOWN_LIMIT - 200)
    text = `${text.slice(0, cut)}\n\n_Truncated to fit a comment; the JSON result and the HTML report have everything._\n`
  }
  return text
}

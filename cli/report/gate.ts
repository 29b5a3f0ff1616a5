/**
 * The gate in the terminal: the comparison with a baseline (one table per scenario) and the gate's
 * one-line conclusion. Pure: result in, text out; colour only when asked.
 */
import { gateFailed, gateFindings, type GateFindings } from '../gate/outcome.ts'
import type { AgainstRun, BaselineComparison, RegressionFigure, RegressionReading, RunResult, ScenarioRegression } from '../result/schema.ts'
import { budgetLine, paint, table, VERDICT_STYLE, type ConsoleOptions } from './console.ts'
import { formatBytes, formatChange, formatCount, formatDate, formatDuration, formatPercent, formatRate, formatRatio, gitText, plural } from './format.ts'

/** `[+1.0%, +9.6%]`: the interval of head ÷ base, as changes. */
export function intervalText(reading: RegressionReading): string {
  return `[${formatChange(reading.change.low)}, ${formatChange(reading.change.high)}]`
}

/** `+5.2% [+1.0%, +9.6%]`: head ÷ base as a change, with its interval. */
export function changeText(reading: RegressionReading): string {
  return `${formatChange(reading.change.estimate)} ${intervalText(reading)}`
}

/** A reading's two sides in its own unit: times for `time`, ratios for `ratio`. */
export function sidesText(reading: RegressionReading, kind: 'time' | 'ratio'): { base: string; head: string } {
  const show = kind === 'time' ? (x: number) => formatDuration(x) : (x: number) => formatRatio(x)
  return { base: show(reading.base), head: show(reading.head) }
}

/** A load figure in its unit. */
export function figureText(figure: RegressionFigure, value: number | undefined): string {
  switch (figure.dimension) {
    case 'time':
      return formatDuration(value)
    case 'bytes':
      return formatBytes(value)
    case 'rate':
      return formatRate(value)
    case 'count':
      return formatCount(value)
  }
}

/** Where the baseline came from, in one line. */
export function baselineOrigin(b: BaselineComparison): string {
  const git = b.base.git ? ` · ${gitText(b.base.git)}` : ''
  return `${b.name} (run ${b.base.runId}, ${formatDate(b.base.startedAt)}${git})`
}

/** The noise floors of a scenario, or why there are none. */
export function noiseText(s: ScenarioRegression): string {
  if (!s.noiseFloor) return 'no noise floor (baseline not calibrated)'
  const parts = [`time ${formatPercent(s.noiseFloor.time)}`]
  if (s.noiseFloor.ratio !== undefined) parts.push(`ratio ${formatPercent(s.noiseFloor.ratio)}`)
  return `noise floor ${parts.join(', ')}${s.baseRuns > 1 ? ` (base pools ${s.baseRuns} runs)` : ''}`
}

function scenarioLines(s: ScenarioRegression, options: ConsoleOptions): string[] {
  const lines = [`${paint(options, 'bold', s.id)} ${paint(options, 'dim', `— ${noiseText(s)}`)}`]
  for (const note of s.notes) lines.push(paint(options, 'yellow', `  ⚠ ${note}`))
  // The sides are medians of the rounds' figures (what the comparison judges), not the run table's median of every sample.
  const rows: string[][] = [['variant', 'base (median of rounds)', 'head (median of rounds)', 'time', `ratio to ${s.baselineVariant}`, 'verdict'].map((h) => paint(options, 'dim', h))]
  const notes: string[] = []
  for (const v of s.variants) {
    const label = v.variant === s.baselineVariant ? `${v.variant} ${paint(options, 'dim', '(baseline)')}` : v.variant
    if (v.state === 'not-compared') {
      if (v.time) {
        const sides = sidesText(v.time, 'time')
        rows.push([label, sides.base, sides.head, paint(options, 'dim', changeText(v.time)), '', paint(options, 'dim', 'not judged')])
      } else rows.push([label, '', '', '', '', paint(options, 'dim', 'not compared')])
      notes.push(`  ${v.variant}: ${v.reason}`)
      for (const figure of v.figures ?? []) {
        const change = figure.base && figure.head !== undefined ? ` (${formatChange(figure.head / figure.base)})` : ''
        notes.push(`    ${figure.metric}: ${figureText(figure, figure.base)} → ${figureText(figure, figure.head)}${change}`)
      }
      continue
    }
    const sides = sidesText(v.time, 'time')
    const decided = (reading: 'time' | 'ratio', text: string) => (v.decidedBy === reading ? text : paint(options, 'dim', text))
    rows.push([
      label,
      sides.base,
      sides.head,
      decided('time', changeText(v.time)),
      v.ratio ? decided('ratio', changeText(v.ratio)) : '',
      paint(options, VERDICT_STYLE[v.verdict], v.verdict),
    ])
    if (v.note) notes.push(`  ${v.variant}: ${v.note}`)
  }
  lines.push(table(rows, ['l', 'r', 'r', 'r', 'r', 'l']), ...notes)
  return lines
}

/** The comparison with the baseline: origin, loud warnings, one table per scenario. */
export function renderBaselineComparison(result: RunResult, options: ConsoleOptions): string {
  const b = result.baseline
  if (!b) return ''
  const lines = [paint(options, 'bold', `Compared with baseline ${baselineOrigin(b)}`)]
  for (const warning of b.warnings) lines.push(paint(options, 'yellow', `⚠ ${warning}`))
  lines.push(
    paint(
      options,
      'dim',
      `head ÷ base, ${formatPercent(1 - b.alpha)} intervals${b.calibrated ? ' widened by each scenario\'s noise floor' : ''}; minimum effect ${formatPercent(b.minEffect)}${b.calibrated ? ', raised to the noise floor' : ''}. A variant is judged on its ratio to the scenario's baseline variant (machine drift cancels); the baseline variant on its time${(result.run.settings.failOn ?? []).includes('time') ? '' : ', which fails the gate only with --fail-on time'}.`,
    ),
  )
  for (const s of b.scenarios) lines.push('', ...scenarioLines(s, options))
  if (b.onlyInRun.length) lines.push('', paint(options, 'dim', `not in the baseline (new): ${b.onlyInRun.join(', ')}`))
  if (b.onlyInBaseline.length) lines.push(paint(options, 'dim', `in the baseline, not in this run: ${b.onlyInBaseline.join(', ')}`))
  return lines.join('\n')
}

/** The gate's conclusion in one line, e.g. `gate: failed — 1 regression (noise-floor/b +5.2%), 1 budget failed`. */
export function gateLine(findings: GateFindings, options: ConsoleOptions, hasBaseline: boolean): string {
  const parts: string[] = []
  if (findings.regressions.length) {
    const names = findings.regressions.map((r) => `${r.scenario}/${r.variant.variant} ${formatChange(decidingChange(r.variant))}`)
    parts.push(`${plural(findings.regressions.length, 'regression')} (${names.join(', ')})`)
  }
  const against = findings.against
  if (against.regressions.length) {
    const names = against.regressions.map((r) => `${r.scenario}/${r.variant.variant} ${formatChange(r.variant.change.estimate)}`)
    parts.push(`${plural(against.regressions.length, 'variant')} slower than on the base (${names.join(', ')})`)
  }
  if (findings.budgets.failed.length) parts.push(`${plural(findings.budgets.failed.length, 'budget')} failed`)
  if (findings.slowerTimes.length) {
    const names = findings.slowerTimes.map((r) => `${r.scenario}/${r.variant.variant} ${formatChange(r.variant.time.change.estimate)}`)
    parts.push(`slower time, not gating without --fail-on time: ${names.join(', ')}`)
  }
  if (findings.inconclusive.length) parts.push(`${findings.inconclusive.length} inconclusive`)
  if (against.inconclusive.length) parts.push(`${against.inconclusive.length} inconclusive against the base`)
  if (findings.budgets.unmeasured.length) parts.push(`${plural(findings.budgets.unmeasured.length, 'budget')} not measured`)
  if (findings.budgets.undecided.length) parts.push(`${plural(findings.budgets.undecided.length, 'budget')} can't tell`)
  if (findings.failedVariants.length) parts.push(`${plural(findings.failedVariants.length, 'variant')} could not be measured`)
  const judgedAgainst = against.regressions.length + against.inconclusive.length + against.improvements.length + against.same
  if (judgedAgainst || against.notCompared) {
    parts.push(`against the base: ${against.same} same, ${against.improvements.length} faster${against.notCompared ? `, ${against.notCompared} not compared` : ''}`)
  }
  if (hasBaseline) parts.push(`${findings.same} same, ${findings.improvements.length} faster${findings.notCompared ? `, ${findings.notCompared} not compared` : ''}`)
  if (findings.budgets.passed) parts.push(`${plural(findings.budgets.passed, 'budget')} passed`)
  const strict = findings.failOn.length ? ` (--fail-on ${findings.failOn.join(',')})` : ''
  // The same order as the exit code: could not complete (3) before failed (1).
  if (findings.failedVariants.length || findings.unfinished) return `${paint(options, 'red', 'gate: incomplete')} — ${parts.join(' · ')}`
  if (gateFailed(findings)) return `${paint(options, 'red', 'gate: failed')}${strict} — ${parts.join(' · ')}`
  const warn = findings.inconclusive.length > 0 || against.inconclusive.length > 0 || findings.budgets.unmeasured.length > 0 || findings.budgets.undecided.length > 0 || findings.slowerTimes.length > 0
  return `${paint(options, warn ? 'yellow' : 'green', warn ? 'gate: passed with warnings' : 'gate: passed')}${parts.length ? ` — ${parts.join(' · ')}` : ''}`
}

/** Where the base of an `--against` run came from, in one line: `origin/main (1a2b3c4d5e Fix the broker)`. */
export function againstOrigin(a: AgainstRun): string {
  return `${a.ref} (${a.commit.slice(0, 10)}${a.subject ? ` ${a.subject}` : ''})`
}

/** `--against`: what was measured as the base and as the head, and what differs between the trees beyond single cases. */
export function renderAgainst(result: RunResult, options: ConsoleOptions): string {
  const a = result.against
  if (!a) return ''
  const head = `the working tree${a.head.commit ? ` (${a.head.commit.slice(0, 10)}${a.head.dirty ? ' with uncommitted changes, measured as they are' : ''})` : ''}`
  const lines = [
    paint(options, 'bold', `Against ${againstOrigin(a)}: head ${head}`),
    paint(
      options,
      'dim',
      `Each variant ran on both trees in one interleaved round plan; head ÷ base is paired by round, each life's pair of processes one unit; a variant slower than on the base fails the gate. Dependencies: ${a.dependencies.mode === 'shared' ? "the working tree's node_modules" : 'npm ci in the worktree'}${a.dependencies.reason ? ` (${a.dependencies.reason})` : ''}.`,
    ),
  ]
  for (const note of a.notes) lines.push(paint(options, 'yellow', `⚠ ${note}`))
  return lines.join('\n')
}

/** The change of the reading that decided a variant's verdict. */
export function decidingChange(v: { decidedBy: 'time' | 'ratio'; time: RegressionReading; ratio?: RegressionReading }): number {
  return (v.decidedBy === 'ratio' ? v.ratio! : v.time).change.estimate
}

/** Every budget of the run with its measured value (perfkit compare, which prints no scenario tables). */
export function renderBudgets(result: RunResult, options: ConsoleOptions): string {
  const lines: string[] = []
  for (const s of result.scenarios) for (const b of s.budgets) lines.push(`  ${budgetLine(b, options, s.id)}`)
  return lines.length ? [paint(options, 'bold', 'Budgets (as measured in the run)'), ...lines].join('\n') : ''
}

/**
 * The gate section a command prints: the baseline comparison (if any), the budgets when asked
 * (`perfkit run` already shows them under each scenario) and the conclusion.
 */
export function renderGate(result: RunResult, options: ConsoleOptions & { budgets?: boolean }): string {
  const parts = [renderAgainst(result, options), renderBaselineComparison(result, options), options.budgets ? renderBudgets(result, options) : '']
  parts.push(gateLine(gateFindings(result), options, result.baseline !== undefined))
  return parts.filter(Boolean).join('\n\n')
}

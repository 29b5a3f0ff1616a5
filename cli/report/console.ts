/**
 * The terminal reporter: a header with the environment, one table per scenario, a summary line.
 * Pure functions returning strings; colour only when asked (the CLI decides from TTY/NO_COLOR).
 */
import type {
  AnyVariantResult,
  Breakdown,
  BudgetResult,
  CaseTiming,
  ClaimOutcome,
  ClaimResult,
  Comparison,
  Environment,
  HttpScenarioResult,
  LoadScenarioResult,
  LoadVariantResult,
  MicroScenarioResult,
  RunResult,
  ScenarioResult,
  Verdict,
} from '../result/schema.ts'
import { claimOutcome } from '../result/schema.ts'
import { parseBudget, parseMetricReference } from '../gate/budget.ts'
import { failedVariants } from '../result/outcome.ts'
import { throughputRatio } from '../stats/compare.ts'
import { inconclusiveReason } from '../stats/verdict.ts'
import { median } from '../stats/describe.ts'
import { TIMING_PHASES, formatBytes, formatChange, formatCount, formatDuration, formatInteger, formatMs, formatPercent, formatRate, formatRatio, gitText, variantStateText } from './format.ts'

export interface ConsoleOptions {
  color: boolean
  /** Also where each case's time went (`--verbose`). */
  verbose?: boolean
}

const CODES = { red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, dim: 2, bold: 1 } as const
export type Style = keyof typeof CODES

export function paint(options: ConsoleOptions, style: Style, text: string): string {
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
  const git = e.git ? ` · ${gitText(e.git)}` : ''
  const lines = [
    paint(options, 'dim', `Node ${e.node} (V8 ${e.v8}) · ${e.cpu.model} × ${e.cpu.count} · load ${e.loadAverage.map((l) => l.toFixed(2)).join(' ')} · ${formatBytes(e.memory.totalBytes)} RAM${git}`),
  ]
  for (const warning of e.noise) lines.push(paint(options, 'yellow', `⚠ ${warning}`))
  return lines.join('\n')
}

export const VERDICT_STYLE: Record<Verdict, Style> = { slower: 'red', faster: 'green', same: 'dim', inconclusive: 'yellow' }

/** The verdict, and for `inconclusive` why in a few words ("p = 0.017 ≥ α 0.01"). */
function verdictText(comparison: Comparison | undefined, options: ConsoleOptions): string {
  if (!comparison) return ''
  const why = inconclusiveReason(comparison)
  return `${paint(options, VERDICT_STYLE[comparison.verdict], comparison.verdict)}${why ? paint(options, 'dim', ` (${why})`) : ''}`
}

/** Rounds, with the processes they were spread over when there were several: `24 (6 processes)`. */
function roundsText(variant: { rounds: ReadonlyArray<{ process?: number }> }): string {
  const processes = new Set(variant.rounds.map((r) => r.process ?? 0)).size
  return processes > 1 ? `${variant.rounds.length} (${processes} processes)` : String(variant.rounds.length)
}

function ratioText(comparison: Comparison | undefined): string {
  if (!comparison) return ''
  const { estimate, low, high } = comparison.ratio
  return `${formatRatio(estimate)} [${low.toFixed(2)}–${high.toFixed(2)}]`
}

/** Red for a failure of the run, yellow for a finding (a load cell out of memory or past its window), dim when skipped. */
function stateText(variant: AnyVariantResult, options: ConsoleOptions): string {
  const text = variantStateText(variant)
  if (!text) return ''
  const finding = variant.state === 'oom' || variant.state === 'interrupted' || (variant.state === 'timeout' && 'level' in variant && (variant.phase === 'window' || variant.phase === 'warm-up'))
  return paint(options, variant.state === 'skipped' ? 'dim' : finding ? 'yellow' : 'red', text)
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
  lines.push(...kindLines(scenario, options))
  lines.push(...againstLines(scenario, options))
  for (const budget of scenario.budgets) lines.push(`  ${budgetLine(budget, options)}`)
  for (const claim of scenario.claims) {
    const mark = claimMark(claimOutcome(claim), options)
    const published = claim.published ? `published ${claim.published}, ` : ''
    lines.push(`  claim "${claim.text}": ${published}measured ${claim.measuredText} — ${mark}`)
  }
  for (const warning of scenario.warnings) lines.push(paint(options, 'yellow', `  ⚠ ${warning}`))
  if (options.verbose && scenario.timing) lines.push(paint(options, 'dim', `  ${timingText(scenario.timing, scenario.durationMs)}`))
  return lines.join('\n')
}

/** `time: 9.8 s — process start-up and scenario load 2.2 s · setup 10 ms · …` */
export function timingText(timing: CaseTiming, durationMs: number): string {
  const parts = TIMING_PHASES.map(([key, label]) => `${label} ${formatMs(timing[key])}`)
  const rest = durationMs - TIMING_PHASES.reduce((sum, [key]) => sum + timing[key], 0)
  if (rest > 0) parts.push(`other ${formatMs(rest)}`)
  return `time: ${formatMs(durationMs)} — ${parts.join(' · ')}`
}

/**
 * `--against`: the head-vs-base table of a case — each variant's time on the ref (base) and in the
 * working tree (head), head ÷ base paired by round with its interval, and the verdict — then what
 * differs between the trees. Nothing for an ordinary run.
 */
export function againstLines(scenario: ScenarioResult, options: ConsoleOptions): string[] {
  const against = scenario.against
  if (!against) return []
  const perRequest = scenario.kind === 'http'
  const side = (ns: number) => (perRequest ? `${formatCount(1e9 / ns)} req/s` : formatDuration(ns))
  const rows: string[][] = [['head vs base', perRequest ? 'base' : 'base time/op', perRequest ? 'head' : 'head time/op', 'head ÷ base', 'verdict'].map((h) => paint(options, 'dim', h))]
  for (const v of against.variants) {
    const label = v.variant === scenario.baseline ? `${v.variant} ${paint(options, 'dim', '(baseline)')}` : v.variant
    if (v.state === 'not-compared') {
      rows.push([label, '', '', '', paint(options, 'dim', `not compared: ${v.reason}`)])
      continue
    }
    const { estimate, low, high } = v.change
    const why = inconclusiveReason({ ratio: v.change, pValue: v.pValue, minEffect: v.minEffect, alpha: v.alpha, verdict: v.verdict })
    rows.push([
      label,
      side(v.base),
      side(v.head),
      `${formatChange(estimate)} [${formatChange(low)}, ${formatChange(high)}]`,
      `${paint(options, VERDICT_STYLE[v.verdict], v.verdict)}${why ? paint(options, 'dim', ` (${why})`) : ''}`,
    ])
  }
  return [table(rows, ['l', 'r', 'r', 'r', 'l']), ...against.notes.map((note) => paint(options, 'yellow', `  ⚠ ${note}`))]
}

/** The table (and notes) of the scenario's kind. */
function kindLines(scenario: ScenarioResult, options: ConsoleOptions): string[] {
  switch (scenario.kind) {
    case 'micro':
      return microLines(scenario, options)
    case 'load':
      return loadLines(scenario, options)
    case 'http':
      return httpLines(scenario, options)
  }
}

function microLines(scenario: MicroScenarioResult, options: ConsoleOptions): string[] {
  const lines: string[] = []
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
      variantLabel(variant, options),
      stats ? formatDuration(stats.medianNs) : variant.state,
      stats ? formatDuration(stats.p99Ns) : '',
      stats ? formatCount(stats.opsPerSec) : '',
      variant.isBaseline ? paint(options, 'dim', '1.00×') : ratioText(comparison),
      variant.isBaseline ? '' : verdictText(comparison, options),
      memory ? formatBytes(memory.bytesPerOp) : '',
      roundsText(variant),
    ])
  }
  lines.push(table(rows, ['l', 'r', 'r', 'r', 'r', 'l', 'r', 'r']))
  lines.push(...notes)
  for (const variant of scenario.variants) {
    if (variant.state === 'completed' && variant.breakdown) lines.push(breakdownLine(variant.name, variant.breakdown, options))
    lines.push(...countersLines(variant))
  }
  return lines
}

/** What a load cell's state says in a table: empty when it completed. */
function cellStatus(variant: LoadVariantResult): string {
  switch (variant.state) {
    case 'completed': {
      const f = variant.figures
      // Offered but nothing came back within the window: the system is stuck, whatever its memory says.
      if (f.completed === 0 && f.emitted > 0) return f.dropped === f.emitted ? 'dropped all' : 'none handled'
      return f.dropped > 0 ? `drops ${formatPercent(f.dropped / Math.max(1, f.emitted))}` : 'ok'
    }
    case 'oom':
      return `oom after ${formatMs(variant.afterMs)}`
    case 'timeout':
      return 'timeout'
    case 'errored':
      return 'errored'
    case 'skipped':
      return 'skipped'
    case 'interrupted':
      return 'interrupted'
  }
}

function statusStyle(variant: LoadVariantResult): Style | undefined {
  switch (variant.state) {
    case 'completed':
      return variant.figures.dropped > 0 || variant.figures.completed === 0 ? 'yellow' : undefined
    case 'oom':
    case 'timeout':
    case 'interrupted':
      return 'yellow'
    case 'errored':
      return 'red'
    case 'skipped':
      return 'dim'
  }
}

/** A load case: one row per variant at this level (the level × variant table is printed per sweep). */
function loadLines(scenario: LoadScenarioResult, options: ConsoleOptions): string[] {
  const header = ['variant', 'events/s', 'offered/s', 'p50', 'p99', 'dropped', 'peak RSS', 'peak heap', 'loop p99', 'GC', 'status']
  const rows: string[][] = [header.map((h) => paint(options, 'dim', h))]
  const notes: string[] = []
  for (const variant of scenario.variants) {
    const f = variant.figures
    const problem = variant.state === 'completed' ? '' : stateText(variant, options)
    if (problem) notes.push(`  ${variant.name}: ${problem}${f ? paint(options, 'dim', ' (figures: as far as it got)') : ''}`)
    const style = statusStyle(variant)
    rows.push([
      variantLabel(variant, options),
      f ? formatCount(f.completedPerSec) : '',
      f ? formatCount(f.offeredPerSec) : '',
      f ? formatDuration(f.latency.p50Ns) : '',
      f ? formatDuration(f.latency.p99Ns) : '',
      f ? formatCount(f.dropped) : '',
      f ? formatBytes(f.peakRssBytes) : '',
      f ? formatBytes(f.peakHeapBytes) : '',
      f ? formatDuration(f.eventLoopDelay.p99Ns) : '',
      f ? `${f.gc.count} · ${formatMs(f.gc.totalMs)}` : '',
      style ? paint(options, style, cellStatus(variant)) : cellStatus(variant),
    ])
  }
  const { settings, level } = scenario
  const context = [
    `${level.name} ${formatInteger(level.value)}`,
    `window ${formatMs(settings.durationMs)} after ${formatMs(settings.warmupMs)} warm-up`,
    settings.maxMemoryMB ? `ceiling ${settings.maxMemoryMB} MB` : 'no memory ceiling',
  ]
  return [
    `  ${paint(options, 'dim', context.join(' · '))}`,
    table(rows, ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l']),
    ...notes,
    ...scenario.variants.flatMap(countersLines),
  ]
}

/** The variant a claim names (`'variant: metric'` of its check or metric), or undefined. */
function claimVariant(claim: ClaimResult): string | undefined {
  try {
    return claim.check ? parseBudget(claim.check).target : claim.metric ? parseMetricReference(claim.metric)?.target : undefined
  } catch {
    return undefined // a check this version cannot parse (an older or newer result): no variant to place it by
  }
}

/** The published figures of the claims that name this variant in this case, marked when judged. */
function claimedText(scenario: LoadScenarioResult, variant: string, options: ConsoleOptions): string {
  const parts: string[] = []
  for (const claim of scenario.claims) {
    if (claimVariant(claim) !== variant || !claim.published) continue
    const outcome = claimOutcome(claim)
    const mark = outcome === 'holds' ? paint(options, 'green', ' ✓') : outcome === 'does-not-hold' ? paint(options, 'red', ' ✗') : outcome === 'cant-tell' ? paint(options, 'yellow', ' ?') : ''
    parts.push(`${claim.published}${mark}`)
  }
  return parts.join(' · ')
}

/**
 * The level × variant table of a whole sweep (every level of one load scenario, in the seed's
 * shape: events/s, memory, status), with the source's published figures beside the measured ones,
 * and where each variant fell over.
 */
export function renderSweep(results: readonly LoadScenarioResult[], options: ConsoleOptions): string {
  if (results.length === 0) return ''
  const cases = [...results].sort((a, b) => a.level.value - b.level.value)
  const first = cases[0]!
  const source = first.source ? paint(options, 'dim', ` (${first.source})`) : ''
  const lines = [`${paint(options, 'bold', first.name)} — ${first.level.name} × variant${source}`]
  const claimed = first.source ? `${first.source} claimed` : 'claimed'
  const header = [first.level.name, 'variant', 'events/s', 'offered/s', 'p99', 'loop p99', 'peak RSS', 'dropped', 'status', claimed]
  const rows: string[][] = [header.map((h) => paint(options, 'dim', h))]
  for (const scenario of cases) {
    scenario.variants.forEach((variant, i) => {
      const f = variant.figures
      const style = statusStyle(variant)
      rows.push([
        i === 0 ? formatInteger(scenario.level.value) : '',
        variantLabel(variant, options),
        f ? formatCount(f.completedPerSec) : '',
        f ? formatCount(f.offeredPerSec) : '',
        f ? formatDuration(f.latency.p99Ns) : '',
        f ? formatDuration(f.eventLoopDelay.p99Ns) : '',
        f ? formatBytes(f.peakRssBytes) : '',
        f ? formatCount(f.dropped) : '',
        style ? paint(options, style, cellStatus(variant)) : cellStatus(variant),
        claimedText(scenario, variant.name, options),
      ])
    })
  }
  lines.push(table(rows, ['r', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'l', 'l']))
  lines.push(...sweepFindings(cases, options))
  return lines.join('\n')
}

/** Per variant: its throughput from the lowest to the highest level it completed, and where it fell over. */
function sweepFindings(cases: readonly LoadScenarioResult[], options: ConsoleOptions): string[] {
  const names = [...new Set(cases.flatMap((s) => s.variants.map((v) => v.name)))]
  const lines: string[] = []
  for (const name of names) {
    const cells = cases.map((s) => ({ level: s.level, cell: s.variants.find((v) => v.name === name) })).filter((x) => x.cell !== undefined)
    const skipped = cells.find((x) => x.cell!.state === 'skipped')
    if (skipped && cells.every((x) => x.cell!.state === 'skipped')) {
      lines.push(`  ${name}: ${paint(options, 'dim', `skipped — ${(skipped.cell as { reason: string }).reason}`)}`)
      continue
    }
    const completed = cells.filter((x) => x.cell!.state === 'completed')
    const parts: string[] = []
    if (completed.length > 0) {
      const low = completed[0]!
      const high = completed[completed.length - 1]!
      const rate = (x: (typeof completed)[number]) => x.cell!.figures!.completedPerSec
      parts.push(
        low === high
          ? `${formatRate(rate(low))} at ${formatInteger(low.level.value)}`
          : `${formatRate(rate(low))} at ${formatInteger(low.level.value)} → ${formatRate(rate(high))} at ${formatInteger(high.level.value)} (${formatRatio(rate(high) / Math.max(rate(low), 1e-9))})`,
      )
    }
    const broke = cells.find((x) => x.cell!.state === 'oom' || x.cell!.state === 'timeout' || x.cell!.state === 'errored')
    if (broke) {
      const cell = broke.cell!
      const why = cell.state === 'oom' ? `out of memory${cell.maxMemoryMB ? ` (ceiling ${cell.maxMemoryMB} MB)` : ''}` : cell.state
      parts.push(paint(options, cell.state === 'errored' ? 'red' : 'yellow', `falls over at ${formatInteger(broke.level.value)}: ${why}`))
    } else if (completed.length === cells.length) parts.push('held at every level')
    lines.push(`  ${name}: ${parts.join('; ')}`)
  }
  return lines
}

/**
 * An http case: requests/s, latency in whole microseconds (perfkit records each request's latency;
 * autocannon's own is whole milliseconds), the throughput ratio to the baseline with its interval,
 * the server's CPU time per request, the CPU share of the server and of the load generator (a
 * generator near 100 % means it, not the server, set the pace), then the per-request breakdown
 * with the variants side by side.
 */
function httpLines(scenario: HttpScenarioResult, options: ConsoleOptions): string[] {
  const header = ['variant', 'req/s', 'p50 µs', 'p99 µs', 'throughput vs baseline', 'verdict', 'errors', 'server RSS', 'CPU/req', 'CPU server', 'CPU load gen', 'rounds']
  const rows: string[][] = [header.map((h) => paint(options, 'dim', h))]
  const notes: string[] = []
  for (const variant of scenario.variants) {
    const comparison = scenario.comparisons.find((c) => c.variant === variant.name)
    // A variant that failed keeps the figures of the rounds before it failed.
    const stats = variant.stats
    const problem = stateText(variant, options)
    if (problem) notes.push(`  ${variant.name}: ${problem}${stats ? ` (figures from the ${stats.rounds} rounds before)` : ''}`)
    const cpu = (pick: (r: HttpScenarioResult['variants'][number]['rounds'][number]) => number | undefined) => {
      const values = variant.rounds.map(pick).filter((v): v is number => v !== undefined)
      return values.length ? formatPercent(median(values)) : ''
    }
    rows.push([
      variantLabel(variant, options),
      stats ? formatCount(stats.requestsPerSec) : variant.state,
      stats ? formatInteger(stats.latency.p50Ns / 1000) : '',
      stats ? formatInteger(stats.latency.p99Ns / 1000) : '',
      variant.isBaseline ? paint(options, 'dim', '1.00×') : throughputText(comparison),
      variant.isBaseline ? '' : verdictText(comparison, options),
      stats ? formatCount(stats.errors + stats.timeouts + stats.non2xx) : '',
      variant.process ? formatBytes(variant.process.peakRssBytes) : '',
      stats?.serverCpuPerRequestNs !== undefined ? formatDuration(stats.serverCpuPerRequestNs) : '',
      cpu((r) => r.serverCpu),
      cpu((r) => r.generatorCpu),
      roundsText(variant),
    ])
  }
  const s = scenario.settings
  const lines = [
    `  ${scenario.request.method} ${scenario.request.path} · ${scenario.level.name} ${formatCount(scenario.level.value)} · windows of ${formatMs(s.roundMs)} after ${formatMs(s.warmupMs)} of warm-up${s.workers ? ` · ${s.workers} load workers` : ''}`,
    table(rows, ['l', 'r', 'r', 'r', 'r', 'l', 'r', 'r', 'r', 'r', 'r', 'r']),
    ...notes,
    ...httpBreakdownLines(scenario, options),
  ]
  for (const variant of scenario.variants) lines.push(...countersLines(variant))
  return lines
}

/** The per-request breakdown of every variant that has one, phases as rows: mean µs per request and share. */
function httpBreakdownLines(scenario: HttpScenarioResult, options: ConsoleOptions): string[] {
  const traced = scenario.variants.flatMap((v) => (v.state === 'completed' && v.breakdown ? [{ name: v.name, breakdown: v.breakdown }] : []))
  if (traced.length === 0) return []
  const weight = new Map<string, number>()
  for (const { breakdown } of traced) for (const p of breakdown.phases) weight.set(p.name, Math.max(weight.get(p.name) ?? 0, p.share))
  const phases = [...weight.keys()].sort((a, b) => weight.get(b)! - weight.get(a)!)
  const cell = (meanNs: number, share: number) => `${formatDuration(meanNs)} ${paint(options, 'dim', formatPercent(share).padStart(4))}`
  const rows: string[][] = [['phase', ...traced.map((t) => t.name)].map((h) => paint(options, 'dim', h))]
  for (const phase of phases) {
    rows.push([phase, ...traced.map(({ breakdown }) => {
      const p = breakdown.phases.find((x) => x.name === phase)
      return p ? cell(p.meanNs, p.share) : ''
    })])
  }
  rows.push([paint(options, 'dim', '(unattributed)'), ...traced.map(({ breakdown }) => cell(breakdown.restMeanNs, breakdown.restShare))])
  rows.push([paint(options, 'bold', 'traced total'), ...traced.map(({ breakdown }) => `${formatDuration(breakdown.totalMeanNs)} ${paint(options, 'dim', `×${formatCount(breakdown.ops)}`)}`)])
  const b = scenario.settings.breakdown
  const how = b ? ` (traced pass: ${b.connections} connection${b.connections === 1 ? '' : 's'}, ${formatMs(b.durationMs)}; mean per request)` : ''
  return [`  ${paint(options, 'cyan', 'per-request breakdown')}${how}`, table(rows, ['l', ...traced.map(() => 'r' as const)], '    ')]
}

function claimMark(outcome: ClaimOutcome, options: ConsoleOptions): string {
  switch (outcome) {
    case 'holds':
      return paint(options, 'green', 'holds')
    case 'does-not-hold':
      return paint(options, 'red', 'does not hold')
    case 'cant-tell':
      return paint(options, 'yellow', "can't tell")
    case 'not-judged':
      return paint(options, 'dim', 'not judged')
  }
}

/** `✓ budget broker: ratio <= 1.10: 1.04×` (`✓ <where>: budget …` when `where` is given), with its message. */
export function budgetLine(budget: BudgetResult, options: ConsoleOptions, where?: string): string {
  const mark = budget.state === 'pass' ? paint(options, 'green', '✓') : budget.state === 'fail' ? paint(options, 'red', '✗') : budget.state === 'cant-tell' ? paint(options, 'yellow', "? can't tell:") : paint(options, 'yellow', '?')
  const target = budget.expression.trimStart().startsWith('*') ? ` (${budget.variant})` : ''
  return `${mark} ${where ? `${where}: ` : ''}budget ${budget.expression}${target}: ${budget.measuredText}${budget.message ? ` — ${budget.message}` : ''}`
}

function variantLabel(variant: AnyVariantResult, options: ConsoleOptions): string {
  return variant.isBaseline ? `${variant.name} ${paint(options, 'dim', '(baseline)')}` : variant.name
}

/** Throughput ratio (1 / time ratio) with its interval, for http comparisons. */
function throughputText(comparison: Comparison | undefined): string {
  if (!comparison) return ''
  const { estimate, low, high } = throughputRatio(comparison)
  return `${formatRatio(estimate)} [${low.toFixed(2)}–${high.toFixed(2)}]`
}

function breakdownLine(name: string, b: Breakdown, options: ConsoleOptions): string {
  const parts = b.phases.map((p) => `${p.name} ${formatPercent(p.share)}`)
  if (b.overlapping) return `  ${paint(options, 'cyan', `${name} breakdown`)} (traced ${formatDuration(b.totalMeanNs)}/op; phases ran concurrently, so shares add up to ${formatPercent(1 - b.restShare)}): ${parts.join(' · ')}`
  parts.push(`rest ${formatPercent(b.restShare)}`)
  return `  ${paint(options, 'cyan', `${name} breakdown`)} (traced ${formatDuration(b.totalMeanNs)}/op): ${parts.join(' · ')}`
}

function countersLines(variant: AnyVariantResult): string[] {
  if (!variant.counters || Object.keys(variant.counters).length === 0) return []
  return [`  ${variant.name} counters: ${Object.entries(variant.counters).map(([k, v]) => `${k}=${formatCount(v)}`).join(' ')}`]
}

/** One line: how many scenarios, verdict counts, failed budgets, failed variants. */
export function renderSummary(result: RunResult, options: ConsoleOptions): string {
  const verdicts: Record<Verdict, number> = { slower: 0, faster: 0, same: 0, inconclusive: 0 }
  let failed = 0
  let failedBudgets = 0
  for (const s of result.scenarios) {
    s.comparisons.forEach((c) => verdicts[c.verdict]++)
    failed += failedVariants(s).length
    failedBudgets += s.budgets.filter((b) => b.state === 'fail').length
  }
  const parts = [
    `${result.scenarios.length} scenario${result.scenarios.length === 1 ? '' : 's'}`,
    `${verdicts.faster} faster, ${verdicts.slower} slower, ${verdicts.same} same, ${verdicts.inconclusive} inconclusive`,
  ]
  if (failedBudgets) parts.push(paint(options, 'red', `${failedBudgets} budget${failedBudgets === 1 ? '' : 's'} failed`))
  if (failed) parts.push(paint(options, 'red', `${failed} variant${failed === 1 ? '' : 's'} failed`))
  if (result.run.state === 'interrupted') parts.push(paint(options, 'yellow', 'interrupted'))
  return parts.join(' · ')
}

/** The whole run at once (used by `perfkit report --format console`). */
export function renderConsole(result: RunResult, options: ConsoleOptions): string {
  const sweeps = new Map<string, LoadScenarioResult[]>()
  for (const s of result.scenarios) if (s.kind === 'load') sweeps.set(s.name, [...(sweeps.get(s.name) ?? []), s])
  return (
    [
      renderEnvironment(result.environment, options),
      ...result.scenarios.map((s) => renderScenario(s, options)),
      ...[...sweeps.values()].map((cases) => renderSweep(cases, options)),
      renderSummary(result, options),
    ].join('\n\n') + '\n'
  )
}

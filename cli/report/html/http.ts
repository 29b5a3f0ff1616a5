/**
 * Sections of an `http` sweep: each variant's verdict against the baseline at every level, a variant ×
 * level table, curves of requests per second, p99 latency, throughput ratio and server memory against
 * the number of connections, the per-request latency breakdown, then each level in detail.
 *
 * Comparisons are paired by round on time per request, so `ratio` > 1 is slower; this page speaks in
 * throughput (requests per second), whose ratio is 1 / ratio: > 1 serves more.
 */
import { throughputRatio } from '../../stats/compare.ts'
import { median } from '../../stats/describe.ts'
import type { Comparison, HttpScenarioResult, HttpStats, HttpVariantResult, Verdict } from '../../result/schema.ts'
import {
  BYTE_UNITS,
  COUNT_UNITS,
  DURATION_UNITS,
  MISSING,
  formatBytes,
  formatDuration,
  formatInteger,
  formatMs,
  formatPercent,
  formatRate,
  formatRatio,
  pickUnit,
  inUnit,
} from '../format.ts'
import { breakdownChart, percentileChart, roundsChart } from './charts.ts'
import { block, pValueText, sortByRank, stateBadge, variantLabel, variantProblem, verdictBadge } from './common.ts'
import { variantColours, withAlpha, type ReportContext } from './context.ts'
import { EMPTY, html, table, type SafeHtml } from './markup.ts'
import { levelCurve, levelDetail, levelLabel, levelMatrix, levelTicks, sweepSections, type CurveSeries, type Sweep } from './sweep.ts'

type HttpSweep = Sweep<HttpScenarioResult>
type Cell = HttpVariantResult

function cellOf(c: HttpScenarioResult, variant: string): Cell | undefined {
  return c.variants.find((v) => v.name === variant)
}

function comparisonOf(c: HttpScenarioResult, variant: string): Comparison | undefined {
  return c.comparisons.find((x) => x.variant === variant)
}

function completedStats(cell: Cell | undefined): HttpStats | undefined {
  return cell?.state === 'completed' ? cell.stats : undefined
}

function throughputText(c: Comparison): string {
  const t = throughputRatio(c)
  return `${formatRatio(t.estimate)} [${formatRatio(t.low)}–${formatRatio(t.high)}]`
}

function failureText(cell: Cell): string {
  switch (cell.state) {
    case 'errored':
      return `errored in ${cell.phase}: ${cell.error.message}`
    case 'timeout':
      return `timed out in ${cell.phase} (limit ${formatMs(cell.timeoutMs)})`
    case 'interrupted':
      return 'was interrupted'
    case 'completed':
      return 'completed'
  }
}

const VERDICT_PHRASES: Record<Verdict, (baseline: string) => SafeHtml> = {
  slower: (b) => html`is <strong class="t-slower">slower</strong> than ${b} (serves fewer requests per second)`,
  faster: (b) => html`is <strong class="t-faster">faster</strong> than ${b} (serves more requests per second)`,
  same: (b) => html`is <strong class="t-same">the same</strong> as ${b}`,
  inconclusive: (b) => html`<strong class="t-inconclusive">cannot yet be told apart</strong> from ${b}`,
}

/** One sentence per compared variant over every level; failures named with their level. */
function headline(sweep: HttpSweep, name: string): SafeHtml | undefined {
  const baseline = sweep.cases[0]!.baseline
  const compared = sweep.cases.flatMap((c) => {
    const cmp = comparisonOf(c, name)
    return cmp ? [{ c, cmp }] : []
  })
  const failed = sweep.cases.flatMap((c) => {
    const cell = cellOf(c, name)
    return cell && cell.state !== 'completed' ? [{ c, cell }] : []
  })
  if (compared.length === 0 && failed.length === 0) return undefined
  const at = (c: HttpScenarioResult) => formatInteger(c.level.value)
  const parts: SafeHtml[] = []
  if (compared.length > 0) {
    const verdicts = new Set(compared.map((x) => x.cmp.verdict))
    const figures = compared.map((x) => html`${formatRatio(throughputRatio(x.cmp).estimate)} at ${at(x.c)}`)
    const list = html`${figures.map((f, i) => html`${i ? (i === figures.length - 1 ? ' and ' : ', ') : ''}${f}`)}`
    if (verdicts.size === 1) {
      const every = compared.length === sweep.cases.length ? 'at every level' : compared.length === 1 ? `at ${sweep.levelName} ${at(compared[0]!.c)}` : `at each level it was compared`
      parts.push(html`${VERDICT_PHRASES[compared[0]!.cmp.verdict](baseline)} ${every}: throughput ${list} ${sweep.levelName}`)
    } else {
      const each = compared.map((x) => html`${verdictBadge(x.cmp.verdict)} at ${at(x.c)} (${formatRatio(throughputRatio(x.cmp).estimate)})`)
      parts.push(html`against ${baseline}, throughput ${each.map((e, i) => html`${i ? ', ' : ''}${e}`)} ${sweep.levelName}`)
    }
  }
  for (const x of failed) parts.push(html`<strong class="t-slower">${failureText(x.cell)}</strong> at ${at(x.c)}`)
  return html`<strong>${name}</strong> ${parts.map((p, i) => html`${i ? '; ' : ''}${p}`)}.`
}

/** Verdicts in sentences, and a variant × level table of requests per second and throughput ratio. */
export function httpSummarySection(sweep: HttpSweep): SafeHtml {
  if (sweep.variants.length === 0) return block('Results', html`<p class="empty">This sweep has no variants.</p>`)
  const lines = sweep.variants.filter((v) => !v.isBaseline).flatMap((v) => {
    const line = headline(sweep, v.name)
    return line ? [html`<li>${line}</li>`] : []
  })
  const baselineProblems = sweep.cases.flatMap((c) => {
    const base = cellOf(c, c.baseline)
    if (base?.state === 'completed') return []
    return [html`<p class="callout warn">At ${levelLabel(sweep, c.level.value)} the baseline <strong>${c.baseline}</strong> ${base ? failureText(base) : 'is missing'}, so no variant could be compared there.</p>`]
  })
  const matrix = levelMatrix(
    sweep,
    (name, c) => {
      const cell = cellOf(c as HttpScenarioResult, name)
      if (!cell) return MISSING
      const stats = completedStats(cell)
      if (!stats) return stateBadge(cell.state)
      const cmp = comparisonOf(c as HttpScenarioResult, name)
      const vs = cell.isBaseline ? html`<span class="muted">baseline</span>` : cmp ? html`${formatRatio(throughputRatio(cmp).estimate)} ${verdictBadge(cmp.verdict)}` : html`<span class="muted">not compared</span>`
      return html`${formatRate(stats.requestsPerSec)}<div class="small">${vs}</div>`
    },
    variantLabel,
  )
  const first = sweep.cases[0]!
  const note = html`<code>${first.request.method} ${first.request.path}</code>${first.request.bodyBytes ? ` with a ${formatBytes(first.request.bodyBytes)} body` : ''}. Rounds of ${formatMs(first.settings.roundMs)} per variant, interleaved; the verdict compares time per request, paired by round (minimum effect ±${formatPercent(first.settings.minEffect)}, α ${first.settings.alpha}). Cells give requests per second and throughput relative to ${first.baseline}.`
  return block('Results', html`${lines.length ? html`<ul class="headlines">${lines}</ul>` : EMPTY}${baselineProblems}${matrix}`, note)
}

function failureMarker(sweep: HttpSweep, name: string, index: number, read: (s: HttpStats) => number | undefined): number | undefined {
  const cell = cellOf(sweep.cases[index]!, name)
  const partial = cell && cell.state !== 'completed' ? cell.stats : undefined
  if (partial) return read(partial)
  for (let i = index - 1; i >= 0; i--) {
    const s = completedStats(cellOf(sweep.cases[i]!, name))
    if (s) return read(s)
  }
  return undefined
}

function curveSeries(sweep: HttpSweep, colours: Map<string, string>, read: (s: HttpStats, cell: Cell) => number | undefined, format: (v: number) => string): CurveSeries[] {
  return sweep.variants.map((v) => {
    const cells = sweep.cases.map((c) => cellOf(c, v.name))
    const value = (cell: Cell | undefined) => {
      const s = completedStats(cell)
      return s && cell ? read(s, cell) : undefined
    }
    return {
      name: v.name,
      colour: colours.get(v.name)!,
      values: cells.map(value),
      tooltips: cells.map((cell) => {
        const x = value(cell)
        return x === undefined ? null : `${v.name}: ${format(x)}`
      }),
      failures: cells.flatMap((cell, index) => {
        if (!cell || (cell.state !== 'errored' && cell.state !== 'timeout')) return []
        return [{ index, y: failureMarker(sweep, v.name, index, (s) => read(s, cell)), text: `${v.name} ${failureText(cell)}` }]
      }),
    }
  })
}

/** Throughput ratio to the baseline at each level, as intervals (box) with the estimate (line). */
function ratioChart(sweep: HttpSweep, ctx: ReportContext, colours: Map<string, string>): SafeHtml {
  const compared = sweep.variants.filter((v) => !v.isBaseline && sweep.cases.some((c) => comparisonOf(c, v.name)))
  if (compared.length === 0) return EMPTY
  const all = sweep.cases.flatMap((c) => c.comparisons.map(throughputRatio))
  const minEffect = sweep.cases[0]!.settings.minEffect
  const level = formatPercent(sweep.cases[0]!.settings.level)
  const low = Math.min(1 - minEffect, ...all.map((t) => t.low))
  const high = Math.max(1 + minEffect, ...all.map((t) => t.high))
  const pad = (high - low) * 0.08
  return ctx.chart({
    label: `Throughput of each variant relative to ${sweep.cases[0]!.baseline} at each ${sweep.levelName} level, with ${level} intervals`,
    height: 280,
    caption: html`Requests per second ÷ ${sweep.cases[0]!.baseline}'s, per level: the box is the ${level} interval, the line in it the estimate. Above the dashed line at 1× serves more; the shaded band is ±${formatPercent(minEffect)}.`,
    config: {
      type: 'boxplot',
      data: {
        labels: levelTicks(sweep),
        datasets: compared.map((v) => ({
          label: v.name,
          data: sweep.cases.map((c) => {
            const cmp = comparisonOf(c, v.name)
            if (!cmp) return null
            const t = throughputRatio(cmp)
            return { min: t.low, q1: t.low, median: t.estimate, q3: t.high, max: t.high, whiskerMin: t.low, whiskerMax: t.high, mean: t.estimate, items: [], outliers: [] }
          }),
          backgroundColor: withAlpha(colours.get(v.name)!, 0.35),
          borderColor: colours.get(v.name),
          borderWidth: 1.5,
          medianColor: '#0f172a',
          itemRadius: 0,
          outlierRadius: 0,
        })),
      },
      options: {
        scales: {
          x: { title: { display: true, text: sweep.levelName } },
          y: { type: 'linear', beginAtZero: false, suggestedMin: Math.max(0, low - pad), suggestedMax: high + pad, title: { display: true, text: `throughput ÷ ${sweep.cases[0]!.baseline} (×)` } },
        },
        plugins: { legend: { position: 'bottom' }, perfkitBand: { axis: 'y', from: 1 - minEffect, to: 1 + minEffect, at: 1 } },
      },
    },
    tooltips: compared.map((v) =>
      sweep.cases.map((c) => {
        const cmp = comparisonOf(c, v.name)
        if (!cmp) return null
        return [`${v.name} at ${formatInteger(c.level.value)}: throughput ${throughputText(cmp)}`, `${cmp.verdict}, ${pValueText(cmp.pValue)} (n = ${cmp.n})`]
      }),
    ),
  })
}

/** Requests per second, p99 latency, throughput ratio and server peak RSS against the level. */
export function httpCurvesSection(sweep: HttpSweep, ctx: ReportContext): SafeHtml {
  if (sweep.cases.length < 2) return EMPTY
  const colours = variantColours(sweep.variants)
  const marker = 'A ✕ marks the level where a variant failed, at its last figure.'
  const charts = [
    levelCurve(sweep, ctx, {
      label: `Requests per second against ${sweep.levelName}, per variant`,
      caption: html`Median over rounds of requests per second: higher is better. ${marker}`,
      axis: 'requests per second',
      units: COUNT_UNITS,
      unitSuffix: '/s',
      series: curveSeries(sweep, colours, (s) => s.requestsPerSec, formatRate),
    }),
    levelCurve(sweep, ctx, {
      label: `p99 request latency against ${sweep.levelName}, per variant`,
      caption: html`99th percentile of request latency, recorded per request at µs resolution: lower is better. ${marker}`,
      axis: 'p99 latency',
      units: DURATION_UNITS,
      series: curveSeries(sweep, colours, (s) => s.latency.p99Ns, formatDuration),
    }),
    ratioChart(sweep, ctx, colours),
    levelCurve(sweep, ctx, {
      label: `Server peak resident memory against ${sweep.levelName}, per variant`,
      caption: html`Peak RSS of each variant's server process. ${marker}`,
      axis: 'server peak RSS',
      units: BYTE_UNITS,
      series: curveSeries(sweep, colours, (_s, cell) => cell.process?.peakRssBytes, formatBytes),
    }),
  ]
  return block(`Against ${sweep.levelName}`, html`<div class="charts-2">${charts}</div>`)
}

/** Where a request's time goes, per variant and level: traced phases plus the unattributed rest. */
export function httpBreakdownSection(sweep: HttpSweep, ctx: ReportContext): SafeHtml {
  // Variant by variant, each over the levels: how a variant's phases grow with the load reads down the chart.
  const bars = sweep.variants.flatMap(({ name }) =>
    sweep.cases.flatMap((c) => {
      const v = cellOf(c, name)
      return v?.state === 'completed' && v.breakdown && v.breakdown.phases.length + (v.breakdown.restMeanNs > 0 ? 1 : 0) > 0 ? [{ label: `${v.name} · ${formatInteger(c.level.value)}`, breakdown: v.breakdown }] : []
    }),
  )
  if (bars.length === 0) return EMPTY
  const figure = breakdownChart(ctx, {
    label: `Latency breakdown per request, per variant and ${sweep.levelName}`,
    height: 90 + 34 * bars.length,
    caption: (unit) => html`Mean self time per request in each traced phase (${unit.symbol}), labelled <em>variant · ${sweep.levelName}</em>; grey is time no phase accounts for. From a separate traced pass.`,
    axis: 'mean time per request',
    bars,
  })
  return block('Latency breakdown', figure)
}

/** The baseline, then compared variants from the highest throughput ratio, then the rest, then failures. */
function orderCells(c: HttpScenarioResult): Cell[] {
  const ratio = new Map(c.comparisons.map((x) => [x.variant, x.ratio.estimate]))
  const rank = (v: Cell): [number, number] => {
    if (v.isBaseline || v.name === c.baseline) return [0, 0]
    if (v.state === 'completed') return ratio.has(v.name) ? [1, ratio.get(v.name)!] : [2, -v.stats.requestsPerSec]
    return [3, 0]
  }
  return sortByRank(c.variants, rank)
}

function roundsAtLevel(sweep: HttpSweep, c: HttpScenarioResult, ctx: ReportContext, colours: Map<string, string>): SafeHtml {
  const withRounds = orderCells(c).filter((v) => v.rounds.length > 0)
  if (withRounds.length === 0) return EMPTY
  const unit = pickUnit(Math.max(...withRounds.flatMap((v) => v.rounds.map((r) => r.requestsPerSec))), COUNT_UNITS)
  return roundsChart(ctx, {
    label: `Distribution of per-round requests per second, per variant, at ${levelLabel(sweep, c.level.value)}`,
    caption: html`One point per round: its requests per second (${unit.symbol}/s). The box spans the middle half of the rounds; a tight box means the rounds agreed.`,
    variants: withRounds,
    colours,
    series: 'requests per second per round',
    values: (v) => v.rounds.map((r) => inUnit(r.requestsPerSec, unit)),
    axis: `requests per second per round (${unit.symbol}/s)`,
    tooltips: (v) => [`${v.rounds.length} round${v.rounds.length === 1 ? '' : 's'}`, `median ${formatRate(median(v.rounds.map((r) => r.requestsPerSec)))}`],
  })
}


function percentilesAtLevel(sweep: HttpSweep, c: HttpScenarioResult, ctx: ReportContext, colours: Map<string, string>): SafeHtml {
  return percentileChart(ctx, {
    label: `Request latency percentiles per variant at ${levelLabel(sweep, c.level.value)}`,
    caption: (unit, logarithmic) => html`Request latency at each percentile over every request of every round (${unit.symbol}${logarithmic ? ', log scale' : ''}).`,
    variants: orderCells(c).filter((v): v is Extract<Cell, { state: 'completed' }> => v.state === 'completed'),
    latency: (v) => v.stats.latency,
    colours,
  })
}

/** Every level in detail: verdicts, latency, errors and server memory per variant; rounds and percentiles. */
export function httpLevelsSection(sweep: HttpSweep, ctx: ReportContext): SafeHtml {
  const colours = variantColours(sweep.variants)
  const levels = sweep.cases.map((c) => {
    const stats = (v: Cell) => v.stats
    const interval = formatPercent(c.settings.level)
    const body = table<Cell>(
      [
        { header: 'Variant', cell: variantLabel },
        { header: 'Requests/s', cell: (v) => formatRate(stats(v)?.requestsPerSec), numeric: true, help: 'Median over rounds' },
        {
          header: 'Throughput vs baseline',
          numeric: true,
          help: `Requests per second ÷ the baseline's (1 ÷ the paired time-per-request ratio), with its ${interval} interval`,
          cell: (v) => {
            if (v.isBaseline) return v.state === 'completed' ? html`<span class="muted">1×</span>` : MISSING
            const cmp = comparisonOf(c, v.name)
            if (!cmp) return MISSING
            const t = throughputRatio(cmp)
            return html`${formatRatio(t.estimate)}<div class="small muted">${formatRatio(t.low)}–${formatRatio(t.high)}</div>`
          },
        },
        {
          header: 'Verdict',
          cell: (v) => {
            if (v.isBaseline) return html`<span class="badge muted">baseline</span>`
            const cmp = comparisonOf(c, v.name)
            return cmp ? html`${verdictBadge(cmp.verdict)} <span class="pvalue">${pValueText(cmp.pValue)}</span>` : html`<span class="muted">not compared</span>`
          },
        },
        { header: 'p50', cell: (v) => formatDuration(stats(v)?.latency.p50Ns), numeric: true },
        { header: 'p99', cell: (v) => formatDuration(stats(v)?.latency.p99Ns), numeric: true },
        { header: 'Errors', cell: (v) => (stats(v) ? formatInteger(stats(v)!.errors + stats(v)!.timeouts + stats(v)!.non2xx) : MISSING), numeric: true, help: 'Connection errors + timeouts + non-2xx responses' },
        { header: 'Server RSS', cell: (v) => (v.process ? html`${formatBytes(v.process.peakRssBytes)}<div class="small muted">GC ${formatInteger(v.process.gc.count)} × ${formatMs(v.process.gc.totalMs)}</div>` : MISSING), numeric: true, help: 'Peak RSS of the server process; its GC runs and their total time' },
        { header: 'Rounds', cell: (v) => String(v.rounds.length), numeric: true },
        { header: 'State', cell: (v) => stateBadge(v.state) },
      ],
      orderCells(c),
      { className: 'http-level', detail: (v) => variantProblem(v, ' (the figures in this row)'), rowClass: (v) => `variant-${v.state}` },
    )
    const charts = [roundsAtLevel(sweep, c, ctx, colours), percentilesAtLevel(sweep, c, ctx, colours)]
    const what = html`<span class="muted small">${c.request.method} ${c.request.path} · rounds of ${formatMs(c.settings.roundMs)} after ${formatMs(c.settings.warmupMs)} of warm-up</span>`
    return levelDetail(sweep, c, { about: what, figures: body, variants: orderCells(c), charts })
  })
  return block('Each level', html`${levels}`)
}

/** An http sweep's sections, in page order (the header first). */
export function httpSections(sweep: HttpSweep, ctx: ReportContext): SafeHtml[] {
  return sweepSections(sweep, ctx, [
    httpSummarySection(sweep),
    httpCurvesSection(sweep, ctx),
    httpBreakdownSection(sweep, ctx),
    httpLevelsSection(sweep, ctx),
  ])
}

/**
 * Sections of a `load` sweep: what happened to each variant as the level rose (and where it fell
 * over), a variant × level table, curves of throughput, p99 latency, peak RSS and event-loop delay
 * against the level, then each level in detail. Each section is one function of the sweep.
 */
import type { LoadFigures, LoadScenarioResult, LoadVariantResult } from '../../result/schema.ts'
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
  pickUnit,
  inUnit,
} from '../format.ts'
import { percentileChart } from './charts.ts'
import { block, stack, variantLabel } from './common.ts'
import { variantColours, type ReportContext } from './context.ts'
import { EMPTY, html, table, type SafeHtml } from './markup.ts'
import { levelCurve, levelDetail, levelLabel, levelMatrix, sweepSections, type CurveSeries, type Sweep } from './sweep.ts'

type LoadSweep = Sweep<LoadScenarioResult>
type Cell = LoadVariantResult

/** A state in which the variant fell over at this level: the finding a load sweep looks for. */
const FELL_OVER = new Set<Cell['state']>(['oom', 'timeout', 'errored'])

function cellOf(c: LoadScenarioResult, variant: string): Cell | undefined {
  return c.variants.find((v) => v.name === variant)
}

/** Figures of a completed cell; partial figures of one that fell over are read separately. */
function completedFigures(cell: Cell | undefined): LoadFigures | undefined {
  return cell?.state === 'completed' ? cell.figures : undefined
}

/** What happened to a cell that did not complete, in a few words. */
export function fellOverText(cell: Cell, c: Pick<LoadScenarioResult, 'settings'>): string {
  switch (cell.state) {
    case 'oom': {
      const ceiling = cell.maxMemoryMB ?? c.settings.maxMemoryMB
      return `ran out of memory${ceiling ? ` (heap ceiling ${formatInteger(ceiling)} MB)` : ''} after ${formatMs(cell.afterMs)}`
    }
    case 'timeout':
      return `timed out in ${cell.phase} (limit ${formatMs(cell.timeoutMs)})`
    case 'errored':
      return `errored in ${cell.phase}: ${cell.error.message}`
    case 'skipped':
      return `was skipped: ${cell.reason}`
    case 'interrupted':
      return 'was interrupted'
    case 'completed':
      return 'completed'
  }
}

const CELL_BADGES: Record<Cell['state'], [string, string]> = {
  completed: ['✓', 'state-completed'],
  oom: ['✗ out of memory', 'state-oom'],
  timeout: ['◔ timed out', 'state-timeout'],
  errored: ['✗ errored', 'state-errored'],
  skipped: ['– skipped', 'state-skipped'],
  interrupted: ['■ interrupted', 'state-interrupted'],
}

function cellBadge(state: Cell['state']): SafeHtml {
  const [label, className] = CELL_BADGES[state] ?? [state, 'state-unknown']
  return html`<span class="badge ${className}">${label}</span>`
}

/** `70.0 k/s → 64.0 k/s`, or one figure when the first and last are the same level. */
function span(values: number[], format: (v: number) => string): string {
  if (values.length === 0) return MISSING
  if (values.length === 1) return format(values[0]!)
  return `${format(values[0]!)} → ${format(values[values.length - 1]!)}`
}

/** One sentence per variant: how its figures moved with the level, and where it fell over. */
function headline(sweep: LoadSweep, variant: { name: string }): SafeHtml {
  const cells = sweep.cases.map((c) => ({ c, cell: cellOf(c, variant.name) })).filter((x): x is { c: LoadScenarioResult; cell: Cell } => x.cell !== undefined)
  const done = cells.filter((x) => x.cell.state === 'completed')
  const figures = done.map((x) => completedFigures(x.cell)!)
  const fell = cells.filter((x) => FELL_OVER.has(x.cell.state))
  const skipped = cells.filter((x) => x.cell.state === 'skipped')
  const at = (x: { c: LoadScenarioResult }) => formatInteger(x.c.level.value)
  if (cells.length > 0 && skipped.length === cells.length) {
    return html`<strong>${variant.name}</strong> was skipped at every level: ${(skipped[0]!.cell as Extract<Cell, { state: 'skipped' }>).reason}`
  }
  const parts: SafeHtml[] = []
  if (done.length > 0) {
    const where = done.length === cells.length ? 'every level' : done.length === 1 ? `only ${at(done[0]!)}` : `${at(done[0]!)} to ${at(done[done.length - 1]!)}`
    parts.push(
      html`completed ${where}: throughput ${span(figures.map((f) => f.completedPerSec), formatRate)}, p99 ${span(figures.map((f) => f.latency.p99Ns), formatDuration)}, peak RSS ${span(figures.map((f) => f.peakRssBytes), formatBytes)}`,
    )
    const dropping = done.filter((x) => completedFigures(x.cell)!.dropped > 0)
    if (dropping.length > 0) {
      const last = dropping[dropping.length - 1]!
      const f = completedFigures(last.cell)!
      parts.push(html`dropped events from ${at(dropping[0]!)} on (${formatPercent(f.emitted > 0 ? f.dropped / f.emitted : 0)} at ${at(last)})`)
    }
  }
  for (const x of fell) parts.push(html`<strong class="t-slower">${fellOverText(x.cell, x.c)}</strong> at ${at(x)}`)
  for (const x of skipped) parts.push(html`was skipped at ${at(x)}`)
  if (parts.length === 0) return html`<strong>${variant.name}</strong> has no figures at any level.`
  return html`<strong>${variant.name}</strong> ${parts.map((p, i) => html`${i ? '; ' : ''}${p}`)}.`
}

/** The sweep in sentences and as a variant × level table of throughput and p99. */
export function loadSummarySection(sweep: LoadSweep): SafeHtml {
  if (sweep.variants.length === 0) return block('Results', html`<p class="empty">This sweep has no variants.</p>`)
  const lines = sweep.variants.map((v) => html`<li>${headline(sweep, v)}</li>`)
  const matrix = levelMatrix(
    sweep,
    (name, c) => {
      const cell = cellOf(c as LoadScenarioResult, name)
      if (!cell) return MISSING
      const f = completedFigures(cell)
      if (!f) return html`${cellBadge(cell.state)}`
      return html`${formatRate(f.completedPerSec)}<div class="small muted">p99 ${formatDuration(f.latency.p99Ns)}</div>`
    },
    variantLabel,
  )
  const durations = [...new Set(sweep.cases.map((c) => c.settings.durationMs))]
  const note = `Each variant ran alone in its own process at each level, ${durations.length === 1 ? `for ${formatMs(durations[0])}` : 'for the window its level set'} after a warm-up. Cells give completed events per second and the p99 of emit → handled latency.`
  return block('Results', html`<ul class="headlines">${lines}</ul>${matrix}`, note)
}

/** Marker height for a variant that fell over: its partial figures, else its figure at the level before. */
function failureMarker(sweep: LoadSweep, name: string, index: number, read: (f: LoadFigures) => number): number | undefined {
  const cell = cellOf(sweep.cases[index]!, name)
  if (cell?.figures) return read(cell.figures)
  for (let i = index - 1; i >= 0; i--) {
    const f = completedFigures(cellOf(sweep.cases[i]!, name))
    if (f) return read(f)
  }
  return undefined
}

function curveSeries(sweep: LoadSweep, colours: Map<string, string>, read: (f: LoadFigures) => number, format: (v: number) => string): CurveSeries[] {
  return sweep.variants.map((v) => {
    const cells = sweep.cases.map((c) => cellOf(c, v.name))
    return {
      name: v.name,
      colour: colours.get(v.name)!,
      values: cells.map((cell) => {
        const f = completedFigures(cell)
        return f ? read(f) : undefined
      }),
      tooltips: cells.map((cell) => {
        const f = completedFigures(cell)
        return f ? `${v.name}: ${format(read(f))}` : null
      }),
      failures: cells.flatMap((cell, index) => {
        if (!cell || !FELL_OVER.has(cell.state)) return []
        const y = failureMarker(sweep, v.name, index, read)
        const last = cell.figures ? `; last figure ${format(read(cell.figures))}` : ''
        return [{ index, y, text: `${v.name} ${fellOverText(cell, sweep.cases[index]!)}${last}` }]
      }),
    }
  })
}

/** Throughput, p99 latency, peak RSS and event-loop delay against the level. */
export function loadCurvesSection(sweep: LoadSweep, ctx: ReportContext): SafeHtml {
  if (sweep.cases.length < 2) return EMPTY
  const colours = variantColours(sweep.variants)
  const marker = 'A ✕ marks the level where a variant fell over, at its last figure.'
  const charts = [
    levelCurve(sweep, ctx, {
      label: `Completed events per second against ${sweep.levelName}, per variant`,
      caption: html`Completed events per second: higher is better. ${marker}`,
      axis: 'completed',
      units: COUNT_UNITS,
      unitSuffix: '/s',
      series: curveSeries(sweep, colours, (f) => f.completedPerSec, formatRate),
    }),
    levelCurve(sweep, ctx, {
      label: `p99 latency (emit to handled) against ${sweep.levelName}, per variant`,
      caption: html`99th percentile of emit → handled latency: lower is better. ${marker}`,
      axis: 'p99 latency',
      units: DURATION_UNITS,
      series: curveSeries(sweep, colours, (f) => f.latency.p99Ns, formatDuration),
    }),
    levelCurve(sweep, ctx, {
      label: `Peak resident memory against ${sweep.levelName}, per variant`,
      caption: html`Peak RSS of each variant's process. ${marker}`,
      axis: 'peak RSS',
      units: BYTE_UNITS,
      series: curveSeries(sweep, colours, (f) => f.peakRssBytes, formatBytes),
    }),
    levelCurve(sweep, ctx, {
      label: `Event-loop delay p99 against ${sweep.levelName}, per variant`,
      caption: html`99th percentile of event-loop delay (<code>monitorEventLoopDelay</code>): how long ready work waited. ${marker}`,
      axis: 'event-loop delay p99',
      units: DURATION_UNITS,
      series: curveSeries(sweep, colours, (f) => f.eventLoopDelay.p99Ns, formatDuration),
    }),
  ]
  return block(`Against ${sweep.levelName}`, html`<div class="charts-2">${charts}</div>`)
}

/** Completed cells first by throughput, then the ones that fell over, then the rest. */
function orderCells(c: LoadScenarioResult): Cell[] {
  const rank = (v: Cell) => (v.isBaseline ? 0 : v.state === 'completed' ? 1 : FELL_OVER.has(v.state) ? 2 : 3)
  return [...c.variants].sort((a, b) => rank(a) - rank(b) || (completedFigures(b)?.completedPerSec ?? 0) - (completedFigures(a)?.completedPerSec ?? 0) || a.name.localeCompare(b.name))
}

function cellProblem(cell: Cell, c: LoadScenarioResult): SafeHtml {
  if (cell.state === 'completed') return EMPTY
  const partial = cell.figures ? ' The figures in this row are the last it reported.' : ''
  if (cell.state === 'errored') return html`<span class="problem">Errored in ${cell.phase}:</span> <span class="message">${cell.error.message}</span>${partial}${stack(cell.error.stack)}`
  return html`<span class="problem">${cell.name} ${fellOverText(cell, c)}.</span>${partial}`
}

function percentilesAtLevel(sweep: LoadSweep, c: LoadScenarioResult, ctx: ReportContext, colours: Map<string, string>): SafeHtml {
  return percentileChart(ctx, {
    label: `Latency percentiles per variant at ${levelLabel(sweep, c.level.value)}`,
    caption: (unit, logarithmic) => html`Emit → handled latency at each percentile (${unit.symbol}${logarithmic ? ', log scale' : ''}); a late rise is a long tail.`,
    variants: orderCells(c).filter((v) => v.state === 'completed'),
    latency: (v) => completedFigures(v)!.latency,
    colours,
  })
}

/** RSS over the window, once a second: shows memory climbing until a variant died. */
function memorySeriesChart(sweep: LoadSweep, c: LoadScenarioResult, ctx: ReportContext, colours: Map<string, string>): SafeHtml {
  const withSeries = orderCells(c).filter((v) => (v.figures?.series?.length ?? 0) > 0)
  if (withSeries.length === 0) return EMPTY
  const largest = Math.max(...withSeries.flatMap((v) => v.figures!.series!.map((p) => p.rssBytes)))
  const unit = pickUnit(largest, BYTE_UNITS)
  return ctx.chart({
    label: `Resident memory over time per variant at ${levelLabel(sweep, c.level.value)}`,
    height: 260,
    caption: html`RSS once a second through the measured window (${unit.symbol}). A line that stops early belongs to a variant that fell over.`,
    config: {
      type: 'scatter',
      data: {
        datasets: withSeries.map((v) => ({
          label: v.state === 'completed' ? v.name : `${v.name} (${v.state})`,
          data: v.figures!.series!.map((p) => ({ x: Number((p.tMs / 1000).toPrecision(6)), y: inUnit(p.rssBytes, unit) })),
          showLine: true,
          borderColor: colours.get(v.name),
          backgroundColor: colours.get(v.name),
          pointRadius: 2.5,
          borderWidth: 2,
        })),
      },
      options: {
        scales: { x: { type: 'linear', beginAtZero: true, title: { display: true, text: 'time in the window (s)' } }, y: { beginAtZero: true, title: { display: true, text: `RSS (${unit.symbol})` } } },
        plugins: { legend: { position: 'bottom' } },
      },
    },
    tooltips: withSeries.map((v) => v.figures!.series!.map((p) => `${v.name} at ${formatMs(p.tMs)}: ${formatBytes(p.rssBytes)}${p.queued !== undefined ? `, ${formatInteger(p.queued)} queued` : ''}`)),
  })
}

/** Every level in detail: a row per variant with every figure, latency percentiles and memory over time. */
export function loadLevelsSection(sweep: LoadSweep, ctx: ReportContext): SafeHtml {
  const colours = variantColours(sweep.variants)
  const levels = sweep.cases.map((c) => {
    const f = (v: Cell) => v.figures
    const body = table<Cell>(
      [
        { header: 'Variant', cell: variantLabel },
        { header: 'Completed/s', cell: (v) => formatRate(f(v)?.completedPerSec), numeric: true, help: 'Events whose every handler finished, per second' },
        { header: 'Offered/s', cell: (v) => formatRate(f(v)?.offeredPerSec), numeric: true, help: 'Events the producers emitted, per second' },
        { header: 'Dropped', cell: (v) => (f(v) ? formatInteger(f(v)!.dropped) : MISSING), numeric: true, help: 'Events refused by a backpressure policy' },
        { header: 'Failed', cell: (v) => (f(v) ? formatInteger(f(v)!.failed) : MISSING), numeric: true, help: 'Events whose handler threw' },
        { header: 'p50', cell: (v) => formatDuration(f(v)?.latency.p50Ns), numeric: true },
        { header: 'p99', cell: (v) => formatDuration(f(v)?.latency.p99Ns), numeric: true },
        { header: 'Loop delay p99', cell: (v) => formatDuration(f(v)?.eventLoopDelay.p99Ns), numeric: true, help: 'Event-loop delay, 99th percentile' },
        { header: 'Peak RSS', cell: (v) => (f(v) ? html`${formatBytes(f(v)!.peakRssBytes)}<div class="small muted">heap ${formatBytes(f(v)!.peakHeapBytes)}</div>` : MISSING), numeric: true, help: 'Peak resident memory of the variant\'s process, and its peak heap' },
        { header: 'GC', cell: (v) => (f(v) ? html`${formatInteger(f(v)!.gc.count)} <span class="muted">${formatMs(f(v)!.gc.totalMs)}</span>` : MISSING), numeric: true, help: 'GC runs and their total time' },
        { header: 'State', cell: (v) => cellBadge(v.state) },
      ],
      orderCells(c),
      { className: 'load-level', detail: (v) => cellProblem(v, c), rowClass: (v) => `variant-${v.state}` },
    )
    const charts = [percentilesAtLevel(sweep, c, ctx, colours), memorySeriesChart(sweep, c, ctx, colours)]
    const window = html`<span class="muted small">${formatMs(c.settings.durationMs)} measured after ${formatMs(c.settings.warmupMs)} of warm-up${c.settings.maxMemoryMB ? `, heap ceiling ${formatInteger(c.settings.maxMemoryMB)} MB` : ''}</span>`
    return levelDetail(sweep, c, { about: window, figures: body, variants: orderCells(c), charts })
  })
  return block('Each level', html`${levels}`)
}

/** A load sweep's sections, in page order (the header first). */
export function loadSections(sweep: LoadSweep, ctx: ReportContext): SafeHtml[] {
  return sweepSections(sweep, ctx, [
    loadSummarySection(sweep),
    loadCurvesSection(sweep, ctx),
    loadLevelsSection(sweep, ctx),
  ])
}

/**
 * Charts more than one scenario kind draws: the per-round box plot (micro, http), the stacked latency
 * breakdown (micro, http) and the latency percentile curves of a sweep level (load, http). Each kind
 * says what its figures are; the chart looks the same wherever it appears.
 */
import type { Breakdown, LatencyPercentiles } from '../../result/schema.ts'
import { DURATION_UNITS, formatDuration, formatPercent, inUnit, pickUnit, type Unit } from '../format.ts'
import { PHASE_COLOURS, REST_COLOUR, withAlpha, type ReportContext } from './context.ts'
import { EMPTY, type Interpolation, type SafeHtml } from './markup.ts'


export interface RoundsChartOptions<V> {
  label: string
  caption: Interpolation
  /** Variants with at least one round, in report order. */
  variants: readonly V[]
  colours: Map<string, string>
  /** The dataset's name. */
  series: string
  /** One figure per round, already in the axis unit. */
  values: (v: V) => number[]
  /** The axis title, with its unit. */
  axis: string
  /** The tooltip lines of a variant's box. */
  tooltips: (v: V) => string[]
}

/** One box per variant of its per-round figures, with every round as a point; a failed variant's rounds are marked partial. */
export function roundsChart<V extends { name: string; state: string }>(ctx: ReportContext, options: RoundsChartOptions<V>): SafeHtml {
  const { variants, colours } = options
  return ctx.chart({
    label: options.label,
    height: 70 + 46 * variants.length,
    caption: options.caption,
    config: {
      type: 'boxplot',
      data: {
        labels: variants.map((v) => (v.state === 'completed' ? v.name : `${v.name} (${v.state}, partial)`)),
        datasets: [
          {
            label: options.series,
            data: variants.map(options.values),
            backgroundColor: variants.map((v) => withAlpha(colours.get(v.name)!, 0.25)),
            borderColor: variants.map((v) => colours.get(v.name)!),
            borderWidth: 1.5,
            itemRadius: 2.5,
            itemStyle: 'circle',
            itemBackgroundColor: variants.map((v) => withAlpha(colours.get(v.name)!, 0.8)),
            itemBorderColor: variants.map((v) => colours.get(v.name)!),
            outlierRadius: 3,
            outlierBackgroundColor: variants.map((v) => colours.get(v.name)!),
            medianColor: '#0f172a',
            coef: 1.5,
          },
        ],
      },
      options: {
        indexAxis: 'y',
        // Fit the axis to the rounds, not to zero (the bar chart's default): the boxes are what a reader compares.
        scales: { x: { type: 'linear', beginAtZero: false, grace: '4%', title: { display: true, text: options.axis } }, y: { grid: { display: false } } },
        plugins: { legend: { display: false } },
      },
    },
    tooltips: [variants.map(options.tooltips)],
  })
}

/** The name of the time no traced phase accounts for. */
export const UNATTRIBUTED = 'unattributed'

/** Every phase of the breakdowns, in the order they first appear. */
export function phaseNames(breakdowns: readonly Breakdown[]): string[] {
  const names: string[] = []
  for (const b of breakdowns) for (const p of b.phases) if (!names.includes(p.name)) names.push(p.name)
  return names
}

export interface BreakdownChartOptions {
  label: string
  height: number
  caption: (unit: Unit) => Interpolation
  /** The axis title, without the unit. */
  axis: string
  /** One stacked bar each, in order. */
  bars: ReadonlyArray<{ label: string; breakdown: Breakdown }>
}

/** Stacked bars of mean self time per traced phase, plus the unattributed rest in grey. */
export function breakdownChart(ctx: ReportContext, options: BreakdownChartOptions): SafeHtml {
  const { bars } = options
  const unit = pickUnit(Math.max(...bars.map((x) => x.breakdown.totalMeanNs), 0), DURATION_UNITS)
  const series = [
    ...phaseNames(bars.map((x) => x.breakdown)).map((name, i) => ({ name, colour: PHASE_COLOURS[i % PHASE_COLOURS.length]!, pick: (b: Breakdown) => b.phases.find((p) => p.name === name) })),
    // Overlapping phases leave no rest to draw (it would be negative).
    { name: UNATTRIBUTED, colour: REST_COLOUR, pick: (b: Breakdown) => (b.overlapping ? undefined : { meanNs: b.restMeanNs, share: b.restShare }) },
  ]
  return ctx.chart({
    label: options.label,
    height: options.height,
    caption: options.caption(unit),
    config: {
      type: 'bar',
      data: {
        labels: bars.map((x) => x.label),
        datasets: series.map((p) => ({ label: p.name, data: bars.map((x) => inUnit(p.pick(x.breakdown)?.meanNs ?? 0, unit)), backgroundColor: p.colour, borderColor: '#ffffff', borderWidth: 1, stack: 'time', barPercentage: 0.7 })),
      },
      options: {
        indexAxis: 'y',
        scales: { x: { stacked: true, beginAtZero: true, title: { display: true, text: `${options.axis} (${unit.symbol})` } }, y: { stacked: true, grid: { display: false } } },
        plugins: { legend: { position: 'bottom' } },
      },
    },
    tooltips: series.map((p) =>
      bars.map((x) => {
        const phase = p.pick(x.breakdown)
        return phase ? `${p.name}: ${formatDuration(phase.meanNs)} (${formatPercent(phase.share)})` : null
      }),
    ),
  })
}

const PERCENTILES: ReadonlyArray<{ label: string; get: (l: LatencyPercentiles) => number }> = [
  { label: 'p50', get: (l) => l.p50Ns },
  { label: 'p90', get: (l) => l.p90Ns },
  { label: 'p99', get: (l) => l.p99Ns },
  { label: 'p99.9', get: (l) => l.p999Ns },
  { label: 'max', get: (l) => l.maxNs },
]

export interface PercentileChartOptions<V> {
  label: string
  caption: (unit: Unit, logarithmic: boolean) => Interpolation
  /** Completed variants, in report order. */
  variants: readonly V[]
  latency: (v: V) => LatencyPercentiles
  colours: Map<string, string>
}

/**
 * A line per variant through its p50 … max latency; a logarithmic axis (in the unit of its middle)
 * when they span more than 8×. Nothing when no variant has a positive figure.
 */
export function percentileChart<V extends { name: string }>(ctx: ReportContext, options: PercentileChartOptions<V>): SafeHtml {
  const { variants, latency, colours } = options
  const values = variants.flatMap((v) => PERCENTILES.map((p) => p.get(latency(v)))).filter((x) => Number.isFinite(x) && x > 0)
  if (values.length === 0) return EMPTY
  const logarithmic = Math.max(...values) / Math.min(...values) > 8
  const unit = logarithmic ? pickUnit(Math.sqrt(Math.min(...values) * Math.max(...values)), DURATION_UNITS) : pickUnit(Math.max(...values), DURATION_UNITS)
  return ctx.chart({
    label: options.label,
    height: 260,
    caption: options.caption(unit, logarithmic),
    config: {
      type: 'line',
      data: {
        labels: PERCENTILES.map((p) => p.label),
        datasets: variants.map((v) => ({
          label: v.name,
          data: PERCENTILES.map((p) => {
            const x = p.get(latency(v))
            return Number.isFinite(x) && (!logarithmic || x > 0) ? inUnit(x, unit) : null
          }),
          borderColor: colours.get(v.name),
          backgroundColor: colours.get(v.name),
          pointRadius: 3.5,
          borderWidth: 2,
          tension: 0,
        })),
      },
      options: {
        scales: { y: { type: logarithmic ? 'logarithmic' : 'linear', beginAtZero: !logarithmic, title: { display: true, text: `latency (${unit.symbol})` } }, x: { title: { display: true, text: 'percentile' } } },
        plugins: { legend: { position: 'bottom' } },
      },
    },
    tooltips: variants.map((v) => PERCENTILES.map((p) => `${v.name} ${p.label}: ${formatDuration(p.get(latency(v)))}`)),
  })
}

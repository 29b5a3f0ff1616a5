/**
 * What the section functions share while one report is rendered: the chart specs collected for the
 * page's data block, the flame-graph links, and a colour per variant that stays the same across a
 * scenario's charts.
 */
import type { ProfileKind, ProfileResult, ProfileTool, ScenarioResult, Verdict } from '../../result/schema.ts'
import { html, type Interpolation, type SafeHtml } from './markup.ts'

export interface FlamegraphLink {
  /** The scenario's `id` (name plus parameters). */
  scenarioId: string
  variant: string
  kind: ProfileKind
  /** Usually a path relative to the report; `javascript:` and other non-file schemes are not linked. */
  href: string
  /** The profiler that made it. @default 'cpuprofile' */
  tool?: ProfileTool
}

export type ProfileFailure = Extract<ProfileResult, { state: 'failed' }>

/**
 * One chart: a Chart.js configuration without functions (it travels as JSON), tooltip lines the
 * renderer formatted (`tooltips[datasetIndex][dataIndex]`), and the canvas it draws on.
 */
export interface ChartSpec {
  id: string
  config: {
    type: string
    data: { labels?: string[]; datasets: Array<Record<string, unknown>> }
    options?: Record<string, unknown>
  }
  tooltips?: Array<Array<string | string[] | null>>
}

export interface ChartFigure {
  /** What the chart shows, as a sentence: the canvas's accessible name. */
  label: string
  /** Shown under the chart: how to read it. */
  caption: Interpolation
  /** Height of the plot area in CSS pixels. */
  height: number
  config: ChartSpec['config']
  tooltips?: ChartSpec['tooltips']
}

export class ReportContext {
  readonly charts: ChartSpec[] = []
  readonly flamegraphs: readonly FlamegraphLink[]
  private chartCount = 0

  constructor(flamegraphs: readonly FlamegraphLink[] = []) {
    this.flamegraphs = flamegraphs
  }

  /** Registers a chart for the page's data block and returns its figure markup. */
  chart(figure: ChartFigure): SafeHtml {
    const id = `chart-${++this.chartCount}`
    this.charts.push({ id, config: figure.config, ...(figure.tooltips ? { tooltips: figure.tooltips } : {}) })
    const height = Math.round(Math.max(120, Math.min(figure.height, 900)))
    return html`<figure class="chart"><div class="chart-box" style="height:${height}px"><canvas id="${id}" role="img" aria-label="${figure.label}"></canvas></div><figcaption>${figure.caption}</figcaption></figure>`
  }

  /**
   * The profiles of a scenario case: those the caller passed and those recorded in the result (so
   * `perfkit report` links them too), each file once.
   */
  flamegraphsFor(scenario: ScenarioResult): FlamegraphLink[] {
    const recorded: FlamegraphLink[] = (scenario.profiles ?? []).flatMap((p) =>
      p.state === 'written' ? [{ scenarioId: scenario.id, variant: p.variant, kind: p.kind, href: p.path, tool: p.tool }] : [],
    )
    const links = [...this.flamegraphs.filter((link) => link.scenarioId === scenario.id), ...recorded]
    const seen = new Set<string>()
    return links.filter((link) => {
      const key = `${link.variant}\u0000${link.kind}\u0000${link.href}`
      if (seen.has(key)) return false
      seen.add(key)
      return true
    })
  }

  /** Profilers that could not run for this case, and why. */
  profileFailures(scenario: ScenarioResult): ProfileFailure[] {
    return (scenario.profiles ?? []).filter((p): p is ProfileFailure => p.state === 'failed')
  }
}

/** Colour-blind-safe (Okabe–Ito based) series colours; the baseline is always slate. */
const SERIES = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#d55e00', '#882255', '#44aa99', '#999933', '#aa4499']
export const BASELINE_COLOUR = '#475569'

/** A colour per variant, in the order the report lists them. */
export function variantColours(ordered: ReadonlyArray<{ name: string; isBaseline: boolean }>): Map<string, string> {
  const colours = new Map<string, string>()
  let next = 0
  for (const v of ordered) colours.set(v.name, v.isBaseline ? BASELINE_COLOUR : SERIES[next++ % SERIES.length])
  return colours
}

/** Phase colours for stacked breakdowns; the unattributed rest is grey. */
export const PHASE_COLOURS = ['#1d4ed8', '#0f766e', '#b45309', '#7c3aed', '#be123c', '#0891b2', '#4d7c0f', '#c2410c', '#6d28d9', '#0e7490']
export const REST_COLOUR = '#cbd5e1'

export const VERDICT_COLOURS: Record<Verdict, string> = {
  slower: '#b91c1c',
  faster: '#15803d',
  same: '#1d4ed8',
  inconclusive: '#b45309',
}

/** `#rrggbb` with an alpha, for fills. */
export function withAlpha(hex: string, alpha: number): string {
  const value = Number.parseInt(hex.slice(1), 16)
  return `rgba(${(value >> 16) & 255}, ${(value >> 8) & 255}, ${value & 255}, ${alpha})`
}

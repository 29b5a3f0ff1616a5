/**
 * Sweeps: a `load` or `http` scenario's cases are one result per level of its swept parameter
 * (`concurrency`, `connections`), each with `level` and the same `name`. The report gathers them back
 * into one block per scenario and parameter set, so a sweep reads as one story: curves against the
 * level, a variant × level table, per-level details. This file does the gathering and the parts every
 * sweep shares (header, claims, budgets, warnings, profiles, curves); load.ts and http.ts the rest.
 */
import type { HttpScenarioResult, LoadScenarioResult, ScenarioResult, ScenarioState } from '../../result/schema.ts'
import { formatDate, formatInteger, formatMs, inUnit, pickUnit, type Unit } from '../format.ts'
import { block, budgetState, claimHolds, countersTable, paramChips, profileList, stack, stateBadge, variantLabel } from './common.ts'
import { withAlpha, type ReportContext } from './context.ts'
import { EMPTY, html, table, type Interpolation, type SafeHtml } from './markup.ts'

export type SweepCase = LoadScenarioResult | HttpScenarioResult

export interface Sweep<S extends SweepCase = SweepCase> {
  kind: S['kind']
  name: string
  /** The swept parameter, e.g. `concurrency`. */
  levelName: string
  /** One case per level, lowest level first. */
  cases: S[]
  /** The case parameters besides the swept one (the same for every case). */
  params: Record<string, unknown>
  /** Every variant seen in any case: the baseline first, then in the order the cases list them. */
  variants: Array<{ name: string; isBaseline: boolean }>
}

export type Block = { type: 'scenario'; scenario: ScenarioResult } | { type: 'sweep'; sweep: Sweep<LoadScenarioResult> } | { type: 'sweep'; sweep: Sweep<HttpScenarioResult> }

function isSweepCase(s: ScenarioResult): s is SweepCase {
  return (s.kind === 'load' || s.kind === 'http') && typeof (s as Partial<SweepCase>).level?.value === 'number'
}

/** The parameters of a case without the swept one, in a stable order, as a grouping key. */
function otherParams(s: SweepCase): Record<string, unknown> {
  const rest: Record<string, unknown> = {}
  for (const key of Object.keys(s.params ?? {}).sort()) if (key !== s.level.name) rest[key] = s.params[key]
  return rest
}

/**
 * The run's scenarios as the report shows them: a micro case (or a case of a kind this report does not
 * know) on its own; the cases of a sweep gathered where the first of them appears.
 */
export function blocksOf(scenarios: readonly ScenarioResult[]): Block[] {
  const blocks: Block[] = []
  const sweeps = new Map<string, Sweep>()
  for (const s of scenarios) {
    if (!isSweepCase(s)) {
      blocks.push({ type: 'scenario', scenario: s })
      continue
    }
    const params = otherParams(s)
    const key = JSON.stringify([s.kind, s.name, s.level.name, params])
    let sweep = sweeps.get(key)
    if (!sweep) {
      sweep = { kind: s.kind, name: s.name, levelName: s.level.name, cases: [], params, variants: [] }
      sweeps.set(key, sweep)
      blocks.push({ type: 'sweep', sweep } as Block)
    }
    ;(sweep.cases as SweepCase[]).push(s)
  }
  for (const sweep of sweeps.values()) {
    sweep.cases.sort((a, b) => a.level.value - b.level.value)
    sweep.variants = sweepVariants(sweep.cases)
  }
  return blocks
}

function sweepVariants(cases: readonly SweepCase[]): Array<{ name: string; isBaseline: boolean }> {
  const names: string[] = []
  const baseline = cases[0]?.baseline
  for (const c of cases) for (const v of c.variants as Array<{ name: string }>) if (!names.includes(v.name)) names.push(v.name)
  const ordered = baseline !== undefined && names.includes(baseline) ? [baseline, ...names.filter((n) => n !== baseline)] : names
  return ordered.map((name) => ({ name, isBaseline: name === baseline }))
}

/** `concurrency 1,000`. */
export function levelLabel(sweep: Pick<Sweep, 'levelName'>, value: number): string {
  return `${sweep.levelName} ${formatInteger(value)}`
}

/** Levels as axis labels: `10`, `1,000`. */
export function levelTicks(sweep: Sweep): string[] {
  return sweep.cases.map((c) => formatInteger(c.level.value))
}

/** A sweep's state: interrupted or errored when any case was, skipped when every case was. */
export function sweepState(sweep: Sweep): ScenarioState {
  const states = sweep.cases.map((c) => c.state)
  if (states.includes('interrupted')) return 'interrupted'
  if (states.includes('errored')) return 'errored'
  if (states.length > 0 && states.every((s) => s === 'skipped')) return 'skipped'
  return 'completed'
}

export function sweepTitle(sweep: Sweep): string {
  const first = sweep.cases[0]
  return first?.title || sweep.name
}

/** Title, sweep levels, source, file, parameters; each case that did not complete, with why. */
export function sweepHeader(sweep: Sweep): SafeHtml {
  const first = sweep.cases[0]!
  const took = sweep.cases.reduce((sum, c) => sum + (Number.isFinite(c.durationMs) ? c.durationMs : 0), 0)
  const facts = [
    html`<span>${stateBadge(sweepState(sweep))}</span>`,
    html`<span><code>${sweep.name}</code></span>`,
    html`<span>${sweep.kind} sweep over <strong>${sweep.levelName}</strong>: ${sweep.cases.map((c) => formatInteger(c.level.value)).join(' → ')}</span>`,
    first.source ? html`<span>source: ${first.source}</span>` : '',
    html`<span>file: <code>${first.file}</code></span>`,
    html`<span>baseline: <strong>${first.baseline}</strong></span>`,
    html`<span>started ${formatDate(first.startedAt)}, took ${formatMs(took)}</span>`,
  ]
  const problems = sweep.cases.flatMap((c) => {
    const at = levelLabel(sweep, c.level.value)
    if (c.state === 'errored') return [html`<div class="callout error"><strong>At ${at} the scenario failed${c.error ? ':' : '.'}</strong> ${c.error?.message ?? ''}${stack(c.error?.stack)}</div>`]
    if (c.state === 'skipped') return [html`<div class="callout muted"><strong>At ${at}: skipped.</strong> ${c.error?.message ?? 'No reason was recorded.'}</div>`]
    if (c.state === 'interrupted') return [html`<div class="callout warn"><strong>Interrupted at ${at}:</strong> the run was stopped during this level; its figures cover only what finished.</div>`]
    return []
  })
  return html`<header class="scenario-head"><h2>${sweepTitle(sweep)}</h2><p class="facts">${facts}</p>${paramChips(sweep.params)}${first.description ? html`<p class="description">${first.description}</p>` : ''}${problems}</header>`
}

/** Claims of every level, with the level they were checked at. */
export function sweepClaims(sweep: Sweep): SafeHtml {
  const rows = sweep.cases.flatMap((c) => c.claims.map((claim) => ({ level: c.level.value, claim })))
  if (rows.length === 0) return EMPTY
  const body = table(
    [
      { header: sweep.levelName, cell: (r) => formatInteger(r.level), numeric: true },
      { header: 'Claim', cell: (r) => r.claim.text },
      { header: 'Published', cell: (r) => r.claim.published ?? '—' },
      { header: 'Measured here', cell: (r) => r.claim.measuredText, numeric: true },
      { header: 'Check', cell: (r) => (r.claim.check ? html`<code>${r.claim.check}</code>` : html`<span class="muted">none</span>`) },
      { header: 'Holds', cell: (r) => claimHolds(r.claim) },
    ],
    rows,
    { className: 'claims' },
  )
  return block('Claims', body, 'Figures published by the source, checked on this machine at each level they apply to.')
}

/** Budgets of every level. */
export function sweepBudgets(sweep: Sweep): SafeHtml {
  const rows = sweep.cases.flatMap((c) => c.budgets.map((budget) => ({ level: c.level.value, budget })))
  if (rows.length === 0) return EMPTY
  const body = table(
    [
      { header: sweep.levelName, cell: (r) => formatInteger(r.level), numeric: true },
      { header: 'Budget', cell: (r) => html`<code>${r.budget.expression}</code>` },
      { header: 'Variant', cell: (r) => r.budget.variant },
      { header: 'Measured', cell: (r) => r.budget.measuredText, numeric: true },
      { header: 'Result', cell: (r) => budgetState(r.budget.state) },
      { header: 'From', cell: (r) => (r.budget.origin === 'config' ? 'config file' : 'scenario') },
    ],
    rows,
    { className: 'budgets', detail: (r) => (r.budget.message ? html`<span class="muted">${r.budget.message}</span>` : ''), rowClass: (r) => `budget-${r.budget.state}` },
  )
  return block('Budgets', body)
}

/** Warnings and flags of every level, each with its level. */
export function sweepWarnings(sweep: Sweep): SafeHtml {
  const items: SafeHtml[] = []
  for (const c of sweep.cases) {
    const at = html`<span class="muted">${levelLabel(sweep, c.level.value)}</span> · `
    const variants = c.variants as Array<{ name: string; flags: Array<{ code: string; message: string }> }>
    // A warning that repeats a variant's flag (`variant: message`) is said once, as the flag.
    const flagged = new Set(variants.flatMap((v) => v.flags.map((f) => `${v.name}: ${f.message}`)))
    for (const w of c.warnings) if (!flagged.has(w)) items.push(html`<li>${at}${w}</li>`)
    for (const v of variants) {
      for (const f of v.flags) items.push(html`<li>${at}<strong>${v.name}</strong> <span class="flag">⚑ ${f.code}</span> ${f.message}</li>`)
    }
  }
  if (items.length === 0) return EMPTY
  return block('Warnings and flags', html`<ul class="warnings">${items}</ul>`)
}

export function sweepProfiles(sweep: Sweep, ctx: ReportContext): SafeHtml {
  const body = profileList(sweep.cases.map((c) => ({ label: levelLabel(sweep, c.level.value), links: ctx.flamegraphsFor(c), failures: ctx.profileFailures(c) })))
  return block('Profiles', body, 'Flame graphs of each variant at the level profiled (the lowest measured, unless --param picked one); the differential one colours each frame by the change in self time against the baseline (red: more, blue: less).')
}

/** A sweep's page: the header, the sections of its kind, then claims, budgets, warnings and profiles of every level. */
export function sweepSections(sweep: Sweep, ctx: ReportContext, kindSections: SafeHtml[]): SafeHtml[] {
  return [sweepHeader(sweep), ...kindSections, sweepClaims(sweep), sweepBudgets(sweep), sweepWarnings(sweep), sweepProfiles(sweep, ctx)]
}

export interface LevelDetail {
  /** After the level in the heading: what ran there (window, request …). */
  about: SafeHtml
  /** The row-per-variant table of the level's figures. */
  figures: SafeHtml
  /** The level's variants in the order of that table, for the counters under it. */
  variants: ReadonlyArray<{ name: string; isBaseline: boolean; counters?: Record<string, number> }>
  charts: SafeHtml[]
}

/** One level in detail: heading, figures, what the variants counted, then its charts side by side. */
export function levelDetail(sweep: Sweep, c: SweepCase, detail: LevelDetail): SafeHtml {
  const counters = countersTable(detail.variants, { header: 'Counters', cell: variantLabel })
  return html`<section class="level"><h4>${levelLabel(sweep, c.level.value)} ${detail.about}</h4>${detail.figures}${counters}<div class="charts-2">${detail.charts}</div></section>`
}

/** A variant × level table: one row per variant, one column per level. */
export function levelMatrix(sweep: Sweep, cell: (variant: string, c: SweepCase) => Interpolation, label: (variant: { name: string; isBaseline: boolean }) => Interpolation): SafeHtml {
  return table(
    [
      { header: html`Variant <span class="muted">· ${sweep.levelName} →</span>`, cell: label },
      ...sweep.cases.map((c) => ({ header: formatInteger(c.level.value), numeric: true, cell: (v: { name: string }) => cell(v.name, c) })),
    ],
    sweep.variants,
    { className: 'matrix' },
  )
}

// --- curves against the level -------------------------------------------------------------------

/** Where a variant fell over at one level: the marker's height (its last figure) and what to say. */
export interface CurveFailure {
  /** Index of the level. */
  index: number
  /** Height of the marker in base units; no marker when unknown. */
  y?: number
  text: string
}

export interface CurveSeries {
  name: string
  colour: string
  /** One value per level in base units (ns, bytes, per second); undefined where there is none. */
  values: Array<number | undefined>
  /** One tooltip line per level. */
  tooltips: Array<string | null>
  failures: CurveFailure[]
}

export interface CurveOptions {
  /** The accessible name of the chart. */
  label: string
  caption: Interpolation
  /** Axis title, without the unit. */
  axis: string
  /** Units to scale the values into (DURATION_UNITS, BYTE_UNITS …). */
  units: readonly Unit[]
  /** Appended to the unit's symbol on the axis (e.g. `/s`). @default '' */
  unitSuffix?: string
  series: CurveSeries[]
  /** Start the linear axis at zero. @default true */
  fromZero?: boolean
}

/**
 * A line chart of one figure against the level, one line per variant; a ✕ marks the level where a
 * variant fell over (out of memory, timed out, errored), at its last figure. A logarithmic axis when
 * the figures span more than 30×. Nothing when no variant has a value.
 */
export function levelCurve(sweep: Sweep, ctx: ReportContext, options: CurveOptions): SafeHtml {
  const series = options.series.filter((s) => s.values.some((v) => v !== undefined && Number.isFinite(v)) || s.failures.some((f) => f.y !== undefined))
  if (series.length === 0) return EMPTY
  const all = series.flatMap((s) => [...s.values, ...s.failures.map((f) => f.y)]).filter((v): v is number => v !== undefined && Number.isFinite(v))
  const positive = all.filter((v) => v > 0)
  const largest = Math.max(...all.map(Math.abs), 0)
  const logarithmic = positive.length === all.length && positive.length > 1 && Math.max(...positive) / Math.min(...positive) > 30
  const unit = logarithmic ? pickUnit(Math.sqrt(Math.min(...positive) * Math.max(...positive)), options.units) : pickUnit(largest, options.units)
  const scale = (v: number | undefined) => (v === undefined || !Number.isFinite(v) || (logarithmic && v <= 0) ? null : inUnit(v, unit))
  const symbol = `${unit.symbol}${options.unitSuffix ?? ''}`
  const datasets: Array<Record<string, unknown>> = []
  const tooltips: Array<Array<string | null>> = []
  for (const s of series) {
    if (s.values.some((v) => v !== undefined)) {
      datasets.push({ type: 'line', label: s.name, data: s.values.map(scale), borderColor: s.colour, backgroundColor: s.colour, pointRadius: 4, pointHoverRadius: 6, borderWidth: 2, tension: 0, spanGaps: false })
      tooltips.push(s.tooltips)
    }
    const marked = s.failures.filter((f) => f.y !== undefined && scale(f.y) !== null)
    if (marked.length > 0) {
      const data: Array<number | null> = sweep.cases.map(() => null)
      const lines: Array<string | null> = sweep.cases.map(() => null)
      for (const f of marked) {
        data[f.index] = scale(f.y)
        lines[f.index] = f.text
      }
      datasets.push({ type: 'line', label: `${s.name} ✕`, data, showLine: false, pointStyle: 'crossRot', pointRadius: 9, pointHoverRadius: 10, pointBorderWidth: 3, borderColor: s.colour, backgroundColor: withAlpha(s.colour, 0.9) })
      tooltips.push(lines)
    }
  }
  return ctx.chart({
    label: options.label,
    height: 280,
    caption: options.caption,
    config: {
      type: 'line',
      data: { labels: levelTicks(sweep), datasets },
      options: {
        scales: {
          x: { title: { display: true, text: sweep.levelName } },
          y: { type: logarithmic ? 'logarithmic' : 'linear', beginAtZero: !logarithmic && options.fromZero !== false, title: { display: true, text: `${options.axis} (${symbol}${logarithmic ? ', log' : ''})` } },
        },
        plugins: { legend: { position: 'bottom', labels: { usePointStyle: true, boxHeight: 8 } } },
      },
    },
    tooltips,
  })
}

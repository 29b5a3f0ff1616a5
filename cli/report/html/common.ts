/**
 * Sections every scenario kind shows: its header, claims, budgets, warnings and flags, flame graphs;
 * and the badges they share. Kind-specific sections live beside this file (micro.ts, …).
 */
import { claimOutcome, type BudgetResult, type ClaimResult, type Flag, type HttpVariantResult, type ProfileTool, type ScenarioResult, type VariantResult, type Verdict } from '../../result/schema.ts'
import { isSafeHref } from '../escape.ts'
import { MISSING, TIMING_PHASES, formatDate, formatInteger, formatMs, formatPValue } from '../format.ts'
import type { FlamegraphLink, ProfileFailure, ReportContext } from './context.ts'
import { EMPTY, html, isEmpty, table, type Column, type Interpolation, type SafeHtml } from './markup.ts'

/** A section of a scenario, or EMPTY when it has nothing to show. */
export type Section<S> = (scenario: S, ctx: ReportContext) => SafeHtml

/** A titled block; nothing at all when the body is empty. */
export function block(title: string, body: SafeHtml, note?: Interpolation): SafeHtml {
  if (isEmpty(body)) return EMPTY
  return html`<section class="block"><h3>${title}</h3>${note ? html`<p class="note">${note}</p>` : ''}${body}</section>`
}

/** Label and symbol per verdict: the colour is never the only signal. */
const VERDICT_LABELS: Record<Verdict, string> = {
  slower: '▲ slower',
  faster: '▼ faster',
  same: '= same',
  inconclusive: '? inconclusive',
}

export function verdictBadge(verdict: Verdict): SafeHtml {
  return html`<span class="badge verdict-${verdict}">${VERDICT_LABELS[verdict] ?? verdict}</span>`
}

const STATE_LABELS: Record<string, string> = {
  completed: '✓ completed',
  errored: '✗ errored',
  timeout: '◔ timed out',
  oom: '✗ out of memory',
  interrupted: '■ interrupted',
  skipped: '– skipped',
  running: '… running',
}

/** A run, scenario or variant state; unknown states (from a newer perfkit) show as written. */
export function stateBadge(state: string): SafeHtml {
  const known = Object.hasOwn(STATE_LABELS, state)
  return html`<span class="badge state-${known ? state : 'unknown'}">${known ? STATE_LABELS[state] : state}</span>`
}

/** `p = 0.012`, or `p < 0.001` where the value is below what is printed. */
export function pValueText(p: number): string {
  const text = formatPValue(p)
  return text.startsWith('<') ? `p ${text}` : `p = ${text}`
}

/** A variant's name, tagged when it is the baseline. */
export function variantLabel(v: { name: string; isBaseline: boolean }): SafeHtml {
  return html`${v.name}${v.isBaseline ? html` <span class="tag">baseline</span>` : ''}`
}

/**
 * Variants in report order: by `rank` (a group, then a key within it, both ascending), ties by
 * name, so every table and chart of a scenario lists them alike.
 */
export function sortByRank<V extends { name: string }>(variants: readonly V[], rank: (v: V) => [number, number]): V[] {
  return [...variants].sort((a, b) => {
    const [ga, ka] = rank(a)
    const [gb, kb] = rank(b)
    return ga - gb || ka - kb || a.name.localeCompare(b.name)
  })
}

/**
 * Why a micro or http variant did not complete, and after how many rounds; `roundsNote` follows
 * the count (e.g. that the row's figures come from those rounds). EMPTY for a completed one.
 */
export function variantProblem(v: VariantResult | HttpVariantResult, roundsNote = ''): SafeHtml {
  const partial = v.rounds.length > 0 ? `, after ${v.rounds.length} completed round${v.rounds.length === 1 ? '' : 's'}${roundsNote}` : ''
  switch (v.state) {
    case 'errored':
      return html`<span class="problem">Errored in ${v.phase}${partial}:</span> <span class="message">${v.error.message}</span>${stack(v.error.stack)}`
    case 'timeout':
      return html`<span class="problem">Timed out in ${v.phase}</span> (limit ${formatMs(v.timeoutMs)})${partial}.`
    case 'interrupted':
      return html`<span class="problem">Interrupted</span> before it finished${partial}.`
    default:
      return EMPTY
  }
}

/** What each variant counted while it ran (conflicts, retries, cache hits …): a column per counter, EMPTY when none counted. */
export function countersTable<V extends { counters?: Record<string, number> }>(variants: readonly V[], first: Column<V>): SafeHtml {
  const rows = variants.filter((v) => v.counters && Object.keys(v.counters).length > 0)
  if (rows.length === 0) return EMPTY
  const names = [...new Set(rows.flatMap((v) => Object.keys(v.counters!)))]
  return table<V>(
    [first, ...names.map((name) => ({ header: name, numeric: true, cell: (v: V) => (v.counters && name in v.counters ? formatInteger(v.counters[name]) : MISSING) }))],
    rows,
    { className: 'counters' },
  )
}

export function paramChips(params: Record<string, unknown>): SafeHtml {
  const entries = Object.entries(params)
  if (entries.length === 0) return EMPTY
  return html`<ul class="chips">${entries.map(([k, v]) => html`<li><code>${k}=${String(v)}</code></li>`)}</ul>`
}

/** Title, id, source, parameters, state; the scenario's own error when it did not complete. */
export const scenarioHeader: Section<ScenarioResult> = (s) => {
  const facts = [
    html`<span>${stateBadge(s.state)}</span>`,
    html`<span><code>${s.id}</code></span>`,
    s.source ? html`<span>source: ${s.source}</span>` : '',
    html`<span>file: <code>${s.file}</code></span>`,
    html`<span>baseline: <strong>${s.baseline}</strong></span>`,
    html`<span>started ${formatDate(s.startedAt)}, took ${formatMs(s.durationMs)}</span>`,
  ]
  let status: SafeHtml = EMPTY
  if (s.state === 'errored') {
    status = html`<div class="callout error"><strong>This scenario failed${s.error ? ':' : '.'}</strong> ${s.error?.message ?? ''}${stack(s.error?.stack)}</div>`
  } else if (s.state === 'skipped') {
    status = html`<div class="callout muted"><strong>Skipped.</strong> ${s.error?.message ?? 'No reason was recorded.'}</div>`
  } else if (s.state === 'interrupted') {
    status = html`<div class="callout warn"><strong>Interrupted:</strong> the run was stopped during this scenario; the figures cover only the rounds that finished.</div>`
  }
  return html`<header class="scenario-head"><h2>${s.title || s.name}</h2><p class="facts">${facts}</p>${paramChips(s.params)}${s.description ? html`<p class="description">${s.description}</p>` : ''}${timingBar(s)}${status}</header>`
}

/** One small stacked bar: where the case's wall time went (process start-up, setup, warm-up, rounds, passes, teardown). */
function timingBar(s: ScenarioResult): SafeHtml {
  const timing = s.timing
  if (!timing || s.durationMs <= 0) return EMPTY
  const segments = TIMING_PHASES.filter(([key]) => timing[key] > 0).map(
    ([key, label]) => html`<span class="timing-${key}" style="width:${((timing[key] / s.durationMs) * 100).toFixed(2)}%" title="${label}: ${formatMs(timing[key])}"></span>`,
  )
  const legend = TIMING_PHASES.map(([key, label]) => html`<span><i class="timing-${key}"></i>${label} ${formatMs(timing[key])}</span>`)
  return html`<div class="timing" aria-label="where the time went"><div class="timing-bar">${segments}</div><p class="timing-legend small muted">${legend}</p></div>`
}

export function stack(text: string | undefined): SafeHtml {
  return text ? html`<details><summary>stack</summary><pre>${text}</pre></details>` : EMPTY
}

export function claimHolds(claim: Pick<ClaimResult, 'holds' | 'outcome'>): SafeHtml {
  switch (claimOutcome(claim)) {
    case 'holds':
      return html`<span class="badge pass">✓ holds</span>`
    case 'does-not-hold':
      return html`<span class="badge fail">✗ does not hold</span>`
    case 'cant-tell':
      return html`<span class="badge warn" title="the interval straddles the threshold">? can’t tell</span>`
    case 'not-judged':
      return html`<span class="badge muted">— not judged</span>`
  }
}

/** Published claims beside the figures this run measured. */
export const claimsSection: Section<ScenarioResult> = (s) => {
  if (s.claims.length === 0) return EMPTY
  const body = table<ClaimResult>(
    [
      { header: 'Claim', cell: (c) => c.text },
      { header: 'Published', cell: (c) => c.published ?? '—' },
      { header: 'Measured here', cell: (c) => c.measuredText, numeric: true },
      { header: 'Check', cell: (c) => (c.check ? html`<code>${c.check}</code>` : html`<span class="muted">none</span>`) },
      { header: 'Holds', cell: (c) => claimHolds(c) },
    ],
    s.claims,
    { className: 'claims' },
  )
  return block('Claims', body, 'Figures published by the source, checked on this machine. A claim without a check is shown beside our figure, unjudged.')
}

export function budgetState(state: BudgetResult['state']): SafeHtml {
  if (state === 'pass') return html`<span class="badge pass">✓ pass</span>`
  if (state === 'fail') return html`<span class="badge fail">✗ fail</span>`
  if (state === 'cant-tell') return html`<span class="badge warn" title="the interval straddles the threshold">? can’t tell</span>`
  return html`<span class="badge muted">— missing</span>`
}

export const budgetsSection: Section<ScenarioResult> = (s) => {
  if (s.budgets.length === 0) return EMPTY
  const body = table<BudgetResult>(
    [
      { header: 'Budget', cell: (b) => html`<code>${b.expression}</code>` },
      { header: 'Variant', cell: (b) => b.variant },
      { header: 'Measured', cell: (b) => b.measuredText, numeric: true },
      { header: 'Result', cell: (b) => budgetState(b.state) },
      { header: 'From', cell: (b) => (b.origin === 'config' ? 'config file' : 'scenario') },
    ],
    s.budgets,
    { className: 'budgets', detail: (b) => (b.message ? html`<span class="muted">${b.message}</span>` : ''), rowClass: (b) => `budget-${b.state}` },
  )
  return block('Budgets', body)
}

interface HasFlags {
  warnings: string[]
  variants?: ReadonlyArray<{ name: string; flags: Flag[] }>
}

/** The scenario's warnings and every variant's flags (possible dead-code elimination, high variance …). */
export const warningsSection: Section<HasFlags> = (s) => {
  const flags = (s.variants ?? []).flatMap((v) => v.flags.map((f) => ({ variant: v.name, flag: f })))
  // The engine copies some flags into the scenario's warnings as `variant: message`; say each once.
  const flagged = new Set(flags.map(({ variant, flag }) => `${variant}: ${flag.message}`))
  const warnings = s.warnings.filter((w) => !flagged.has(w))
  if (warnings.length === 0 && flags.length === 0) return EMPTY
  const items = [
    ...warnings.map((w) => html`<li>${w}</li>`),
    ...flags.map(({ variant, flag }) => html`<li><strong>${variant}</strong> <span class="flag">⚑ ${flag.code}</span> ${flag.message}</li>`),
  ]
  return block('Warnings and flags', html`<ul class="warnings">${items}</ul>`)
}

const LINK_LABELS: Record<FlamegraphLink['kind'], string> = {
  flamegraph: 'flame graph',
  differential: 'differential flame graph (vs baseline)',
  cpuprofile: '.cpuprofile (DevTools, speedscope)',
  doctor: 'Clinic doctor',
}

const TOOL_NAMES: Record<ProfileTool, string> = { cpuprofile: 'inspector', '0x': '0x', 'clinic-doctor': 'Clinic doctor' }

function linkLabel(link: FlamegraphLink): string {
  const label = Object.hasOwn(LINK_LABELS, link.kind) ? LINK_LABELS[link.kind] : link.kind
  return link.kind === 'flamegraph' && link.tool === '0x' ? `${label} (0x)` : label
}

/** The flame graph first, then the differential, the other tools' reports, and the raw profile last. */
function linkRank(link: FlamegraphLink): number {
  const order = ['flamegraph', 'differential', 'doctor', 'cpuprofile']
  const rank = order.indexOf(link.kind)
  return (rank < 0 ? order.length : rank) * 2 + (link.tool === '0x' ? 1 : 0)
}

function profileLink(link: FlamegraphLink): SafeHtml {
  const label = linkLabel(link)
  if (!isSafeHref(link.href)) return html`<span title="not linked: unsupported address">${label} (<code>${link.href}</code>)</span>`
  return html`<a href="${link.href}">${label}</a>`
}

/** Links to one or more cases' profiles, a line per variant (and level, for sweeps), and profilers that failed. */
export function profileList(entries: ReadonlyArray<{ label?: string; links: FlamegraphLink[]; failures: ProfileFailure[] }>): SafeHtml {
  const items: SafeHtml[] = []
  for (const { label, links, failures } of entries) {
    const byVariant = new Map<string, FlamegraphLink[]>()
    for (const link of [...links].sort((a, b) => linkRank(a) - linkRank(b))) byVariant.set(link.variant, [...(byVariant.get(link.variant) ?? []), link])
    const prefix = label ? html`<span class="muted">${label}</span> · ` : EMPTY
    for (const [variant, list] of byVariant) items.push(html`<li>${prefix}<strong>${variant}</strong>: ${list.map((l, i) => html`${i ? ' · ' : ''}${profileLink(l)}`)}</li>`)
    for (const f of failures) items.push(html`<li class="fail-text">${prefix}<strong>${f.variant}</strong>: ${TOOL_NAMES[f.tool] ?? f.tool} could not profile it — ${f.message}</li>`)
  }
  if (items.length === 0) return EMPTY
  return html`<ul class="links">${items}</ul>`
}

/** Links to the profiles perfkit wrote for this scenario's variants. */
export const flamegraphSection: Section<ScenarioResult> = (s, ctx) => {
  const body = profileList([{ links: ctx.flamegraphsFor(s), failures: ctx.profileFailures(s) }])
  return block('Profiles', body, isEmpty(body) ? undefined : 'Flame graphs of each variant over a few seconds of its loop; the differential one colours each frame by the change in self time against the baseline (red: more, blue: less).')
}

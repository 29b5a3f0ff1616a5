/**
 * The HTML reporter: one self-contained page per run.
 *
 * Chart.js and the box-plot plugin are inlined from their UMD builds, the styles are inline and the
 * charts travel as escaped JSON, so the file opens from `file://` and asks no network address for
 * anything. A Content-Security-Policy that allows only the page's own scripts (by hash) backs that up.
 *
 * Structure: the run header and table of contents here; per scenario, a header and the sections of its
 * kind (html/micro.ts …), one function per section. Adding a scenario kind means adding its sections
 * and one case in `kindSections`, not rewriting the page.
 */
import { claimOutcome, type BudgetResult, type ClaimResult, type Comparison, type HttpScenarioResult, type LoadScenarioResult, type MicroScenarioResult, type RunResult, type ScenarioResult } from '../result/schema.ts'
import { reportAssets } from './assets.ts'
import { formatBytes, formatDate, formatDuration, formatMs, formatPercent } from './format.ts'
import { againstFacts, againstSection } from './html/against.ts'
import { scenarioHeader, stateBadge, verdictBadge } from './html/common.ts'
import { ReportContext, type FlamegraphLink } from './html/context.ts'
import { selfContainedPage } from './html/document.ts'
import { EMPTY, html, type SafeHtml } from './html/markup.ts'
import { httpSections } from './html/http.ts'
import { loadSections } from './html/load.ts'
import { MICRO_SECTIONS } from './html/micro.ts'
import { blocksOf, sweepState, sweepTitle, type Block, type Sweep } from './html/sweep.ts'
import { REPORT_CSS } from './html/style.ts'

export type { FlamegraphLink } from './html/context.ts'

export interface HtmlReportOptions {
  /** Profiles written for this run, linked from their scenario's section. @default [] */
  flamegraphs?: FlamegraphLink[]
}

/** Renders a run as one self-contained HTML document. Pure: the same result gives the same page. */
export function renderHtml(result: RunResult, options: HtmlReportOptions = {}): string {
  const ctx = new ReportContext(options.flamegraphs ?? [])
  const scenarios = result.scenarios ?? []
  const blocks = blocksOf(scenarios)
  const body = html`<main>${runHeader(result)}${tableOfContents(blocks)}${blocks.length === 0 ? noScenarios(result) : blocks.map((b, i) => blockArticle(b, i, ctx))}${footer(result)}</main>`
  return page(`perfkit report — ${result.run?.id ?? 'run'}`, body, { charts: ctx.charts })
}

function scenarioAnchor(index: number): string {
  return `scenario-${index + 1}`
}

/** A scenario case, or a load/http sweep gathered from its cases, as one card. */
function blockArticle(b: Block, index: number, ctx: ReportContext): SafeHtml {
  const sections = b.type === 'scenario' ? [scenarioHeader(b.scenario, ctx), ...kindSections(b.scenario, ctx)] : sweepSections(b, ctx)
  // --against: each case's head vs base, after the kind's own sections.
  const cases: ScenarioResult[] = b.type === 'scenario' ? [b.scenario] : b.sweep.cases
  sections.push(...cases.map((c) => againstSection(c, ctx)))
  return html`<article class="card scenario" id="${scenarioAnchor(index)}">${sections}</article>`
}

function sweepSections(b: Extract<Block, { type: 'sweep' }>, ctx: ReportContext): SafeHtml[] {
  switch (b.sweep.kind) {
    case 'load':
      return loadSections(b.sweep as Sweep<LoadScenarioResult>, ctx)
    case 'http':
      return httpSections(b.sweep as Sweep<HttpScenarioResult>, ctx)
  }
}

/**
 * The sections of a case shown on its own. Load and http cases are drawn as sweeps (blocksOf), unless
 * one lacks its level; a kind this perfkit does not know (a newer result) is named, not guessed at.
 */
function kindSections(s: ScenarioResult, ctx: ReportContext): SafeHtml[] {
  switch (s.kind) {
    case 'micro':
      return MICRO_SECTIONS.map((section) => section(s, ctx))
    case 'load':
    case 'http':
      return [html`<p class="callout muted">This ${s.kind} result has no sweep level, so its curves cannot be drawn; the result JSON holds its figures.</p>`]
    default: {
      const kind: string = (s as { kind?: unknown }).kind === undefined ? 'unknown' : String((s as { kind?: unknown }).kind)
      return [html`<p class="callout muted">This report does not know how to show <code>${kind}</code> scenarios; the result JSON holds their figures.</p>`]
    }
  }
}

function runStateBanner(state: string): SafeHtml {
  if (state === 'completed') return EMPTY
  if (state === 'interrupted')
    return html`<div class="callout warn banner"><strong>Interrupted run.</strong> The run was stopped (Ctrl-C) before it finished: the results below are partial, and scenarios that had not run are missing.</div>`
  if (state === 'running')
    return html`<div class="callout warn banner"><strong>Unfinished run.</strong> This result was written while the run was still going, or the run crashed: the results below are partial, and scenarios that had not run are missing.</div>`
  return html`<div class="callout warn banner"><strong>Run state: ${state}.</strong> This perfkit does not know that state; treat the results as partial.</div>`
}

function runDuration(startedAt: string, finishedAt: string | undefined): string {
  if (!finishedAt) return 'not finished'
  const ms = Date.parse(finishedAt) - Date.parse(startedAt)
  return Number.isFinite(ms) && ms >= 0 ? formatMs(ms) : '—'
}

function settingsText(result: RunResult): string {
  const s = result.run.settings
  if (!s) return '—'
  const parts = [
    `seed ${s.seed}`,
    `${formatMs(s.timeMs)} per scenario`,
    `minimum effect ${formatPercent(s.minEffect)}`,
    `α ${s.alpha}`,
    `timeout ${formatMs(s.timeoutMs)}`,
  ]
  if (s.quick) parts.push('quick')
  if (s.rounds !== undefined) parts.push(`${s.rounds} rounds`)
  if (s.filter) parts.push(`filter ${s.filter}`)
  for (const [key, value] of Object.entries(s.params ?? {})) parts.push(`${key}=${value}`)
  return parts.join(' · ')
}

function runHeader(result: RunResult): SafeHtml {
  const { run, environment: env } = result
  const git = env.git
    ? html`<code>${env.git.commit.slice(0, 12)}</code>${env.git.branch ? ` on ${env.git.branch}` : ''}${env.git.dirty ? html` <span class="badge state-timeout">uncommitted changes</span>` : ''}`
    : html`<span class="muted">not a git checkout</span>`
  const load = env.loadAverage ? `${env.loadAverage.map((l) => l.toFixed(2)).join(' / ')} (1 / 5 / 15 min)` : '—'
  const noise = env.noise?.length
    ? html`<div class="callout warn"><strong>Noise warning${env.noise.length > 1 ? 's' : ''}:</strong><ul>${env.noise.map((n) => html`<li>${n}</li>`)}</ul></div>`
    : EMPTY
  return html`<header class="card run-head">
<h1>perfkit report</h1>
<p class="subtitle">Run <code>${run.id}</code> · ${formatDate(run.startedAt)} · ${stateBadge(run.state)}</p>
${runStateBanner(run.state)}
<div class="run-grid">
<section><h2>Run</h2><dl class="facts">
<dt>Started</dt><dd>${formatDate(run.startedAt)}</dd>
<dt>Finished</dt><dd>${run.finishedAt ? formatDate(run.finishedAt) : html`<span class="muted">not finished</span>`}</dd>
<dt>Duration</dt><dd>${runDuration(run.startedAt, run.finishedAt)}</dd>
<dt>Command</dt><dd><code>perfkit ${(run.argv ?? []).join(' ')}</code></dd>
<dt>Settings</dt><dd>${settingsText(result)}</dd>
<dt>perfkit</dt><dd>${result.perfkit} (${result.schema})</dd>
</dl></section>
<section><h2>Environment</h2><dl class="facts">
<dt>Node</dt><dd>${env.node} (V8 ${env.v8})</dd>
<dt>Platform</dt><dd>${env.platform} ${env.arch} · host ${env.hostname}</dd>
<dt>CPU</dt><dd>${env.cpu.model} × ${env.cpu.count}${env.cpu.speedMHz ? ` @ ${env.cpu.speedMHz} MHz` : ''}</dd>
<dt>Load average</dt><dd>${load}</dd>
<dt>Memory</dt><dd>${formatBytes(env.memory.totalBytes)} total, ${formatBytes(env.memory.freeBytes)} free at start</dd>
<dt>Git</dt><dd>${git}</dd>
</dl></section>
</div>
${againstFacts(result.against)}
${noise}
</header>`
}

function counts<T extends string>(values: T[]): Array<[T, number]> {
  const map = new Map<T, number>()
  for (const v of values) map.set(v, (map.get(v) ?? 0) + 1)
  return [...map]
}

interface TocRow {
  title: string
  id: string
  state: string
  verdicts: SafeHtml[]
  variants: number
  failing: number
  budgets: BudgetResult[]
  claims: ClaimResult[]
}

function verdictCounts(comparisons: readonly Comparison[]): SafeHtml[] {
  return counts(comparisons.map((c) => c.verdict)).map(([verdict, n]) => html`${verdictBadge(verdict)}<span class="small muted">${n > 1 ? `×${n}` : ''}</span> `)
}

function tocRow(b: Block): TocRow {
  if (b.type === 'scenario') {
    const s = b.scenario
    // Read through optional fields: a kind added later (or unknown to this version) may lack some.
    const { comparisons = [], variants = [], budgets = [], claims = [] } = s as Partial<MicroScenarioResult>
    return { title: s.title || s.name, id: s.id, state: s.state, verdicts: verdictCounts(comparisons), variants: variants.length, failing: variants.filter((v) => v.state !== 'completed').length, budgets, claims }
  }
  const { sweep } = b
  const cells: Array<{ name: string; state: string }> = sweep.cases.flatMap((c) => c.variants as Array<{ name: string; state: string }>)
  const fellOver = counts(cells.filter((v) => v.state !== 'completed' && v.state !== 'skipped').map((v) => v.state)).map(([state, n]) => html`${stateBadge(state)}<span class="small muted">${n > 1 ? `×${n}` : ''}</span> `)
  return {
    title: sweepTitle(sweep),
    id: `${sweep.name} · ${sweep.levelName} ${sweep.cases.map((c) => c.level.value).join(', ')}`,
    state: sweepState(sweep),
    verdicts: [...verdictCounts(sweep.cases.flatMap((c) => c.comparisons)), ...fellOver],
    variants: sweep.variants.length,
    failing: new Set(cells.filter((v) => v.state !== 'completed').map((v) => v.name)).size,
    budgets: sweep.cases.flatMap((c) => c.budgets),
    claims: sweep.cases.flatMap((c) => c.claims),
  }
}

/** An overview of every scenario (a sweep counts once), linking to it; only when there is more than one. */
function tableOfContents(blocks: Block[]): SafeHtml {
  if (blocks.length < 2) return EMPTY
  const rows = blocks.map((b, i) => {
    const row = tocRow(b)
    const budgetsFailed = row.budgets.filter((x) => x.state === 'fail').length
    const claimsBroken = row.claims.filter((c) => claimOutcome(c) === 'does-not-hold').length
    return html`<tr><th scope="row"><a href="#${scenarioAnchor(i)}">${row.title}</a><div class="small muted"><code>${row.id}</code></div></th><td>${stateBadge(row.state)}</td><td>${row.verdicts.length ? row.verdicts : html`<span class="muted">—</span>`}</td><td class="num">${row.variants}${row.failing ? html` <span class="small fail-text">(${row.failing} did not complete)</span>` : ''}</td><td class="num">${row.budgets.length ? (budgetsFailed ? html`<span class="badge fail">✗ ${budgetsFailed} of ${row.budgets.length} failed</span>` : html`<span class="badge pass">✓ ${row.budgets.length} passed</span>`) : '—'}</td><td class="num">${row.claims.length ? (claimsBroken ? html`<span class="badge fail">✗ ${claimsBroken} of ${row.claims.length} broken</span>` : `${row.claims.length}`) : '—'}</td></tr>`
  })
  return html`<nav class="card toc" aria-label="Scenarios"><h2>Scenarios</h2><div class="table-wrap"><table><thead><tr><th scope="col">Scenario</th><th scope="col">State</th><th scope="col">Verdicts vs baseline</th><th scope="col" class="num">Variants</th><th scope="col" class="num">Budgets</th><th scope="col" class="num">Claims</th></tr></thead><tbody>${rows}</tbody></table></div></nav>`
}

function noScenarios(result: RunResult): SafeHtml {
  const why = result.run.state === 'completed' ? 'No scenario matched, or none was found.' : 'The run ended before any scenario finished.'
  return html`<section class="card"><p class="empty">This run has no scenario results. ${why}</p></section>`
}

function footer(result: RunResult): SafeHtml {
  return html`<footer>perfkit ${result.perfkit} · ${result.schema} · times per operation, ${formatDuration(1)} to ${formatDuration(1e9)} scaled; memory in decimal units (1 kB = 1000 B)</footer>`
}

function page(title: string, body: SafeHtml, data: unknown): string {
  const assets = reportAssets()
  return selfContainedPage({ title, css: REPORT_CSS, body, dataId: 'perfkit-data', data, scripts: [assets.chartJs, assets.boxPlot, assets.client] })
}

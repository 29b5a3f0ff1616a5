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
import { createHash } from 'node:crypto'
import type { MicroScenarioResult, RunResult, ScenarioResult } from '../result/schema.ts'
import { reportAssets } from './assets.ts'
import { jsonForScript } from './escape.ts'
import { formatBytes, formatDate, formatDuration, formatMs, formatPercent } from './format.ts'
import { scenarioHeader, stateBadge, verdictBadge } from './html/common.ts'
import { ReportContext, type FlamegraphLink } from './html/context.ts'
import { EMPTY, html, trusted, type SafeHtml } from './html/markup.ts'
import { MICRO_SECTIONS } from './html/micro.ts'
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
  const body = html`<main>${runHeader(result)}${tableOfContents(scenarios)}${scenarios.length === 0 ? noScenarios(result) : scenarios.map((s, i) => scenarioBlock(s, i, ctx))}${footer(result)}</main>`
  return page(`perfkit report — ${result.run?.id ?? 'run'}`, body, { charts: ctx.charts })
}

function scenarioAnchor(index: number): string {
  return `scenario-${index + 1}`
}

function scenarioBlock(s: ScenarioResult, index: number, ctx: ReportContext): SafeHtml {
  return html`<article class="card scenario" id="${scenarioAnchor(index)}">${scenarioHeader(s, ctx)}${kindSections(s, ctx)}</article>`
}

/** The sections of the scenario's kind. A kind this perfkit does not know (a newer result) is named, not guessed at. */
function kindSections(s: ScenarioResult, ctx: ReportContext): SafeHtml[] {
  switch (s.kind) {
    case 'micro':
      return MICRO_SECTIONS.map((section) => section(s, ctx))
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
${noise}
</header>`
}

function counts<T extends string>(values: T[]): Array<[T, number]> {
  const map = new Map<T, number>()
  for (const v of values) map.set(v, (map.get(v) ?? 0) + 1)
  return [...map]
}

/** An overview of every scenario, linking to it; only when there is more than one. */
function tableOfContents(scenarios: ScenarioResult[]): SafeHtml {
  if (scenarios.length < 2) return EMPTY
  const rows = scenarios.map((s, i) => {
    // Read through optional fields: a kind added later (or unknown to this version) may lack some.
    const { comparisons = [], variants = [], budgets = [], claims = [] } = s as Partial<MicroScenarioResult>
    const verdicts = counts(comparisons.map((c) => c.verdict)).map(([verdict, n]) => html`${verdictBadge(verdict)}<span class="small muted">${n > 1 ? `×${n}` : ''}</span> `)
    const failing = variants.filter((v) => v.state !== 'completed').length
    const budgetsFailed = budgets.filter((b) => b.state === 'fail').length
    const claimsBroken = claims.filter((c) => c.holds === false).length
    return html`<tr><th scope="row"><a href="#${scenarioAnchor(i)}">${s.title || s.name}</a><div class="small muted"><code>${s.id}</code></div></th><td>${stateBadge(s.state)}</td><td>${verdicts.length ? verdicts : html`<span class="muted">—</span>`}</td><td class="num">${variants.length}${failing ? html` <span class="small fail-text">(${failing} failed)</span>` : ''}</td><td class="num">${budgets.length ? (budgetsFailed ? html`<span class="badge fail">✗ ${budgetsFailed} of ${budgets.length} failed</span>` : html`<span class="badge pass">✓ ${budgets.length} passed</span>`) : '—'}</td><td class="num">${claims.length ? (claimsBroken ? html`<span class="badge fail">✗ ${claimsBroken} of ${claims.length} broken</span>` : `${claims.length}`) : '—'}</td></tr>`
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

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`
}

/**
 * The document. The JSON block is data (never executed); the three scripts are allowed by hash, so an
 * injected script or event handler would be refused even if escaping failed somewhere.
 */
function page(title: string, body: SafeHtml, data: unknown): string {
  const assets = reportAssets()
  const scripts = [assets.chartJs, assets.boxPlot, assets.client]
  const csp = [
    "default-src 'none'",
    `script-src ${scripts.map(sha256).join(' ')}`,
    "style-src 'unsafe-inline'",
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ')
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="generator" content="perfkit">
<title>${title}</title>
<style>${trusted(REPORT_CSS)}</style>
</head>
<body>
${body}
<script type="application/json" id="perfkit-data">${trusted(jsonForScript(data))}</script>
${scripts.map((source) => html`<script>${trusted(source)}</script>\n`)}</body>
</html>
`.value
}

/**
 * `perfkit run --against <ref>` in the report: per case, each variant's time on the ref (base) and in
 * the working tree (head), head ÷ base with its interval and verdict, and the ratio chart of those
 * changes; and, in the run's header, what the base was. Nothing for an ordinary run.
 */
import type { AgainstCompared, AgainstRun, ScenarioResult } from '../../result/schema.ts'
import { MISSING, formatChange, formatCount, formatDuration, formatPercent, formatRatio, formatRatioInterval } from '../format.ts'
import { block, pValueText, verdictBadge } from './common.ts'
import { VERDICT_COLOURS, withAlpha, type ReportContext } from './context.ts'
import { EMPTY, html, table, type SafeHtml } from './markup.ts'

/** The run header's line: the ref, its commit, and the head. */
export function againstFacts(a: AgainstRun | undefined): SafeHtml {
  if (!a) return EMPTY
  const head = html`the working tree${a.head.commit ? html` (<code>${a.head.commit.slice(0, 12)}</code>)` : ''}${a.head.dirty ? html` <span class="badge state-timeout">uncommitted changes measured</span>` : ''}`
  const notes = a.notes.length ? html`<ul>${a.notes.map((n) => html`<li>${n}</li>`)}</ul>` : EMPTY
  return html`<div class="callout"><strong>Against <code>${a.ref}</code></strong> (<code>${a.commit.slice(0, 12)}</code>${a.subject ? ` ${a.subject}` : ''}): every variant ran on the ref's code (base) and on ${head} (head) in one interleaved round plan; head ÷ base is paired by round.${notes}</div>`
}

/** A case's head-vs-base table and ratio chart. */
export function againstSection(s: ScenarioResult, ctx: ReportContext): SafeHtml {
  const against = s.against
  if (!against) return EMPTY
  const perRequest = s.kind === 'http'
  const side = (ns: number | undefined) => (ns === undefined ? MISSING : perRequest ? `${formatCount(1e9 / ns)} req/s` : formatDuration(ns))
  const rows = against.variants
  const body = table(
    [
      { header: 'Variant', cell: (v) => html`${v.variant}${v.variant === s.baseline ? html` <span class="muted">(baseline)</span>` : ''}` },
      { header: perRequest ? 'Base' : 'Base time/op', numeric: true, cell: (v) => side(v.state === 'compared' ? v.base : undefined), help: 'Median round time on the ref' },
      { header: perRequest ? 'Head' : 'Head time/op', numeric: true, cell: (v) => side(v.state === 'compared' ? v.head : undefined), help: 'Median round time in the working tree' },
      { header: 'Head ÷ base', numeric: true, cell: (v) => (v.state === 'compared' ? html`${formatRatio(v.change.estimate)} <span class="muted">(${formatChange(v.change.estimate)})</span>` : MISSING) },
      { header: 'Interval', numeric: true, cell: (v) => (v.state === 'compared' ? formatRatioInterval(v.change) : MISSING) },
      {
        header: 'Verdict',
        cell: (v) => (v.state === 'compared' ? html`${verdictBadge(v.verdict)} <span class="pvalue">${pValueText(v.pValue)}</span>` : html`<span class="muted">not compared: ${v.reason}</span>`),
      },
    ],
    rows,
    { className: 'verdicts against' },
  )
  const notes = against.notes.length ? html`<ul class="callout warn">${against.notes.map((n) => html`<li>${n}</li>`)}</ul>` : EMPTY
  const compared = rows.filter((v): v is AgainstCompared => v.state === 'compared')
  return block(s.kind === 'micro' ? 'Head vs base' : `Head vs base — ${s.id}`, html`${notes}${body}${changeChart(s, compared, ctx)}`, 'A head variant slower than on the base fails the gate; "same" needs the whole interval inside the minimum effect.')
}

/** head ÷ base per variant as intervals around 1, the ± minimum-effect band shaded. */
function changeChart(s: ScenarioResult, compared: readonly AgainstCompared[], ctx: ReportContext): SafeHtml {
  if (compared.length === 0) return EMPTY
  const minEffect = compared[0]!.minEffect
  const low = Math.min(1 - minEffect, ...compared.map((c) => c.change.low))
  const high = Math.max(1 + minEffect, ...compared.map((c) => c.change.high))
  const pad = (high - low) * 0.08
  const colours = compared.map((c) => VERDICT_COLOURS[c.verdict] ?? '#334155')
  const level = formatPercent(compared[0]!.change.level)
  return ctx.chart({
    label: `Head ÷ base of each variant of ${s.id}, with ${level} intervals`,
    height: 70 + 44 * compared.length,
    caption: html`Each bar is the ${level} interval of <em>head time ÷ base time</em>, the diamond its estimate. Right of the dashed line at 1× the working tree is slower than the ref; the shaded band is ±${formatPercent(minEffect)}.`,
    config: {
      type: 'bar',
      data: {
        labels: compared.map((c) => c.variant),
        datasets: [
          {
            type: 'bar',
            label: `${level} interval`,
            data: compared.map((c) => [c.change.low, c.change.high]),
            backgroundColor: colours.map((c) => withAlpha(c, 0.3)),
            borderColor: colours,
            borderWidth: 1.5,
            borderSkipped: false,
            barPercentage: 0.55,
            categoryPercentage: 0.9,
            grouped: false,
            order: 2,
          },
          {
            type: 'line',
            label: 'estimate',
            data: compared.map((c) => c.change.estimate),
            showLine: false,
            pointStyle: 'rectRot',
            pointRadius: 7,
            pointHoverRadius: 8,
            pointBackgroundColor: colours,
            pointBorderColor: '#0f172a',
            pointBorderWidth: 1,
            order: 1,
          },
        ],
      },
      options: {
        indexAxis: 'y',
        scales: {
          x: { type: 'linear', beginAtZero: false, suggestedMin: Math.max(0, low - pad), suggestedMax: high + pad, title: { display: true, text: 'head time ÷ base time (×)' } },
          y: { grid: { display: false } },
        },
        plugins: { legend: { display: false }, perfkitBand: { axis: 'x', from: 1 - minEffect, to: 1 + minEffect, at: 1 } },
      },
    },
    tooltips: [
      compared.map((c) => [`${level} interval ${formatRatioInterval(c.change)}`, `${pValueText(c.pValue)} (${c.test}, n = ${c.n})`]),
      compared.map((c) => `${formatRatio(c.change.estimate)} (${formatChange(c.change.estimate)}): ${c.verdict}`),
    ],
  })
}

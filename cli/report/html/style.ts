/** The report's stylesheet: light theme, system fonts, figures right-aligned in tabular digits. */
export const REPORT_CSS = `
:root {
  --text: #0f172a; --muted: #5b6b80; --border: #e2e8f0; --page: #f1f5f9; --card: #ffffff; --panel: #f8fafc;
  --accent: #1d4ed8;
  --font: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--page); color: var(--text); font: 15px/1.5 var(--font); }
main { max-width: 1240px; margin: 0 auto; padding: 24px 24px 48px; }
h1 { font-size: 26px; line-height: 1.2; margin: 0 0 4px; }
h2 { font-size: 21px; line-height: 1.25; margin: 0 0 6px; }
h3 { font-size: 16px; margin: 0 0 10px; }
a { color: var(--accent); }
code { font-family: var(--mono); font-size: 0.9em; background: var(--panel); border: 1px solid var(--border); border-radius: 4px; padding: 0 4px; overflow-wrap: anywhere; }
pre { font-family: var(--mono); font-size: 12px; background: var(--panel); padding: 8px; overflow: auto; white-space: pre-wrap; }
.muted { color: var(--muted); }
.small { font-size: 12px; }
.pvalue { color: var(--muted); font-size: 12px; white-space: nowrap; }
.note { color: var(--muted); font-size: 13px; margin: -4px 0 10px; max-width: 80ch; }
.card { background: var(--card); border: 1px solid var(--border); border-radius: 10px; padding: 20px 24px; margin: 20px 0; box-shadow: 0 1px 2px rgba(15, 23, 42, 0.05); }
.run-head .subtitle { color: var(--muted); margin: 0 0 14px; }
.run-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(340px, 1fr)); gap: 8px 32px; }
.run-grid h2 { font-size: 14px; text-transform: uppercase; letter-spacing: 0.05em; color: var(--muted); margin: 8px 0 6px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 3px 16px; margin: 0; font-size: 14px; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.callout { border-left: 4px solid; border-radius: 4px; padding: 10px 14px; margin: 10px 0; font-size: 14px; }
.callout.warn { border-color: #d97706; background: #fffbeb; }
.callout.error { border-color: #dc2626; background: #fef2f2; }
.callout.muted { border-color: #94a3b8; background: var(--panel); color: var(--text); }
.callout ul { margin: 4px 0 0; padding-left: 20px; }
.banner { font-size: 16px; }
.scenario-head { margin-bottom: 14px; }
.scenario-head .facts { display: flex; flex-wrap: wrap; gap: 4px 16px; margin: 0 0 6px; color: var(--muted); font-size: 13px; align-items: center; }
.description { max-width: 85ch; margin: 6px 0; }
.chips { list-style: none; display: flex; flex-wrap: wrap; gap: 6px; margin: 6px 0; padding: 0; }
.block { margin: 22px 0 0; }
.headlines { margin: 0 0 12px; padding-left: 20px; }
.headlines li { margin: 3px 0; }
.t-slower { color: #991b1b; } .t-faster { color: #166534; } .t-same { color: #1e40af; } .t-inconclusive { color: #92400e; }
.table-wrap { overflow-x: auto; margin: 6px 0 10px; }
table { border-collapse: collapse; width: 100%; font-size: 13.5px; }
caption { text-align: left; color: var(--muted); padding-bottom: 4px; }
th, td { padding: 6px 10px; border-bottom: 1px solid var(--border); text-align: left; vertical-align: baseline; }
thead th { color: var(--muted); font-weight: 600; border-bottom: 2px solid var(--border); white-space: nowrap; font-size: 12.5px; }
thead th[title] { text-decoration: underline dotted; text-underline-offset: 3px; cursor: help; }
tbody th { font-weight: 600; overflow-wrap: anywhere; }
tbody th[scope="row"] { min-width: 9em; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tbody tr:hover { background: #f8fafc; }
tr.detail td { border-bottom: 1px solid var(--border); padding: 4px 10px 8px 26px; font-size: 13px; }
tr.variant-errored:not(.detail) { background: #fff7f7; }
tr.detail.variant-errored { background: #fef2f2; }
tr.detail.variant-timeout { background: #fffbeb; }
tr.detail.variant-interrupted { background: var(--panel); }
tr.variant-errored th, tr.variant-timeout th, tr.variant-interrupted th { border-bottom: none; }
tr.variant-errored td, tr.variant-timeout td, tr.variant-interrupted td { border-bottom: none; }
.problem { font-weight: 600; }
.message { font-family: var(--mono); font-size: 12.5px; overflow-wrap: anywhere; }
.timing { margin: 6px 0 0; max-width: 640px; }
.timing-bar { display: flex; height: 8px; border-radius: 4px; overflow: hidden; background: var(--panel); }
.timing-legend span { margin-right: 10px; white-space: nowrap; }
.timing-legend i { display: inline-block; width: 8px; height: 8px; border-radius: 2px; margin-right: 4px; vertical-align: 0; }
.timing-start { background: #94a3b8; } .timing-setup { background: #a78bfa; } .timing-warmup { background: #fbbf24; }
.timing-rounds { background: #2563eb; } .timing-passes { background: #34d399; } .timing-teardown { background: #f472b6; }
.badge { display: inline-block; padding: 0 8px; border: 1px solid; border-radius: 999px; font-size: 12px; font-weight: 600; line-height: 20px; white-space: nowrap; }
.verdict-slower { color: #991b1b; background: #fee2e2; border-color: #fca5a5; }
.verdict-faster { color: #166534; background: #dcfce7; border-color: #86efac; }
.verdict-same { color: #1e40af; background: #dbeafe; border-color: #93c5fd; }
.verdict-inconclusive { color: #92400e; background: #fef3c7; border-color: #fcd34d; }
.state-completed, .pass { color: #166534; background: #f0fdf4; border-color: #bbf7d0; }
.state-errored, .state-oom, .fail { color: #991b1b; background: #fef2f2; border-color: #fecaca; }
.state-timeout, .state-running, .badge.warn { color: #92400e; background: #fffbeb; border-color: #fde68a; }
.state-interrupted, .state-skipped, .state-unknown, .badge.muted { color: #475569; background: var(--panel); border-color: #cbd5e1; }
.tag { font-size: 11px; font-weight: 600; color: #475569; border: 1px solid #cbd5e1; border-radius: 4px; padding: 0 4px; margin-left: 4px; vertical-align: 1px; }
.flag { color: #b45309; font-weight: 600; }
.fail-text { color: #991b1b; }
h4 { font-size: 15px; margin: 0 0 6px; }
h4 .small { font-weight: normal; margin-left: 8px; }
section.level { border-top: 1px solid var(--border); padding-top: 14px; margin-top: 14px; }
section.level:first-of-type { border-top: none; padding-top: 0; margin-top: 0; }
table.matrix td { vertical-align: top; }
table.matrix td .small { margin-top: 2px; }
tr.variant-oom:not(.detail), tr.variant-errored:not(.detail) { background: #fff7f7; }
tr.detail.variant-oom { background: #fef2f2; }
tr.detail.variant-skipped { background: var(--panel); }
tr.variant-oom th, tr.variant-oom td, tr.variant-skipped th, tr.variant-skipped td { border-bottom: none; }
.warnings { margin: 0; padding-left: 20px; font-size: 14px; }
.warnings li { margin: 3px 0; }
.links { margin: 0; padding-left: 20px; }
.charts-2 { display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); gap: 8px 28px; align-items: start; }
figure.chart { margin: 4px 0 12px; min-width: 0; }
.chart-box { position: relative; width: 100%; }
figcaption { color: var(--muted); font-size: 12.5px; margin-top: 6px; max-width: 80ch; }
.chart-failed { color: #991b1b; }
.empty { color: var(--muted); font-style: italic; }
nav.toc td, nav.toc th { font-size: 14px; }
nav.toc .badge { margin-right: 4px; }
footer { color: var(--muted); font-size: 12.5px; text-align: center; margin-top: 28px; }
@media (max-width: 700px) { main { padding: 12px; } .card { padding: 14px; } .charts-2 { grid-template-columns: 1fr; } }
@media print {
  body { background: #fff; font-size: 12px; }
  .card { box-shadow: none; break-inside: avoid-page; }
  figure.chart, table { break-inside: avoid; }
}
`

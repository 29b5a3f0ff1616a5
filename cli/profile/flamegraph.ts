/**
 * Flame graph pages: one self-contained HTML file per profile (and per differential), drawn by
 * cli/profile/assets/flamegraph.js from the tree inlined as JSON. No request leaves the page (a hash-only
 * Content-Security-Policy backs that up), so it opens from `file://`; every string is escaped.
 */
import { perfkitScript } from '../report/assets.ts'
import { formatDuration, formatPercent } from '../report/format.ts'
import { selfContainedPage } from '../report/html/document.ts'
import { html, table, type SafeHtml } from '../report/html/markup.ts'
import { changesByFrame, type DiffNode, type DiffTree } from './diff.ts'
import { selfByFrame, type Frame, type FrameCategory, type FrameNode, type FrameTree } from './tree.ts'

export interface FlamegraphPage {
  /** The page's heading, e.g. `broker`. */
  title: string
  /** Under the heading: the scenario case, the tool, the date. */
  subtitle: string
  /** Label and text pairs shown as facts. */
  facts: Array<[string, string]>
  /** Sibling files (the raw profile, the baseline's graph …), relative to the page. */
  links: Array<{ label: string; href: string }>
}

const CATEGORY_LABELS: Record<FrameCategory, string> = {
  app: 'your code',
  dependency: 'dependencies (node_modules)',
  node: 'Node.js internals',
  native: 'V8 / native',
  harness: 'perfkit (its loop and child)',
}

/** Figures in the JSON keep five significant digits: enough for any pixel, a third of the bytes. */
function compact(value: number): number {
  return Number.isFinite(value) ? Number(value.toPrecision(5)) : 0
}

/** Frames once each, nodes in pre-order as [frame, depth, …values]. */
function flatten<N extends { key: string; frame: Frame; children: N[] }>(root: N, values: (node: N) => number[], rootFrame: Frame): { frames: Array<[string, string, FrameCategory]>; nodes: number[][] } {
  const frames: Array<[string, string, FrameCategory]> = [[rootFrame.name, rootFrame.location, rootFrame.category]]
  const index = new Map<string, number>([[root.key, 0]])
  const nodes: number[][] = []
  const stack: Array<{ node: N; depth: number }> = [{ node: root, depth: 0 }]
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!
    let frame = index.get(node.key)
    if (frame === undefined) {
      frame = frames.length
      frames.push([node.frame.name, node.frame.location, node.frame.category])
      index.set(node.key, frame)
    }
    nodes.push([frame, depth, ...values(node).map(compact)])
    for (let i = node.children.length - 1; i >= 0; i--) stack.push({ node: node.children[i]!, depth: depth + 1 })
  }
  return { frames, nodes }
}

const PAGE_CSS = `
:root { --text: #0f172a; --muted: #5b6b80; --border: #e2e8f0; --panel: #f8fafc; --accent: #1d4ed8;
  --font: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--text); background: #fff; font: 14px/1.5 var(--font); }
main { padding: 18px 22px 40px; }
h1 { font-size: 22px; margin: 0 0 2px; }
h2 { font-size: 16px; margin: 24px 0 8px; }
a { color: var(--accent); }
code { font-family: var(--mono); font-size: 0.9em; overflow-wrap: anywhere; }
.subtitle, .muted { color: var(--muted); }
.subtitle { margin: 0 0 10px; }
dl.facts { display: flex; flex-wrap: wrap; gap: 4px 22px; margin: 0 0 8px; }
dl.facts div { display: flex; gap: 6px; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; font-variant-numeric: tabular-nums; }
.links { margin: 0 0 10px; }
.links a { margin-right: 14px; }
.controls { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 12px; margin: 10px 0 6px; position: sticky; top: 0; background: #fff; padding: 6px 0; z-index: 1; }
input[type=search] { font: inherit; padding: 4px 8px; border: 1px solid #cbd5e1; border-radius: 6px; min-width: 260px; }
button { font: inherit; padding: 4px 10px; border: 1px solid #cbd5e1; border-radius: 6px; background: var(--panel); cursor: pointer; }
button[aria-pressed=true] { background: #dbeafe; border-color: #93c5fd; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 16px; margin: 4px 0 10px; font-size: 12.5px; color: var(--muted); }
.legend span::before { content: ''; display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin-right: 5px; vertical-align: -2px; background: var(--swatch); }
#flame-box { width: 100%; border-top: 1px solid var(--border); }
#flame { display: block; }
#crumbs { min-height: 1.5em; margin: 0; font-size: 12.5px; }
#tip { position: fixed; z-index: 2; max-width: 560px; background: #0f172a; color: #f8fafc; border-radius: 6px; padding: 8px 10px; font-size: 12.5px; pointer-events: none; box-shadow: 0 4px 14px rgba(15, 23, 42, 0.25); }
#tip > * { display: block; }
#tip code { color: #cbd5e1; }
#tip em { color: #94a3b8; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--border); text-align: left; vertical-align: baseline; }
thead th { color: var(--muted); font-weight: 600; white-space: nowrap; }
tbody th { font-weight: 600; overflow-wrap: anywhere; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.more { color: #b91c1c; } .less { color: #1d4ed8; }
`

function page(title: string, body: SafeHtml, data: unknown): string {
  return selfContainedPage({ title, css: PAGE_CSS, body, dataId: 'perfkit-flame', data, scripts: [perfkitScript('cli/profile/assets/flamegraph.js')] })
}

function header(p: FlamegraphPage, kind: string): SafeHtml {
  return html`<header><h1>${kind} — ${p.title}</h1><p class="subtitle">${p.subtitle}</p>
<dl class="facts">${p.facts.map(([label, text]) => html`<div><dt>${label}</dt><dd>${text}</dd></div>`)}</dl>
${p.links.length ? html`<p class="links">${p.links.map((l) => html`<a href="${l.href}">${l.label}</a>`)}</p>` : ''}</header>`
}

function controls(extra: SafeHtml | string = ''): SafeHtml {
  return html`<div class="controls"><input id="search" type="search" placeholder="Highlight functions or files…" aria-label="Highlight functions or files"><button id="reset" type="button">Reset zoom</button>${extra}<span id="match" class="muted"></span></div><p id="crumbs" class="muted"></p>`
}

const CATEGORY_SWATCHES: Record<FrameCategory, string> = {
  app: 'hsl(24, 88%, 64%)',
  dependency: 'hsl(145, 45%, 64%)',
  node: 'hsl(205, 60%, 64%)',
  native: 'hsl(220, 8%, 64%)',
  harness: 'hsl(270, 35%, 64%)',
}

/** A variant's flame graph from its CPU profile. */
export function renderProfilePage(tree: FrameTree, p: FlamegraphPage & { ops?: number }): string {
  const { frames, nodes } = flatten<FrameNode>(tree.root, (n) => [n.selfUs, n.totalUs], { name: 'all', location: '', category: 'native' })
  const totalUs = tree.root.totalUs
  const perOp = (us: number) => (p.ops ? ` · ${formatDuration((us * 1000) / p.ops)}/op` : '')
  const top = selfByFrame(tree).filter((r) => r.selfUs > 0).slice(0, 30)
  const topTable = table(
    [
      { header: 'Function', cell: (r) => r.frame.name },
      { header: 'Where', cell: (r) => (r.frame.location ? html`<code>${r.frame.location}</code>` : html`<span class="muted">${CATEGORY_LABELS[r.frame.category]}</span>`) },
      { header: 'Self time', numeric: true, cell: (r) => `${formatDuration(r.selfUs * 1000)}${perOp(r.selfUs)}` },
      { header: 'Share', numeric: true, cell: (r) => formatPercent(totalUs > 0 ? r.selfUs / totalUs : 0) },
    ],
    top,
  )
  const legend = html`<div class="legend">${(Object.keys(CATEGORY_LABELS) as FrameCategory[]).map((c) => html`<span style="--swatch: ${CATEGORY_SWATCHES[c]}">${CATEGORY_LABELS[c]}</span>`)}</div>`
  const body = html`<main>${header(p, 'Flame graph')}${controls()}${legend}<div id="flame-box"><canvas id="flame" role="img" aria-label="Flame graph of ${p.title}: each bar is a function, as wide as the time spent in it and in what it called; callers above callees."></canvas></div><div id="tip" hidden></div>
<p class="muted">Each bar is a function, as wide as the time in it and everything it called; its callees sit under it. Hover for figures, click to zoom in, Esc to zoom out. Colours say what kind of code it is.</p>
<h2>Where the time goes (self time, by function)</h2><div class="table-wrap">${topTable}</div></main>`
  return page(`Flame graph — ${p.title}`, body, { mode: 'profile', frames, nodes, ops: p.ops ?? null, rootLabel: `all (${formatDuration(totalUs * 1000)})` })
}

/** A variant's call tree against the baseline's, coloured by the change in self time. */
export function renderDifferentialPage(diff: DiffTree, p: FlamegraphPage & { variant: string; baseline: string }): string {
  const { frames, nodes } = flatten<DiffNode>(diff.root, (n) => [n.variantSelf, n.variantTotal, n.baselineSelf, n.baselineTotal], { name: 'all', location: '', category: 'native' })
  const amount = (x: number) => (diff.unit === 'ns/op' ? `${formatDuration(x)}/op` : formatPercent(x))
  const signed = (x: number) => `${x > 0 ? '+' : x < 0 ? '−' : ''}${amount(Math.abs(x))}`
  const changes = changesByFrame(diff).filter((c) => c.delta !== 0).slice(0, 30)
  const changeTable = table(
    [
      { header: 'Function', cell: (r) => r.frame.name },
      { header: 'Where', cell: (r) => (r.frame.location ? html`<code>${r.frame.location}</code>` : html`<span class="muted">${CATEGORY_LABELS[r.frame.category]}</span>`) },
      { header: `${p.baseline} (self)`, numeric: true, cell: (r) => amount(r.baselineSelf) },
      { header: `${p.variant} (self)`, numeric: true, cell: (r) => amount(r.variantSelf) },
      { header: 'Change', numeric: true, cell: (r) => html`<span class="${r.delta > 0 ? 'more' : 'less'}">${signed(r.delta)}</span>` },
    ],
    changes,
  )
  const unitNote =
    diff.unit === 'ns/op'
      ? 'Both profiles are in time per operation (each profile\'s time divided by the operations it ran), so a variant that does more per call shows red where the extra time goes.'
      : 'Operation counts were not available: each side is a share of its own profile\'s time.'
  const shapeButtons = html`<span class="muted">widths:</span><button type="button" data-shape="variant" aria-pressed="true">${p.variant}</button><button type="button" data-shape="baseline" aria-pressed="false">${p.baseline}</button>`
  const legend = html`<div class="legend"><span style="--swatch: rgb(220, 38, 38)">more self time in ${p.variant}</span><span style="--swatch: rgb(37, 99, 235)">less self time in ${p.variant}</span><span style="--swatch: rgb(226, 232, 240)">no change</span></div>`
  const body = html`<main>${header(p, 'Differential flame graph')}${controls(shapeButtons)}${legend}<div id="flame-box"><canvas id="flame" role="img" aria-label="Differential flame graph of ${p.variant} against ${p.baseline}: bar widths are ${p.variant}'s time, colours the change in self time."></canvas></div><div id="tip" hidden></div>
<p class="muted">Bars are as wide as <strong>${p.variant}</strong>'s time (switch to ${p.baseline}'s with the buttons); the colour is the change in each function's self time from ${p.baseline} to ${p.variant}: red more, blue less, deeper for larger changes. ${unitNote}</p>
<h2>Largest changes in self time, by function</h2><div class="table-wrap">${changes.length ? changeTable : html`<p class="muted">No function's self time changed.</p>`}</div></main>`
  return page(`Differential flame graph — ${p.title}`, body, { mode: 'differential', frames, nodes, unit: diff.unit, variant: p.variant, baseline: p.baseline, rootLabel: 'all' })
}

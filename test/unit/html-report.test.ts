import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { renderHtml } from '../../cli/report/html.ts'
import { escapeHtml, isSafeHref, jsonForScript, scriptForInline } from '../../cli/report/escape.ts'
import type { RunResult, ScenarioResult } from '../../cli/result/schema.ts'
import {
  HOSTILE,
  completedVariant,
  edgeCaseRun,
  hostileRun,
  manyScenarioRun,
  microScenario,
  runResult,
  syntheticRun,
} from '../support/results.ts'

/** The page's data block, parsed. */
function chartData(page: string): { charts: Array<{ id: string; config: { type: string; data: { labels?: string[] } } }> } {
  const match = /<script type="application\/json" id="perfkit-data">([\s\S]*?)<\/script>/.exec(page)
  if (!match) throw new Error('no data block')
  return JSON.parse(match[1])
}

/** The executable inline scripts (every <script> but the JSON data block). */
function inlineScripts(page: string): string[] {
  return [...page.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1])
}

/** The page with every script element's content removed: the markup and stylesheet only. */
function withoutScripts(page: string): string {
  return page.replace(/(<script[^>]*>)[\s\S]*?(<\/script>)/g, '$1$2')
}

/** The markup of the scenario article with the given 1-based index. */
function article(page: string, index: number): string {
  const start = page.indexOf(`<article class="card scenario" id="scenario-${index}">`)
  expect(start).toBeGreaterThan(-1)
  return page.slice(start, page.indexOf('</article>', start))
}

describe('escaping helpers', () => {
  it('escapes the five HTML metacharacters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;')
  })

  it('keeps JSON inside <script> unable to close it, and parseable back to the same value', () => {
    const value = { s: '</script><!-- & \u2028\u2029 >' }
    const json = jsonForScript(value)
    expect(json).not.toMatch(/[<>&\u2028\u2029]/)
    expect(JSON.parse(json)).toEqual(value)
  })

  it('rewrites </script and <!-- in inlined code without changing what the code does', () => {
    const source = 'return ["</script>", "<!-- x", /<\\/script>/.source, `</SCRIPT>`].join("|")'
    const rewritten = scriptForInline(source)
    expect(rewritten).not.toMatch(/<\/script|<!--/i)
    expect(new Function(rewritten)()).toBe(new Function(source)())
  })

  it.each([
    ['profiles/broker.html', true],
    ['./a b/flame.html', true],
    ['https://example.test/x', true],
    ['file:///tmp/x.html', true],
    ['javascript:alert(1)', false],
    [' JaVa\tScRiPt:alert(1)', false],
    ['data:text/html,<script>alert(1)</script>', false],
    ['vbscript:x', false],
    ['', false],
  ])('isSafeHref(%j) is %s', (href, safe) => {
    expect(isSafeHref(href)).toBe(safe)
  })
})

describe('renderHtml on the synthetic run', () => {
  const result = syntheticRun()
  const page = renderHtml(result, {
    flamegraphs: [
      { scenarioId: result.scenarios[0].id, variant: 'broker', kind: 'flamegraph', href: 'profiles/broker.html' },
      { scenarioId: result.scenarios[0].id, variant: 'broker', kind: 'differential', href: 'profiles/broker.diff.html' },
      { scenarioId: result.scenarios[0].id, variant: 'direct', kind: 'cpuprofile', href: 'javascript:alert(1)' },
    ],
  })

  it('is one document with a table of contents linking every scenario', () => {
    expect(page.startsWith('<!doctype html>')).toBe(true)
    expect(page).toContain('<nav class="card toc"')
    result.scenarios.forEach((s, i) => {
      expect(page).toContain(`href="#scenario-${i + 1}"`)
      expect(article(page, i + 1)).toContain(escapeHtml(s.title))
    })
  })

  it('shows the environment and the noise warning in the header', () => {
    expect(page).toContain('AMD EPYC 7B13 64-Core Processor × 2')
    expect(page).toContain('v20.20.2 (V8 11.3.244.8-node.33)')
    expect(page).toContain('1.92 / 1.41 / 0.87')
    expect(page).toContain('8.34 GB total')
    expect(page).toContain('<code>3f9c2e1d7a4b</code> on main')
    expect(page).toContain('the machine was busy')
  })

  it('lists the baseline first, then variants by ratio, then failed ones', () => {
    const broker = article(page, 1)
    const verdicts = broker.slice(broker.indexOf('<table class="verdicts">'))
    const order = ['direct', 'broker-no-timeout', 'broker', 'broker-typed-input'].map((name) => verdicts.indexOf(`<th scope="row">${name}`))
    expect(order.every((at) => at > -1)).toBe(true)
    expect([...order].sort((a, b) => a - b)).toEqual(order)
  })

  it('labels every verdict in words, not only by colour', () => {
    for (const label of ['▲ slower', '▼ faster', '= same', '? inconclusive']) expect(page).toContain(label)
    expect(page).toContain('is <strong class="t-slower">15% slower</strong> than direct')
  })

  it('shows errored and timed-out variants with their message', () => {
    expect(article(page, 1)).toContain('Errored in round 4, after 3 completed rounds:')
    expect(article(page, 1)).toContain('connection terminated unexpectedly (PGlite worker exited with code 1)')
    expect(article(page, 3)).toContain('Timed out in round 6</span> (limit 60.0 s), after 5 completed rounds.')
  })

  it('renders claims, budgets, breakdown, memory and counters', () => {
    const broker = article(page, 1)
    expect(broker).toContain('✓ holds')
    expect(broker).toContain('✗ does not hold')
    expect(broker).toContain('— not judged')
    expect(broker).toContain('<code>*: bytesPerOp &lt;= 2kB</code>')
    expect(broker).toContain('✗ fail')
    expect(broker).toContain('— missing')
    expect(broker).toContain('<h3>Latency breakdown</h3>')
    expect(broker).toContain('30.2 µs <span class="muted">18%</span>') // tx.begin of broker: 168 µs × 0.18
    expect(broker).toContain('<h3>Memory and GC</h3>')
    expect(article(page, 2)).toContain('18,421')
  })

  it('links flame graphs, but never a javascript: address', () => {
    expect(page).toContain('<a href="profiles/broker.html">flame graph</a>')
    expect(page).toContain('<a href="profiles/broker.diff.html">differential flame graph (vs baseline)</a>')
    expect(page).not.toContain('href="javascript:')
    expect(page).toContain('<code>javascript:alert(1)</code>')
  })

  it('has one chart spec per canvas, of the expected kinds', () => {
    const { charts } = chartData(page)
    const canvases = [...page.matchAll(/<canvas id="([^"]+)"/g)].map((m) => m[1])
    expect(charts.map((c) => c.id)).toEqual(canvases)
    // per scenario: ratio, box plot, percentiles; breakdowns in the first two
    expect(charts.map((c) => c.config.type)).toEqual(['bar', 'boxplot', 'line', 'bar', 'bar', 'boxplot', 'line', 'bar', 'bar', 'boxplot', 'line'])
  })

  it('loads nothing from outside the page', () => {
    const markup = withoutScripts(page)
    expect(markup).not.toMatch(/<(link|img|iframe|object|embed|base)\b/i)
    expect(markup).not.toMatch(/\ssrc=/i)
    expect(markup).not.toMatch(/url\(|@import/i) // no fonts or images from the stylesheet
    expect(page.includes('sourceMappingURL')).toBe(false)
    const hrefs = [...markup.matchAll(/href="([^"]*)"/g)].map((m) => m[1])
    expect(hrefs.filter((h) => !h.startsWith('#') && !h.startsWith('profiles/'))).toEqual([])
  })

  it('allows exactly its own scripts by hash in the Content-Security-Policy', () => {
    const csp = (/<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(page)?.[1] ?? '').replaceAll('&#39;', "'")
    expect(csp).toContain("default-src 'none'")
    const scripts = inlineScripts(page)
    expect(scripts).toHaveLength(3)
    const hashes = scripts.map((s) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`)
    expect(/script-src ([^;]+)/.exec(csp)?.[1].trim().split(/\s+/)).toEqual(hashes)
    expect(/script-src[^;]*unsafe/.test(csp)).toBe(false)
  })

  it('is at most 2 MB', () => {
    expect(Buffer.byteLength(page, 'utf8')).toBeLessThanOrEqual(2 * 1024 * 1024)
  })

  it('is pure: the same result gives the same page', () => {
    expect(renderHtml(syntheticRun())).toBe(renderHtml(syntheticRun()))
  })
})

describe('renderHtml escapes every string from a result', () => {
  const page = renderHtml(hostileRun(), {
    flamegraphs: [{ scenarioId: hostileRun().scenarios[0].id, variant: HOSTILE.variantName, kind: 'flamegraph', href: `x" onclick="alert(5)` }],
  })

  it('never emits the hostile markup raw', () => {
    expect(page).not.toContain(HOSTILE.scenarioName)
    expect(page).not.toContain('<script>alert(')
    expect(page).not.toContain('onclick="alert(5)')
    expect(page).toContain(escapeHtml(HOSTILE.scenarioName))
    expect(page).toContain(escapeHtml(HOSTILE.errorMessage))
    expect(page).toContain(escapeHtml(HOSTILE.paramValue))
  })

  it('keeps the script elements intact: one closing tag per element', () => {
    expect(page.match(/<\/script>/g)).toHaveLength(4)
    expect(page.match(/<script[\s>]/g)).toHaveLength(4)
  })

  it('carries hostile strings through the data block unchanged', () => {
    const { charts } = chartData(page)
    const labels = charts.flatMap((c) => c.config.data.labels ?? [])
    expect(labels).toContain(HOSTILE.variantName)
    const block = /id="perfkit-data">([\s\S]*?)<\/script>/.exec(page)![1]
    expect(block).not.toMatch(/[<>\u2028\u2029]/)
  })
})

describe('renderHtml on unfinished and empty runs', () => {
  it('says plainly that a running run is unfinished, and renders every awkward scenario', () => {
    const page = renderHtml(edgeCaseRun())
    expect(page).toContain('<strong>Unfinished run.</strong>')
    expect(page).toContain('not finished')
    expect(article(page, 1)).toContain('No variant completed, so this scenario has no timings to compare.')
    expect(article(page, 1)).toContain('relation &quot;activity&quot; does not exist')
    expect(article(page, 1)).toContain('<summary>stack</summary>')
    expect(article(page, 1)).toContain('Timed out in setup</span> (limit 30.0 s).')
    expect(article(page, 2)).toContain('did not complete (errored), so no variant could be compared')
    expect(article(page, 3)).toContain('<strong>Skipped.</strong> PERFKIT_PG_URL is not set')
    expect(article(page, 4)).toContain('<strong>This scenario failed:</strong> scenario file threw while loading')
    expect(article(page, 5)).toContain('<strong>Interrupted:</strong>')
    expect(article(page, 5)).toContain('Interrupted</span> before it finished.')
    // No ratio chart where nothing was compared; the box plot still shows the partial rounds.
    expect(chartData(page).charts.filter((c) => c.config.type === 'boxplot')).toHaveLength(3)
  })

  it('says an interrupted run was interrupted', () => {
    const page = renderHtml(syntheticRun({ run: { state: 'interrupted' } }))
    expect(page).toContain('<strong>Interrupted run.</strong>')
  })

  it('renders a run without scenarios', () => {
    const page = renderHtml(runResult([]))
    expect(page).toContain('This run has no scenario results.')
    expect(page).not.toContain('<nav class="card toc"')
    expect(chartData(page).charts).toEqual([])
  })

  it('renders a single scenario without a table of contents', () => {
    const page = renderHtml(runResult([microScenario({ name: 'solo', variants: [completedVariant({ name: 'only', medianNs: 50 })] })]))
    expect(page).not.toContain('<nav class="card toc"')
    expect(page).toContain('<h2>solo</h2>')
  })

  it('names a scenario kind it does not know instead of throwing, even in the table of contents', () => {
    const { variants: _v, comparisons: _c, ...common } = microScenario({ name: 'future', variants: [] })
    const future = { ...common, kind: 'quantum', cells: [] } as unknown as ScenarioResult
    const page = renderHtml(runResult([future, syntheticRun().scenarios[0]]))
    expect(page).toContain('does not know how to show <code>quantum</code> scenarios')
    expect(page).toContain('<nav class="card toc"')
  })

  it('measures rendering a 20-scenario run (reported, not asserted)', () => {
    const result: RunResult = manyScenarioRun(20)
    renderHtml(result) // warm the asset cache and the JIT
    const start = performance.now()
    const page = renderHtml(result)
    const ms = performance.now() - start
    console.log(`renderHtml: 20 scenarios in ${ms.toFixed(1)} ms, ${(Buffer.byteLength(page) / 1024).toFixed(0)} kB`)
    expect(chartData(page).charts.length).toBeGreaterThan(20)
  })
})

/**
 * The gate's reporters on synthetic results: Markdown and JUnit XML against fixture files, JUnit
 * parsed back as XML (strictly), hostile strings kept as text, every state rendered, the Markdown
 * kept within a pull-request comment.
 */
import { DOMParser, onWarningStopParsing, type Document } from '@xmldom/xmldom'
import { describe, expect, it } from 'vitest'
import { compareWithBaseline } from '../../cli/gate/regression.ts'
import type { RunResult } from '../../cli/result/schema.ts'
import { renderGate } from '../../cli/report/gate.ts'
import { getReporter } from '../../cli/report/index.ts'
import { renderJunit } from '../../cli/report/junit.ts'
import { MARKDOWN_LIMIT, escapeMarkdown, renderMarkdown } from '../../cli/report/markdown.ts'
import { brokerScenario, completedVariant, edgeCaseRun, erroredVariant, HOSTILE, hostileRun, manyScenarioRun, microScenario, runResult } from '../support/results.ts'

function layer(b: number, seed: number) {
  return microScenario({
    name: 'layer',
    title: 'A layer over a call',
    baseline: 'a',
    variants: [
      completedVariant({ name: 'a', medianNs: 10_000, seed, spread: 0.01, roundCount: 16 }),
      completedVariant({ name: 'b', medianNs: b, seed: seed + 1000, spread: 0.01, roundCount: 16, bytesPerOp: 512 }),
      completedVariant({ name: 'c', medianNs: 15_000, seed: seed + 2000, spread: 0.01, roundCount: 16 }),
    ],
  })
}

/** A run compared with its baseline: `layer/b` 10 % slower (a regression), the broker scenario unchanged with a failed budget. */
function gateRun(): RunResult {
  const base = runResult([layer(12_000, 1), brokerScenario()])
  const head = runResult([layer(13_200, 2), brokerScenario(), microScenario({ name: 'brand-new', variants: [completedVariant({ name: 'x', medianNs: 100 })] })])
  return { ...head, baseline: compareWithBaseline(head, base, { name: 'main', file: 'reports/baselines/main.json' }) }
}

function parseXml(xml: string): Document {
  return new DOMParser({ onError: onWarningStopParsing }).parseFromString(xml, 'text/xml')
}

describe('Markdown', () => {
  it('matches the fixture: the conclusion first, regressions, every budget, details folded', async () => {
    const markdown = renderMarkdown(gateRun())
    await expect(markdown).toMatchFileSnapshot('../fixtures/reports/gate.md')
    expect(markdown).not.toContain('\\`') // perfkit's own code spans (`perfkit calibrate`) render as code
    expect(markdown.split('\n')[0]).toBe('## perfkit: ⛔ incomplete — 1 variant could not be measured, 1 regression, 1 budget failed')
    expect(markdown).toMatch(/\| layer \| b \| \+10% \|/)
    expect(markdown).toContain('| ❌ | broker-vs-direct\\[backend=pglite\\] | \\*: bytesPerOp &lt;= 2kB (broker) · config | 2.61kB |')
    expect(markdown).toMatch(/Not in the baseline \(new\): brand-new/)
    expect(markdown).toMatch(/<details><summary>This run: 3 scenarios<\/summary>/)
  })

  it('is the registered markdown reporter', async () => {
    expect(await getReporter('markdown')!.render(gateRun())).toBe(renderMarkdown(gateRun()))
    expect(getReporter('markdown')!.extension).toBe('md')
  })

  it('says passed, passed with warnings, or incomplete', () => {
    const same = runResult([layer(12_000, 2)])
    const passed = { ...same, baseline: compareWithBaseline(same, runResult([layer(12_000, 1)]), { name: 'main', file: 'm.json' }) }
    expect(renderMarkdown(passed).split('\n')[0]).toBe('## perfkit: ✅ passed')
    expect(renderMarkdown(edgeCaseRun()).split('\n')[0]).toMatch(/^## perfkit: ⛔ incomplete — \d+ variants could not be measured/)
    const strict = gateRun()
    strict.run.settings.failOn = ['inconclusive']
    expect(renderMarkdown(strict)).toMatch(/--fail-on inconclusive/)
  })

  it('keeps hostile strings as text: no HTML, no broken table, no heading', () => {
    const run = hostileRun()
    const markdown = renderMarkdown({ ...run, baseline: compareWithBaseline(run, run, { name: HOSTILE.paramValue, file: HOSTILE.scenarioName }) })
    expect(markdown).not.toMatch(/<img|<script|<\/script|<b>/)
    expect(markdown).not.toMatch(/[\u2028\u2029]/)
    expect(markdown).toContain('&lt;img src=x onerror=alert(1)&gt;')
    for (const block of markdown.split(/\n\n/)) {
      const rows = block.split('\n').filter((line) => line.startsWith('| '))
      if (rows.length === 0) continue
      const cells = (row: string) => row.split(/(?<!\\)\|/).length
      expect(new Set(rows.map(cells)).size, block).toBe(1)
    }
    expect(escapeMarkdown('a|b*c _d` e<f>&\n# g')).toBe('a\\|b\\*c \\_d\\` e&lt;f&gt;&amp; # g')
  })

  it('keeps code spans as code spans, escaping only what Markdown needs', () => {
    // perfkit's own messages write commands as code spans: they must render as code, not as `\`…\``.
    const warning = 'the baseline is not calibrated — run `perfkit calibrate` on the machine that runs the gate'
    expect(escapeMarkdown(warning)).toBe(warning)
    expect(escapeMarkdown(warning)).not.toContain('\\`')
    // Nothing inside a code span is escaped (GFM shows it as written) …
    expect(escapeMarkdown('use `--param a=<b>&c*d_e`')).toBe('use `--param a=<b>&c*d_e`')
    // … except a pipe, which would split a table cell: the span closes around an escaped pipe.
    expect(escapeMarkdown('`--fail-on time|inconclusive` now')).toBe('`--fail-on time`\\|`inconclusive` now')
    // Identifiers keep their inner underscores; markup outside code spans is still neutralised.
    expect(escapeMarkdown('broker_direct *x* [l](u) ~~s~~ <b> & a\\b')).toBe('broker_direct \\*x\\* \\[l\\](u) \\~\\~s\\~\\~ &lt;b&gt; &amp; a\\\\b')
    // A lone backtick is escaped, so it cannot open a span that swallows the rest of the line.
    expect(escapeMarkdown('it`s one')).toBe('it\\`s one')
    expect(escapeMarkdown('line one\nline two')).toBe('line one line two')
  })

  it('fits a pull-request comment however many scenarios ran', () => {
    const many = manyScenarioRun(400)
    // Compare three scenarios and repeat their comparisons under each id: the same text, a fraction of the bootstraps.
    const three = { ...many, scenarios: many.scenarios.slice(0, 3) }
    const compared = compareWithBaseline(three, three, { name: 'main', file: 'm.json' })
    const scenarios = many.scenarios.map((s, i) => ({ ...compared.scenarios[i % 3]!, id: s.id, baselineId: s.id }))
    const markdown = renderMarkdown({ ...many, baseline: { ...compared, scenarios } })
    expect(markdown.length).toBeLessThanOrEqual(MARKDOWN_LIMIT)
    expect(markdown).toMatch(/left out to fit a comment|Truncated to fit a comment/)
    expect(markdown.split('\n')[0]).toMatch(/^## perfkit: /)
  })
})

describe('JUnit XML', () => {
  it('matches the fixture and parses back: a test case per budget and per compared variant', async () => {
    const xml = renderJunit(gateRun())
    await expect(xml).toMatchFileSnapshot('../fixtures/reports/gate.junit.xml')
    const doc = parseXml(xml)
    const root = doc.documentElement!
    expect(root.tagName).toBe('testsuites')
    const cases = Array.from(doc.getElementsByTagName('testcase'))
    const names = cases.map((c) => `${c.getAttribute('classname')} :: ${c.getAttribute('name')}`)
    expect(names).toContain('perfkit.layer.regression :: regression b')
    expect(names).toContain('perfkit.broker-vs-direct[backend=pglite].budgets :: budget *: bytesPerOp <= 2kB [broker]')
    // One case per budget result, one per variant in the comparison, one per failed variant.
    const run = gateRun()
    const budgets = run.scenarios.reduce((n, s) => n + s.budgets.length, 0)
    const variants = run.baseline!.scenarios.reduce((n, s) => n + s.variants.length, 0)
    expect(cases).toHaveLength(budgets + variants + 1)
    const count = (tag: string) => doc.getElementsByTagName(tag).length
    expect(root.getAttribute('tests')).toBe(String(cases.length))
    expect(root.getAttribute('failures')).toBe(String(count('failure')))
    expect(root.getAttribute('errors')).toBe(String(count('error')))
    expect(root.getAttribute('skipped')).toBe(String(count('skipped')))
    const regression = cases.find((c) => c.getAttribute('name') === 'regression b')!
    expect(regression.getElementsByTagName('failure')[0]!.getAttribute('message')).toMatch(/^its ratio to a: \+10% \[/)
    const errored = cases.find((c) => c.getAttribute('name') === 'variant broker-typed-input')!
    expect(errored.getElementsByTagName('error')[0]!.getAttribute('message')).toMatch(/connection terminated unexpectedly/)
    expect(getReporter('junit')!.extension).toBe('xml')
  })

  it('inconclusive and unmeasured are skipped, failures under --fail-on inconclusive', () => {
    const base = runResult([microScenario({ name: 's', variants: [completedVariant({ name: 'a', medianNs: 1000, roundCount: 4, spread: 0.08 }), completedVariant({ name: 'b', medianNs: 1000, roundCount: 4, spread: 0.08 })] })])
    const head = runResult([microScenario({ name: 's', variants: [completedVariant({ name: 'a', medianNs: 1000, roundCount: 4, spread: 0.08, seed: 9 }), completedVariant({ name: 'b', medianNs: 1060, roundCount: 4, spread: 0.08, seed: 10 })] })])
    const result = { ...head, baseline: compareWithBaseline(head, base, { name: 'main', file: 'm.json' }) }
    const b = result.baseline.scenarios[0]!.variants[1]!
    expect(b.state === 'compared' && b.verdict).toBe('inconclusive')
    const lenient = parseXml(renderJunit(result))
    expect(lenient.getElementsByTagName('failure')).toHaveLength(0)
    expect(lenient.getElementsByTagName('skipped').length).toBeGreaterThan(0)
    result.run.settings.failOn = ['inconclusive']
    expect(parseXml(renderJunit(result)).getElementsByTagName('failure').length).toBeGreaterThan(0)
  })

  it('keeps hostile strings intact as XML text and attributes', () => {
    const run = hostileRun()
    const xml = renderJunit({ ...run, baseline: compareWithBaseline(run, run, { name: 'main', file: 'm.json' }) })
    const doc = parseXml(xml)
    const suite = doc.getElementsByTagName('testsuite')[0]!
    expect(suite.getAttribute('name')).toBe(`${HOSTILE.scenarioName}[quote=${HOSTILE.paramValue}]`)
    const names = Array.from(doc.getElementsByTagName('testcase')).map((c) => c.getAttribute('name'))
    expect(names).toContain(`regression ${HOSTILE.variantName}`)
    const errorText = Array.from(doc.getElementsByTagName('error')).map((e) => e.getAttribute('message'))
    expect(errorText.some((m) => m?.includes(HOSTILE.errorMessage))).toBe(true)
  })

  it('parses for an unfinished run with every awkward state', () => {
    const doc = parseXml(renderJunit(edgeCaseRun()))
    expect(doc.getElementsByTagName('error').length).toBeGreaterThan(0)
  })
})

describe('terminal', () => {
  it('prints the comparison, every budget for compare, and the gate\'s conclusion', () => {
    const text = renderGate(gateRun(), { color: false, budgets: true })
    expect(text).toMatch(/^Compared with baseline main \(run 2025-03-04T12-00-00Z-7f3a/)
    expect(text).toMatch(/layer — no noise floor \(baseline not calibrated\)/)
    expect(text).toMatch(/\n  b\s+\S+ µs\s+\S+ µs\s+\+\S+% \[[^\]]+\]\s+\+10% \[[^\]]+\]\s+slower/)
    expect(text).toMatch(/✗ broker-vs-direct\[backend=pglite\]: budget \*: bytesPerOp <= 2kB \(broker\): 2\.61kB/)
    expect(text).toMatch(/gate: incomplete — 1 regression \(layer\/b \+10%\) · 1 budget failed/)
  })

  it('says when a variant failed to be measured', () => {
    const run = runResult([microScenario({ name: 's', variants: [completedVariant({ name: 'a', medianNs: 1 }), erroredVariant({ name: 'b', error: 'x' })] })])
    expect(renderGate(run, { color: false })).toMatch(/^gate: incomplete — 1 variant could not be measured/)
  })
})

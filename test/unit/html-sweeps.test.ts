/**
 * The HTML report on load and http sweeps (synthetic results): cases gathered into one block per
 * scenario, curves against the level with the cells where a variant fell over marked, every state
 * named, hostile strings escaped, and recorded profiles linked.
 */
import { describe, expect, it } from 'vitest'
import { renderHtml } from '../../cli/report/html.ts'
import { escapeHtml } from '../../cli/report/escape.ts'
import type { LoadScenarioResult, RunResult, ScenarioResult } from '../../cli/result/schema.ts'
import { HOSTILE, brokerScenario, completedVariant, eventBusSweep, hostileSweepRun, httpSweep, loadCase, loadCell, loadFigures, microScenario, mixedRun, runResult, httpCase, httpCell } from '../support/results.ts'

interface ChartSpecJson {
  id: string
  config: { type: string; data: { labels?: string[]; datasets: Array<Record<string, unknown>> }; options?: Record<string, any> }
  tooltips?: Array<Array<string | string[] | null>>
}

function charts(page: string): ChartSpecJson[] {
  const match = /<script type="application\/json" id="perfkit-data">([\s\S]*?)<\/script>/.exec(page)
  if (!match) throw new Error('no data block')
  return (JSON.parse(match[1]) as { charts: ChartSpecJson[] }).charts
}

function articles(page: string): string[] {
  return [...page.matchAll(/<article class="card scenario" id="scenario-\d+">([\s\S]*?)<\/article>/g)].map((m) => m[1])
}

/** The chart specs whose canvas sits inside the given markup. */
function chartsIn(page: string, markup: string): ChartSpecJson[] {
  const ids = new Set([...markup.matchAll(/<canvas id="([^"]+)"/g)].map((m) => m[1]))
  return charts(page).filter((c) => ids.has(c.id))
}

describe('renderHtml gathers sweeps', () => {
  const page = renderHtml(mixedRun())
  const [micro, load, http] = articles(page)

  it('shows each sweep as one card, after the micro scenario, and lists three scenarios in the contents', () => {
    expect(articles(page)).toHaveLength(3)
    expect(micro).toContain('Use-case broker vs direct repository call')
    expect(load).toContain('load sweep over <strong>concurrency</strong>: 10 → 100 → 1,000 → 10,000')
    expect(http).toContain('http sweep over <strong>connections</strong>: 10 → 50 → 100')
    const toc = page.slice(page.indexOf('<nav class="card toc"'), page.indexOf('</nav>'))
    expect(toc.match(/<tr><th scope="row">/g)).toHaveLength(3)
    expect(toc).toContain('eventbus-sweep · concurrency 10, 100, 1000, 10000')
  })

  it('gathers cases given out of order and between other scenarios, lowest level first', () => {
    const [l10, l100, l1000, l10000] = eventBusSweep()
    const shuffled = renderHtml(runResult([l1000!, brokerScenario(), l10!, l10000!, l100!]))
    const cards = articles(shuffled)
    expect(cards).toHaveLength(2)
    expect(cards[0]).toContain('10 → 100 → 1,000 → 10,000')
    const levels = [...cards[0]!.matchAll(/<h4>concurrency ([\d,]+) /g)].map((m) => m[1])
    expect(levels).toEqual(['10', '100', '1,000', '10,000'])
  })

  it('keeps sweeps with different other parameters apart', () => {
    const at = (handlers: number, level: number) => ({ ...eventBusSweep()[0]!, id: `eventbus-sweep[handlers=${handlers},concurrency=${level}]`, params: { handlers, concurrency: level }, level: { name: 'concurrency', value: level } })
    const cards = articles(renderHtml(runResult([at(1, 10), at(3, 10), at(1, 100), at(3, 100)])))
    expect(cards).toHaveLength(2)
    expect(cards[0]).toContain('<code>handlers=1</code>')
    expect(cards[1]).toContain('<code>handlers=3</code>')
  })

  it('says in words where each load variant fell over, and marks every cell state', () => {
    expect(load).toContain('<strong class="t-slower">ran out of memory (heap ceiling 512 MB) after 4.21 s</strong> at 10,000')
    expect(load).toContain('<strong class="t-slower">timed out in draining the queue (limit 20.0 s)</strong> at 10,000')
    expect(load).toContain('errored in measured window: XADD: OOM command not allowed when used memory &gt; maxmemory</strong> at 1,000')
    expect(load).toContain('<strong>nats-jetstream</strong> was skipped at every level: NATS is not reachable at 127.0.0.1:4222')
    expect(load).toContain('<strong>pooled</strong> completed every level: throughput 70.0 k/s → 64.0 k/s')
    for (const badge of ['✗ out of memory', '◔ timed out', '✗ errored', '– skipped']) expect(load).toContain(badge)
    expect(load).toContain('dropped events from 1,000 on')
  })

  it('draws throughput, p99, peak RSS and event-loop delay against the level, with a ✕ where a variant fell over', () => {
    const specs = chartsIn(page, load)
    const curves = specs.filter((c) => c.config.data.labels?.join() === '10,100,1,000,10,000')
    expect(curves).toHaveLength(4)
    const throughput = curves[0]!
    expect(throughput.config.options!.scales.y.title.text).toMatch(/^completed \(k\/s/)
    const unbounded = throughput.config.data.datasets.find((d) => d.label === 'unbounded')!
    expect((unbounded.data as unknown[])[3]).toBeNull() // no figure at the level where it ran out of memory
    const marker = throughput.config.data.datasets.find((d) => d.label === 'unbounded ✕')!
    expect(marker.pointStyle).toBe('crossRot')
    expect((marker.data as unknown[]).map((x) => x !== null)).toEqual([false, false, false, true])
    const markerIndex = throughput.config.data.datasets.indexOf(marker)
    expect(throughput.tooltips![markerIndex]![3]).toMatch(/^unbounded ran out of memory \(heap ceiling 512 MB\) after 4\.21 s; last figure 2\.10 k\/s$/)
    // The thread pool timed out without partial figures: its marker sits at its last figure (1,000).
    const threadPool = throughput.config.data.datasets.find((d) => d.label === 'thread-pool')!
    const threadMarker = throughput.config.data.datasets.find((d) => d.label === 'thread-pool ✕')!
    expect((threadMarker.data as number[])[3]).toBe((threadPool.data as number[])[2])
    // A variant skipped everywhere has no line at all.
    expect(curves.flatMap((c) => c.config.data.datasets.map((d) => d.label))).not.toContain('nats-jetstream')
    // p99 spans three decades: a log axis.
    expect(curves[1]!.config.options!.scales.y.type).toBe('logarithmic')
  })

  it('shows each level with its figures, latency percentiles and memory over time', () => {
    expect(load.match(/<section class="level">/g)).toHaveLength(4)
    expect(load).toContain('5.00 s measured after 1.00 s of warm-up, heap ceiling 512 MB')
    const perLevel = chartsIn(page, load).filter((c) => c.config.data.labels?.join() !== '10,100,1,000,10,000')
    expect(perLevel.map((c) => c.config.type)).toEqual(['line', 'scatter', 'line', 'scatter', 'line', 'scatter', 'line', 'scatter'])
    const lastSeries = perLevel[7]!
    expect(lastSeries.config.data.datasets.map((d) => d.label)).toContain('unbounded (oom)')
  })

  it('speaks of http comparisons in throughput (1 / the time ratio)', () => {
    const c = httpSweep()[0]!.comparisons.find((x) => x.variant === 'layered')!
    const throughput = (1 / c.ratio.estimate).toFixed(3)
    expect(http).toMatch(/<strong>layered<\/strong> is <strong class="t-slower">slower<\/strong> than raw \(serves fewer requests per second\) at every level: throughput 0\.\d+× at 10/)
    expect(http).toContain(`${throughput}×`)
    expect(http).toContain('errored in round 3: ECONNRESET: the server closed 312 connections (socket hang up)</strong> at 100')
    const ratio = chartsIn(page, http).find((x) => x.config.type === 'boxplot' && x.config.data.labels?.join() === '10,50,100')!
    const box = (ratio.config.data.datasets.find((d) => d.label === 'layered')!.data as Array<{ median: number; q1: number; q3: number }>)[0]!
    expect(box.median).toBeCloseTo(1 / c.ratio.estimate, 10)
    expect(box.q1).toBeCloseTo(1 / c.ratio.high, 10)
    expect(box.q3).toBeCloseTo(1 / c.ratio.low, 10)
    expect(ratio.config.options!.plugins.perfkitBand).toEqual({ axis: 'y', from: 0.95, to: 1.05, at: 1 })
    // No comparison for layered-cached where it errored.
    expect((ratio.config.data.datasets.find((d) => d.label === 'layered-cached')!.data as unknown[])[2]).toBeNull()
  })

  it('says where the http baseline failed, so nothing was compared at that level', () => {
    const [low, high] = httpSweep()
    const broken = httpCase({ name: high!.name, title: high!.title, baseline: 'raw', level: high!.level.value, params: { backend: 'pglite' }, variants: [httpCell.timeout({ name: 'raw', timeoutMs: 5000, phase: 'server start' }), httpCell.completed({ name: 'layered', requestsPerSec: 9000, p50Ns: 5e5 })] })
    const page = renderHtml(runResult([low!, broken]))
    expect(page).toContain('At connections 50 the baseline <strong>raw</strong> timed out in server start (limit 5.00 s), so no variant could be compared there.')
    expect(page).toContain('<span class="muted">not compared</span>')
  })

  it('draws the per-request breakdown variant by variant over the levels', () => {
    const breakdown = chartsIn(page, http).find((x) => x.config.options?.indexAxis === 'y' && x.config.type === 'bar')!
    expect(breakdown.config.data.labels).toEqual(['layered · 10', 'layered · 50', 'layered · 100', 'layered-cached · 10', 'layered-cached · 50'])
    expect(breakdown.config.data.datasets.map((d) => d.label)).toContain('unattributed')
  })

  it('puts each level of claims and budgets in its own row', () => {
    expect(load).toContain('Throughput falls and memory explodes at 10 k users (unbounded)')
    expect(load.match(/<code>pooled: p99 &lt; 5ms<\/code>/g)).toHaveLength(4)
    expect(http).toContain('The layered app serves ~70 % of raw throughput')
  })

  it('renders a sweep of a single level without curves', () => {
    const single = renderHtml(runResult([eventBusSweep()[3]!]))
    expect(articles(single)).toHaveLength(1)
    expect(single).not.toContain('<h3>Against concurrency</h3>')
    expect(single).toContain('<h3>Each level</h3>')
  })

  it('names a load result without a level instead of drawing it', () => {
    const { level: _level, ...withoutLevel } = eventBusSweep()[0]!
    const page = renderHtml(runResult([withoutLevel as unknown as ScenarioResult]))
    expect(page).toContain('This load result has no sweep level')
  })

  it('survives a sweep in which nothing completed', () => {
    const dead: LoadScenarioResult[] = [10, 100].map((level) =>
      loadCase({ name: 'dead', baseline: 'a', level, state: level === 100 ? 'errored' : 'completed', error: level === 100 ? { message: 'setup failed: no database' } : undefined, variants: [loadCell.oom({ name: 'a', level, afterMs: 100 }), loadCell.skipped({ name: 'b', level, reason: 'not reachable' })] }),
    )
    const page = renderHtml(runResult(dead))
    expect(page).toContain('<strong>At concurrency 100 the scenario failed:</strong> setup failed: no database')
    expect(page).toContain('✗ errored')
    // No figure anywhere: no curve has a dataset, so none is drawn.
    expect(charts(page)).toEqual([])
  })
})

describe('renderHtml escapes every string of a sweep', () => {
  const page = renderHtml(hostileSweepRun())

  it('never emits hostile markup raw, in text or attributes', () => {
    expect(page).not.toContain(HOSTILE.scenarioName)
    expect(page).not.toContain('<script>alert(')
    expect(page).toContain(escapeHtml(HOSTILE.scenarioName))
    expect(page).toContain(escapeHtml(HOSTILE.errorMessage))
    expect(page).toContain(escapeHtml(HOSTILE.paramValue))
    expect(page.match(/<\/script>/g)).toHaveLength(4)
  })

  it('carries hostile names through the chart data unchanged, with nothing that could close the element', () => {
    const labels = charts(page).flatMap((c) => [...(c.config.data.labels ?? []), ...c.config.data.datasets.map((d) => String(d.label))])
    expect(labels.some((l) => l.includes(HOSTILE.variantName))).toBe(true)
    const block = /id="perfkit-data">([\s\S]*?)<\/script>/.exec(page)![1]
    expect(block).not.toMatch(/[<>\u2028\u2029]/)
  })
})

describe('renderHtml links recorded profiles', () => {
  function withProfiles(): RunResult {
    const run = mixedRun()
    run.scenarios[0]!.profiles = [
      { state: 'written', variant: 'broker', tool: 'cpuprofile', kind: 'flamegraph', path: 'profiles/broker-vs-direct/broker.html' },
      { state: 'written', variant: 'broker', tool: 'cpuprofile', kind: 'differential', path: 'profiles/broker-vs-direct/broker.diff.html' },
      { state: 'written', variant: 'broker', tool: '0x', kind: 'flamegraph', path: 'profiles/broker-vs-direct/broker.0x.html' },
      { state: 'failed', variant: 'direct', tool: 'clinic-doctor', message: 'clinic doctor could not start: <b>no</b>' },
    ]
    run.scenarios[4]!.profiles = [{ state: 'written', variant: 'pooled', tool: 'clinic-doctor', kind: 'doctor', path: 'profiles/eventbus/pooled.doctor.html' }]
    return run
  }

  it('from the result itself, so perfkit report rebuilds them', () => {
    const page = renderHtml(withProfiles())
    const [micro, load] = articles(page)
    expect(micro).toContain('<a href="profiles/broker-vs-direct/broker.html">flame graph</a>')
    expect(micro).toContain('<a href="profiles/broker-vs-direct/broker.diff.html">differential flame graph (vs baseline)</a>')
    expect(micro).toContain('<a href="profiles/broker-vs-direct/broker.0x.html">flame graph (0x)</a>')
    expect(micro).toContain('Clinic doctor could not profile it — clinic doctor could not start: &lt;b&gt;no&lt;/b&gt;')
    expect(load).toContain('<span class="muted">concurrency 10,000</span> · <strong>pooled</strong>: <a href="profiles/eventbus/pooled.doctor.html">Clinic doctor</a>')
  })

  it('once, when the caller passes the same links too', () => {
    const run = withProfiles()
    const page = renderHtml(run, { flamegraphs: [{ scenarioId: run.scenarios[0]!.id, variant: 'broker', kind: 'flamegraph', href: 'profiles/broker-vs-direct/broker.html' }] })
    expect(page.match(/href="profiles\/broker-vs-direct\/broker\.html"/g)).toHaveLength(1)
  })
})

describe('warnings', () => {
  it('says a flag the engine also copied into the warnings once', () => {
    const flag = { code: 'high-variance' as const, message: 'round medians vary by 24% (CV): the machine or the variant is noisy' }
    const scenario = microScenario({ name: 'noisy', variants: [completedVariant({ name: 'a', medianNs: 100, flags: [flag] })], warnings: [`a: ${flag.message}`, 'the machine was busy'] })
    const page = renderHtml(runResult([scenario]))
    expect(page.split(flag.message)).toHaveLength(2)
    expect(page).toContain('<li>the machine was busy</li>')
  })
})

describe('a mixed run of 20 cases (its size and speed are measured by scripts/report-bench.ts)', () => {
  it('renders micro, load and http cases together, each with its charts', () => {
    const micro = mixedRun().scenarios.slice(0, 1)
    const cases = [...eventBusSweep(), ...httpSweep()]
    const scenarios: ScenarioResult[] = []
    for (let i = 0; scenarios.length < 20; i++) scenarios.push(...(i % 3 === 0 ? micro : cases.slice(((i % 3) - 1) * 4, ((i % 3) - 1) * 4 + 4)).map((s) => ({ ...s, id: `${s.id}#${i}`, name: `${s.name}-${Math.floor(i / 3)}` })))
    const result = runResult(scenarios.slice(0, 20))
    const page = renderHtml(result)
    expect(charts(page).length).toBeGreaterThan(20)
  })
})

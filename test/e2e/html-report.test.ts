/**
 * The HTML report in a real browser: rendered to a file, opened from file:// in headless Chromium.
 * Checks that it draws every chart, logs no error, asks nothing of the network, and shows hostile
 * strings as text. Needs Debian's Chromium at /usr/bin/chromium (`apt-get install -y chromium`):
 * without it the test is skipped with a message, except in CI (CI=true), where that is a failure.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { renderHtml, type HtmlReportOptions } from '../../cli/report/html.ts'
import type { RunResult } from '../../cli/result/schema.ts'
import { expectAllDrawn, expectQuiet, inspectCanvases, launchChromium, openFile, runBrowserTests, warnIfSkipped, type PageRecord } from '../support/browser.ts'
import { HOSTILE, edgeCaseRun, hostileRun, hostileSweepRun, mixedRun, syntheticRun } from '../support/results.ts'

// Functions passed to page.evaluate run in the browser; the project compiles without the DOM library.
declare const document: any
declare const window: any

/** Where the rendered reports and screenshots stay after the run, for a person to look at. */
const OUTPUT = join(tmpdir(), 'perfkit-test-output', 'html-report')

warnIfSkipped('test/e2e/html-report.test.ts')

describe.skipIf(!runBrowserTests)('HTML report in Chromium', () => {
  let browser: Browser

  beforeAll(async () => {
    await rm(OUTPUT, { recursive: true, force: true })
    await mkdir(OUTPUT, { recursive: true })
    browser = await launchChromium()
  })

  afterAll(async () => {
    await browser?.close()
  })

  /** Writes the report for `result`, opens it from file:// and records everything the page does. */
  async function open(name: string, result: RunResult, options?: HtmlReportOptions): Promise<{ page: Page; record: PageRecord; file: string }> {
    const file = join(OUTPUT, `${name}.html`)
    await writeFile(file, renderHtml(result, options))
    return { ...(await openFile(browser, file)), file }
  }

  it('draws every chart of the synthetic run offline, without errors', async () => {
    const result = syntheticRun()
    const { page, record, file } = await open('synthetic', result, {
      flamegraphs: [{ scenarioId: result.scenarios[0].id, variant: 'broker', kind: 'flamegraph', href: 'profiles/broker.html' }],
    })
    const canvases = await inspectCanvases(page)
    expect(canvases).toHaveLength(11)
    expectAllDrawn(canvases)
    expectQuiet(record)
    const screenshot = join(OUTPUT, 'synthetic.png')
    await page.screenshot({ path: screenshot, fullPage: true })
    console.log(`HTML report: ${file}\nscreenshot: ${screenshot}`)
    await page.context().close()
  })

  it('shows hostile scenario names, errors and parameters as text and runs none of them', async () => {
    const result = hostileRun()
    const { page, record } = await open('hostile', result, {
      flamegraphs: [{ scenarioId: result.scenarios[0].id, variant: HOSTILE.variantName, kind: 'flamegraph', href: 'javascript:alert(4)' }],
    })
    const dom = await page.evaluate(() => ({
      text: document.body.innerText,
      images: document.querySelectorAll('img').length,
      scripts: document.scripts.length,
      handlers: document.querySelectorAll('[onerror], [onclick], [onload]').length,
      javascriptLinks: document.querySelectorAll('a[href^="javascript:" i]').length,
    }))
    expect(dom.images).toBe(0)
    expect(dom.scripts).toBe(4)
    expect(dom.handlers).toBe(0)
    expect(dom.javascriptLinks).toBe(0)
    for (const text of [HOSTILE.scenarioName, HOSTILE.errorMessage, HOSTILE.variantName, HOSTILE.paramValue]) {
      expect(dom.text).toContain(text)
    }
    expect(await page.getByRole('heading', { name: HOSTILE.scenarioName }).isVisible()).toBe(true)
    expect(await page.getByText(HOSTILE.errorMessage, { exact: true }).first().isVisible()).toBe(true)
    // The hostile variant name reached the charts as data, unchanged.
    const canvases = await inspectCanvases(page)
    expect(canvases.some((c) => c.labels.includes(HOSTILE.variantName))).toBe(true)
    expectAllDrawn(canvases)
    expectQuiet(record)
    await page.screenshot({ path: join(OUTPUT, 'hostile.png'), fullPage: true })
    await page.context().close()
  })

  it('draws every chart of load and http sweeps, failure markers included, without errors', async () => {
    const { page, record, file } = await open('sweeps', mixedRun())
    const canvases = await inspectCanvases(page)
    expect(canvases.length).toBeGreaterThan(20)
    expectAllDrawn(canvases)
    expectQuiet(record)
    // A logarithmic axis labels 1, 2 and 5 of each decade in plain figures, never "5,000.0".
    const ticks = await page.evaluate(() => {
      const chartApi = (window as any).Chart
      return [...document.querySelectorAll('canvas')].flatMap((canvas: any) => {
        const chart = chartApi.getChart(canvas)
        return Object.values(chart.scales as Record<string, any>).filter((s) => s.type === 'logarithmic').flatMap((s) => s.ticks.map((t: any) => t.label).filter(Boolean))
      })
    })
    expect(ticks.length).toBeGreaterThan(0)
    expect(ticks.filter((t: string) => !/^[125](0|,000)*$|^0\.0*[125]$/.test(t))).toEqual([])
    const screenshot = join(OUTPUT, 'sweeps.png')
    await page.screenshot({ path: screenshot, fullPage: true })
    console.log(`HTML report with sweeps: ${file}\nscreenshot: ${screenshot}`)
    await page.context().close()
  })

  it('shows hostile strings of load and http sweeps as text', async () => {
    const { page, record } = await open('hostile-sweeps', hostileSweepRun())
    const dom = await page.evaluate(() => ({
      text: document.body.innerText,
      images: document.querySelectorAll('img').length,
      scripts: document.scripts.length,
      handlers: document.querySelectorAll('[onerror], [onclick], [onload]').length,
    }))
    expect(dom).toMatchObject({ images: 0, scripts: 4, handlers: 0 })
    for (const text of [HOSTILE.scenarioName, HOSTILE.errorMessage, HOSTILE.variantName, HOSTILE.paramValue]) expect(dom.text).toContain(text)
    expectAllDrawn(await inspectCanvases(page))
    expectQuiet(record)
    await page.context().close()
  })

  it('renders an unfinished run with failed, skipped and interrupted scenarios without errors', async () => {
    const { page, record } = await open('edge-cases', edgeCaseRun())
    expect(await page.getByText('Unfinished run.').isVisible()).toBe(true)
    expectAllDrawn(await inspectCanvases(page))
    expectQuiet(record)
    await page.screenshot({ path: join(OUTPUT, 'edge-cases.png'), fullPage: true })
    await page.context().close()
  })
})

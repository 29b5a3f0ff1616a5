/**
 * The HTML report in a real browser: rendered to a file, opened from file:// in headless Chromium.
 * Checks that it draws every chart, logs no error, asks nothing of the network, and shows hostile
 * strings as text. Needs Debian's Chromium at /usr/bin/chromium (`apt-get install -y chromium`):
 * without it the test is skipped with a message, except in CI (CI=true), where that is a failure.
 */
import { existsSync } from 'node:fs'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { renderHtml, type HtmlReportOptions } from '../../cli/report/html.ts'
import type { RunResult } from '../../cli/result/schema.ts'
import { HOSTILE, edgeCaseRun, hostileRun, syntheticRun } from '../support/results.ts'

// Functions passed to page.evaluate run in the browser. The project compiles without the DOM library
// (its code runs in Node), so this file declares the browser globals those functions use, locally.
declare const document: any
declare const window: any
type HTMLCanvasElement = any

const CHROMIUM = '/usr/bin/chromium'
const hasChromium = existsSync(CHROMIUM)
const inCI = process.env.CI === 'true'
/** Where the rendered reports and screenshots stay after the run, for a person to look at. */
const OUTPUT = join(tmpdir(), 'perfkit-test-output', 'html-report')

if (!hasChromium && !inCI) {
  console.warn(`SKIPPED test/e2e/html-report.test.ts: ${CHROMIUM} is missing (apt-get install -y chromium). In CI this fails.`)
}

interface PageRecord {
  requests: string[]
  consoleErrors: string[]
  pageErrors: string[]
  dialogs: string[]
}

interface CanvasReport {
  id: string
  width: number
  height: number
  /** Pixels with any opacity. */
  painted: number
  /** Per dataset, pixels inside the plot area in that dataset's colours (none when no chart was made). */
  datasetPixels: number[]
  labels: string[]
}

describe.skipIf(!hasChromium && !inCI)('HTML report in Chromium', () => {
  let browser: Browser

  beforeAll(async () => {
    if (!hasChromium) throw new Error(`${CHROMIUM} is missing: install Debian's package (apt-get install -y chromium); the browser test is required in CI`)
    await rm(OUTPUT, { recursive: true, force: true })
    await mkdir(OUTPUT, { recursive: true })
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    })
  })

  afterAll(async () => {
    await browser?.close()
  })

  /** Writes the report for `result`, opens it from file:// and records everything the page does. */
  async function open(name: string, result: RunResult, options?: HtmlReportOptions): Promise<{ page: Page; record: PageRecord; file: string }> {
    const file = join(OUTPUT, `${name}.html`)
    await writeFile(file, renderHtml(result, options))
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } })
    const page = await context.newPage()
    const record: PageRecord = { requests: [], consoleErrors: [], pageErrors: [], dialogs: [] }
    context.on('request', (request) => record.requests.push(request.url()))
    page.on('console', (message) => {
      if (message.type() === 'error') record.consoleErrors.push(message.text())
    })
    page.on('pageerror', (error) => record.pageErrors.push(error.message))
    page.on('dialog', (dialog) => {
      record.dialogs.push(dialog.message())
      void dialog.dismiss()
    })
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' })
    return { page, record, file }
  }

  /**
   * Reads every canvas's pixels back. Axes, grid and labels paint several per cent of a canvas even
   * with no data, so besides "anything painted" this counts, per dataset, the pixels inside the plot
   * area that have one of the dataset's own colours: those can only come from the data being drawn.
   */
  function inspectCanvases(page: Page): Promise<CanvasReport[]> {
    return page.evaluate(() => {
      const chartApi = (window as unknown as { Chart?: { getChart(c: HTMLCanvasElement): any } }).Chart
      const parse = (value: unknown): number[] | null => {
        if (typeof value !== 'string') return null
        const hex = /^#([0-9a-f]{6})$/i.exec(value)
        if (hex) {
          const n = Number.parseInt(hex[1], 16)
          return [(n >> 16) & 255, (n >> 8) & 255, n & 255]
        }
        const rgb = /^rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(value)
        return rgb ? [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])] : null
      }
      return [...document.querySelectorAll('canvas')].map((canvas) => {
        const { width, height } = canvas
        const pixels = canvas.getContext('2d')!.getImageData(0, 0, width, height).data
        let painted = 0
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) painted++
        const chart = chartApi?.getChart(canvas)
        if (!chart) return { id: canvas.id, width, height, painted, datasetPixels: [], labels: [] }
        const scale = width / canvas.clientWidth
        const area = chart.chartArea
        const datasetPixels = chart.data.datasets.map((dataset: Record<string, unknown>) => {
          const colours = Object.entries(dataset)
            .filter(([key]) => /Color$/.test(key))
            .flatMap(([, value]) => [value].flat())
            .map(parse)
            .filter((rgb): rgb is number[] => rgb !== null && !rgb.every((c) => c > 240)) // white separators are not data
          let count = 0
          for (let y = Math.ceil(area.top * scale); y < Math.floor(area.bottom * scale); y++) {
            for (let x = Math.ceil(area.left * scale); x < Math.floor(area.right * scale); x++) {
              const i = (y * width + x) * 4
              if (pixels[i + 3] === 0) continue
              if (colours.some((c) => Math.abs(c[0] - pixels[i]) <= 8 && Math.abs(c[1] - pixels[i + 1]) <= 8 && Math.abs(c[2] - pixels[i + 2]) <= 8)) count++
            }
          }
          return count
        })
        return { id: canvas.id, width, height, painted, datasetPixels, labels: (chart.data.labels ?? []).map(String) }
      })
    })
  }

  function expectQuiet(record: PageRecord): void {
    expect(record.consoleErrors).toEqual([])
    expect(record.pageErrors).toEqual([])
    expect(record.dialogs).toEqual([])
    // The page itself was requested (so recording works), and nothing else but file: and data: URLs.
    expect(record.requests.length).toBeGreaterThan(0)
    expect(record.requests.filter((url) => !url.startsWith('file:') && !url.startsWith('data:'))).toEqual([])
  }

  function expectAllDrawn(canvases: CanvasReport[]): void {
    for (const canvas of canvases) {
      expect(canvas.width, canvas.id).toBeGreaterThan(0)
      expect(canvas.painted, `${canvas.id}: nothing drawn`).toBeGreaterThan(0)
      expect(canvas.datasetPixels.length, `${canvas.id}: no chart on this canvas`).toBeGreaterThan(0)
      for (const [index, pixels] of canvas.datasetPixels.entries()) {
        expect(pixels, `${canvas.id} dataset ${index}: its data was not drawn`).toBeGreaterThanOrEqual(20)
      }
    }
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

  it('renders an unfinished run with failed, skipped and interrupted scenarios without errors', async () => {
    const { page, record } = await open('edge-cases', edgeCaseRun())
    expect(await page.getByText('Unfinished run.').isVisible()).toBe(true)
    expectAllDrawn(await inspectCanvases(page))
    expectQuiet(record)
    await page.screenshot({ path: join(OUTPUT, 'edge-cases.png'), fullPage: true })
    await page.context().close()
  })
})

/**
 * Opening perfkit's HTML files in a real browser: Debian's Chromium (/usr/bin/chromium) driven by
 * playwright-core, never a downloaded browser. Records what a page requests, logs and throws, and reads
 * canvases back to prove charts and flame graphs were drawn.
 */
import { existsSync, readFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { chromium, type Browser, type Page } from 'playwright-core'
import { expect } from 'vitest'

// Functions passed to page.evaluate run in the browser. The project compiles without the DOM library
// (its code runs in Node), so the browser globals those functions use are declared here, locally.
declare const document: any
declare const window: any
type HTMLCanvasElement = any

export const CHROMIUM = '/usr/bin/chromium'
export const hasChromium = existsSync(CHROMIUM)
export const inCI = process.env.CI === 'true'
/** Browser tests run when Chromium is installed, and always in CI (where its absence is a failure). */
export const runBrowserTests = hasChromium || inCI

/** Say visibly why a browser test file is skipped. */
export function warnIfSkipped(file: string): void {
  if (!runBrowserTests) console.warn(`SKIPPED ${file}: ${CHROMIUM} is missing (apt-get install -y chromium). In CI this fails.`)
}

export async function launchChromium(): Promise<Browser> {
  if (!hasChromium) throw new Error(`${CHROMIUM} is missing: install Debian's package (apt-get install -y chromium); the browser test is required in CI`)
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
}

export interface PageRecord {
  requests: string[]
  consoleErrors: string[]
  pageErrors: string[]
  dialogs: string[]
}

/** Opens a file from file:// in a fresh context and records everything the page does. */
export async function openFile(browser: Browser, file: string): Promise<{ page: Page; record: PageRecord }> {
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
  return { page, record }
}

/**
 * No console error, no exception, no dialog, and no request but file: and data: URLs. `tolerate` names
 * console errors that a third-party report (not perfkit's own page) is known to log; everything else stays strict.
 */
export function expectQuiet(record: PageRecord, tolerate?: RegExp): void {
  expect(record.consoleErrors.filter((text) => !tolerate?.test(text))).toEqual([])
  expect(record.pageErrors).toEqual([])
  expect(record.dialogs).toEqual([])
  // The page itself was requested (so recording works), and nothing else but file: and data: URLs.
  expect(record.requests.length).toBeGreaterThan(0)
  expect(record.requests.filter((url) => !url.startsWith('file:') && !url.startsWith('data:'))).toEqual([])
}

export interface CanvasReport {
  id: string
  width: number
  height: number
  /** Pixels with any opacity. */
  painted: number
  /** Per dataset, pixels inside the plot area in that dataset's colours (none when no chart was made). */
  datasetPixels: number[]
  labels: string[]
}

/**
 * Reads every canvas's pixels back. Axes, grid and labels paint several per cent of a canvas even
 * with no data, so besides "anything painted" this counts, per Chart.js dataset, the pixels inside the
 * plot area that have one of the dataset's own colours: those can only come from the data being drawn.
 */
export function inspectCanvases(page: Page): Promise<CanvasReport[]> {
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

/** Every canvas holds a chart whose every dataset painted pixels of its own colours. */
export function expectAllDrawn(canvases: CanvasReport[]): void {
  for (const canvas of canvases) {
    expect(canvas.width, canvas.id).toBeGreaterThan(0)
    expect(canvas.painted, `${canvas.id}: nothing drawn`).toBeGreaterThan(0)
    expect(canvas.datasetPixels.length, `${canvas.id}: no chart on this canvas`).toBeGreaterThan(0)
    for (const [index, pixels] of canvas.datasetPixels.entries()) {
      expect(pixels, `${canvas.id} dataset ${index}: its data was not drawn`).toBeGreaterThanOrEqual(20)
    }
  }
}

/** The JSON a perfkit flame graph page draws from. */
export function flameData(file: string): { mode: string; frames: Array<[string, string, string]>; nodes: number[][]; unit?: string } {
  const page = readFileSync(file, 'utf8')
  return JSON.parse(/<script type="application\/json" id="perfkit-flame">([\s\S]*?)<\/script>/.exec(page)![1]!)
}

/** A perfkit flame graph page opens quietly, its canvas is drawn, and hovering a bar shows its figures. */
export async function expectFlamegraphWorks(browser: Browser, file: string): Promise<void> {
  const { page, record } = await openFile(browser, file)
  const canvas = await page.evaluate(() => {
    const c = document.getElementById('flame')
    const pixels = c.getContext('2d').getImageData(0, 0, c.width, c.height).data
    let painted = 0
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) painted++
    return { width: c.width, height: c.height, painted }
  })
  expect(canvas.painted, `${file}: flame graph not drawn`).toBeGreaterThan(canvas.width * 18)
  const box = (await page.locator('#flame').boundingBox())!
  await page.mouse.move(box.x + 40, box.y + 9) // the root bar
  expect(await page.locator('#tip').isVisible()).toBe(true)
  expect(await page.locator('#tip').innerText()).toMatch(/total|self/)
  await page.mouse.click(box.x + 40, box.y + 27) // zoom into the first frame under the root
  expect(await page.locator('#crumbs').innerText()).toMatch(/^zoomed into /)
  expectQuiet(record)
  await page.screenshot({ path: file.replace(/\.html$/, '.png') })
  await page.context().close()
}

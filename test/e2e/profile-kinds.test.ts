/**
 * Profiling load and http scenarios end to end, with the built CLI and tiny durations: a load fixture's
 * systems at the lowest level of their sweep (inspector and clinic doctor), an http fixture's servers
 * while perfkit drives them, and `run --profile` on a load sweep. Every page opens in Chromium quietly.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseCpuProfile } from '../../cli/profile/tree.ts'
import type { RunResult } from '../../cli/result/schema.ts'
import { expectFlamegraphWorks, expectQuiet, flameData, launchChromium, openFile, runBrowserTests, warnIfSkipped } from '../support/browser.ts'
import { FIXTURES, runCli, tempDir } from '../support/cli.ts'

const LOAD_FIXTURE = path.join(FIXTURES, 'scenarios/load/small.bench.ts')
const HTTP_FIXTURE = path.join(FIXTURES, 'scenarios/http/ok.bench.ts')

warnIfSkipped('test/e2e/profile-kinds.test.ts')

/** The `perfkit: …` lines a command wrote: each one a profiler that could not profile a variant. */
const problems = (stderr: string) => stderr.split('\n').filter((line) => line.startsWith('perfkit: '))

/** URLs of the functions a raw CPU profile sampled. */
function sampledUrls(file: string): string[] {
  return parseCpuProfile(readFileSync(file, 'utf8')).nodes.map((n) => n.callFrame.url)
}

describe.skipIf(!runBrowserTests)('profiling load and http scenarios', () => {
  let browser: Browser

  beforeAll(async () => {
    browser = await launchChromium()
  })

  afterAll(async () => {
    await browser?.close()
  })

  it('perfkit profile on a load scenario: the lowest level, inspector flame graphs, the differential per event, clinic doctor', async () => {
    const out = tempDir()
    const result = await runCli(['profile', 'small-load', LOAD_FIXTURE, '--variant', 'pooled', '--tool', 'cpuprofile,clinic-doctor', '--duration', '300ms', '--out', out], { timeoutMs: 240_000 })
    expect(problems(result.stderr)).toEqual([])
    expect(result.code).toBe(0)
    // One level of the sweep (producers: [2, 20]): the lowest.
    expect(readdirSync(path.join(out, 'profiles'))).toEqual(['small-load_producers=2'])
    const dir = path.join(out, 'profiles/small-load_producers=2')
    const files = ['unbounded.cpuprofile', 'unbounded.html', 'pooled.cpuprofile', 'pooled.html', 'pooled.diff.html', 'unbounded.doctor.html', 'pooled.doctor.html']
    for (const file of files) {
      expect(existsSync(path.join(dir, file)), file).toBe(true)
      expect(result.stdout).toContain(file)
    }
    expect(existsSync(path.join(dir, 'direct.html'))).toBe(false)

    // The profile is of the system under load: the pool's own code was sampled.
    expect(sampledUrls(path.join(dir, 'pooled.cpuprofile')).some((url) => url.includes('/fixtures/eventbus/'))).toBe(true)
    expect(flameData(path.join(dir, 'pooled.diff.html'))).toMatchObject({ mode: 'differential', unit: 'ns/op' })
    expect(readFileSync(path.join(dir, 'pooled.diff.html'), 'utf8')).toContain('per event handled in the window')

    for (const file of ['unbounded.html', 'pooled.html', 'pooled.diff.html']) await expectFlamegraphWorks(browser, path.join(dir, file))
    for (const file of ['unbounded.doctor.html', 'pooled.doctor.html']) {
      const { page, record } = await openFile(browser, path.join(dir, file))
      await page.waitForTimeout(500)
      // As in profile.test.ts: clinic's own d3 charts log this for an empty histogram bin of a short profile.
      expectQuiet(record, /^Error: <rect> attribute width: A negative value/)
      await page.context().close()
    }
  }, 240_000)

  it('perfkit profile on an http scenario profiles each server under perfkit’s load: flame graph, .cpuprofile, differential per request', async () => {
    const out = tempDir()
    const result = await runCli(['profile', 'http-ok', HTTP_FIXTURE, '--variant', 'phased', '--duration', '300ms', '--out', out], { timeoutMs: 120_000 })
    expect(problems(result.stderr)).toEqual([])
    expect(result.code).toBe(0)
    const dir = path.join(out, 'profiles/http-ok_connections=2')
    for (const file of ['inline.cpuprofile', 'inline.html', 'phased.cpuprofile', 'phased.html', 'phased.diff.html']) {
      expect(existsSync(path.join(dir, file)), file).toBe(true)
      expect(result.stdout).toContain(file)
    }
    // The server process was profiled: its handler (servers.ts) and Node's http server were sampled.
    const urls = sampledUrls(path.join(dir, 'phased.cpuprofile'))
    expect(urls.some((url) => url.endsWith('/http/servers.ts'))).toBe(true)
    expect(urls.some((url) => url === 'node:_http_server')).toBe(true)
    expect(flameData(path.join(dir, 'phased.diff.html'))).toMatchObject({ mode: 'differential', unit: 'ns/op' })
    for (const file of ['inline.html', 'phased.html', 'phased.diff.html']) await expectFlamegraphWorks(browser, path.join(dir, file))
  }, 120_000)

  it('perfkit run --quick --profile on a load sweep profiles its lowest level and the report links the files', async () => {
    const cwd = tempDir()
    // The baseline alone keeps it short; the differential is the profile tests' business.
    const run = await runCli(['run', LOAD_FIXTURE, '--quick', '--profile', '--filter', 'small-load/unbounded'], { cwd, timeoutMs: 180_000 })
    expect(run.stderr).not.toMatch(/internal error|could not profile/)
    expect(run.code).toBe(0)
    const latest = path.join(cwd, 'reports/latest')
    const result = JSON.parse(readFileSync(path.join(latest, 'result.json'), 'utf8')) as RunResult
    const low = result.scenarios.find((s) => s.id === 'small-load[producers=2]')!
    const high = result.scenarios.find((s) => s.id === 'small-load[producers=20]')!
    expect(high.profiles).toBeUndefined()
    const written = (low.profiles ?? []).filter((p) => p.state === 'written').map((p) => `${p.variant} ${p.kind}`)
    expect(written.sort()).toEqual(['unbounded cpuprofile', 'unbounded flamegraph'])
    const index = readFileSync(path.join(latest, 'index.html'), 'utf8')
    for (const p of low.profiles!) {
      if (p.state !== 'written') continue
      expect(existsSync(path.join(latest, p.path)), p.path).toBe(true)
      expect(index).toContain(`href="${p.path}"`)
    }
    const { page, record } = await openFile(browser, path.join(latest, 'index.html'))
    expectQuiet(record)
    await page.context().close()
  }, 180_000)
})

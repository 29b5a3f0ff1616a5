/**
 * The load provider's pure-ish parts: which required servers skip a variant or stop the run, the
 * child-side driver run in-process, and the terminal tables on synthetic results.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import type { LoadStart } from '../../cli/config/types.ts'
import type { ScenarioCase } from '../../cli/engine/cases.ts'
import { LoadDriver, SkipSignal, type DriverOptions } from '../../cli/engine/load-driver.ts'
import { checkRequirements, type Probe } from '../../cli/engine/load-preflight.ts'
import { RunError } from '../../cli/errors.ts'
import { renderScenario, renderSweep } from '../../cli/report/console.ts'
import type { ClaimResult, LoadFigures, LoadScenarioResult, LoadVariantResult } from '../../cli/result/schema.ts'

function loadCase(id: string, variants: string[], requires: Record<string, Array<'redis' | 'nats' | 'postgres'>>): ScenarioCase {
  return {
    id,
    variants,
    params: {},
    configBudgets: [],
    loaded: { scenario: { name: 'bus' }, load: { sweep: 'concurrency', requires } } as unknown as ScenarioCase['loaded'],
  }
}

describe('checkRequirements', () => {
  const cases = [loadCase('bus[concurrency=10]', ['unbounded', 'nats'], { nats: ['nats'] }), loadCase('bus[concurrency=100]', ['unbounded', 'nats'], { nats: ['nats'] })]
  const down: Probe = async () => false
  const up: Probe = async () => true

  it('skips a variant whose server is absent at the default URL, with the reason', async () => {
    const skips = await checkRequirements(cases, { configEnv: {}, env: {}, probe: down })
    expect([...skips.keys()]).toEqual(['bus[concurrency=10]/nats', 'bus[concurrency=100]/nats'])
    expect(skips.get('bus[concurrency=10]/nats')).toBe('NATS is not reachable at nats://127.0.0.1:4222; start it or set PERFKIT_NATS_URL')
  })

  it('probes each server once and skips nothing when it answers', async () => {
    let probes = 0
    const counting: Probe = async () => (probes++, true)
    expect((await checkRequirements(cases, { configEnv: {}, env: {}, probe: counting })).size).toBe(0)
    expect(probes).toBe(1)
    expect((await checkRequirements(cases, { configEnv: {}, env: {}, probe: up })).size).toBe(0)
  })

  it('a URL the user set (environment or config) that does not answer stops the run, password redacted', async () => {
    const env = { PERFKIT_NATS_URL: 'nats://me:secret@10.0.0.9:4222' }
    await expect(checkRequirements(cases, { configEnv: {}, env, probe: down })).rejects.toThrow(RunError)
    await expect(checkRequirements(cases, { configEnv: {}, env, probe: down })).rejects.toThrow(
      'bus/nats needs NATS, which is not reachable at nats://me:***@10.0.0.9:4222 (PERFKIT_NATS_URL or backends.nats): start it, or unset the URL to skip the variant',
    )
    await expect(checkRequirements(cases, { configEnv: { PERFKIT_NATS_URL: 'nats://h:1' }, env: {}, probe: down })).rejects.toThrow(/not reachable at nats:\/\/h:1/)
  })

  it('--filter that picks the variant itself stops the run; one that picks the scenario skips', async () => {
    await expect(checkRequirements(cases, { configEnv: {}, env: {}, probe: down, filter: 'nats' })).rejects.toThrow(/or leave the variant out of --filter/)
    expect((await checkRequirements(cases, { configEnv: {}, env: {}, probe: down, filter: '^bus' })).size).toBe(2)
  })

  it('PostgreSQL has no default URL: skipped with how to set one', async () => {
    const skips = await checkRequirements([loadCase('db', ['a', 'pg'], { pg: ['postgres'] })], { configEnv: {}, env: {}, probe: up })
    expect(skips.get('db/pg')).toBe('needs PostgreSQL: set PERFKIT_PG_URL or backends.postgres in perfkit.config.ts')
  })
})

const context = { params: {}, variant: 'v', scenario: 's', signal: new AbortController().signal, state: undefined }
const quick: DriverOptions = { level: 3, warmupMs: 20, durationMs: 120, seriesEveryMs: 30 }

async function drive(start: LoadStart, options = quick): Promise<LoadDriver> {
  const driver = new LoadDriver(start, context, options)
  await driver.begin()
  // Generous: the machine may be busy; the window itself is 120 ms.
  const giveUp = Date.now() + 15_000
  while (Date.now() < giveUp && driver.snapshot().phase !== 'done' && driver.snapshot().failure === undefined) await sleep(10)
  await driver.stop()
  return driver
}

describe('LoadDriver', () => {
  it('offers ops from every producer and times each from emit to handled', async () => {
    // Each op is handled only after 2 ms of work that starts after its emit (a timer could fire up
    // to a millisecond early: libuv schedules from the loop's cached clock).
    const busy = (ms: number) => {
      const end = performance.now() + ms
      while (performance.now() < end);
    }
    const driver = await drive((ctx) => ({ emit: (op) => void setImmediate(() => (busy(2), ctx.handled(op))) }))
    const { phase, figures } = driver.snapshot()
    expect(phase).toBe('done')
    const f = figures!
    expect(f.emitted).toBeGreaterThan(0)
    expect(f.completed).toBeGreaterThan(0)
    expect(f.latency.count).toBe(f.completed)
    // 2 ms of work between emit and handled: no op can be handled sooner.
    expect(f.latency.p50Ns).toBeGreaterThanOrEqual(1.99e6)
    expect(f.completedPerSec).toBeCloseTo(f.completed / (f.windowMs! / 1000), 6)
    expect(f.series!.length).toBeGreaterThanOrEqual(2)
    expect(f.dropped + f.failed).toBe(0)
  })

  it('counts drops and failures apart from completions; an op handed back twice is a counter', async () => {
    let n = 0
    const driver = await drive((ctx) => ({
      emit: (op) => {
        n++
        if (n % 3 === 0) ctx.dropped(op)
        else if (n % 3 === 1) ctx.handled(op, new Error('handler failed'))
        else {
          ctx.handled(op)
          ctx.handled(op)
        }
      },
    }))
    const f = driver.snapshot().figures!
    expect(f.dropped).toBeGreaterThan(0)
    expect(f.failed).toBeGreaterThan(0)
    expect(f.completed).toBeGreaterThan(0)
    // Every op settles inside its emit: the window accounts for each exactly once.
    expect(f.dropped + f.failed + f.completed).toBe(f.emitted)
    expect(driver.counters().duplicateSettles).toBeGreaterThan(0)
  })

  it("'return' systems: an op is handled when emit resolves, failed when it rejects", async () => {
    let n = 0
    const driver = await drive(() => ({ completes: 'return', emit: async () => (++n % 2 ? undefined : Promise.reject(new Error('503'))) }))
    const f = driver.snapshot().figures!
    expect(f.completed).toBeGreaterThan(0)
    expect(f.failed).toBeGreaterThan(0)
  })

  it('an emit that throws fails the cell with its error; so does fail()', async () => {
    const thrown = await drive(() => ({
      emit: () => {
        throw new Error('broker down')
      },
    }))
    expect((thrown.snapshot().failure as Error).message).toBe('broker down')
    const failed = await drive((ctx) => {
      setTimeout(() => ctx.fail(new Error('connection closed')), 30)
      return { emit: (op) => ctx.handled(op) }
    })
    expect((failed.snapshot().failure as Error).message).toBe('connection closed')
  })

  it('skip() and a start that returns no system are reported as such', async () => {
    await expect(new LoadDriver((ctx) => ctx.skip('no GPU'), context, quick).begin()).rejects.toBeInstanceOf(SkipSignal)
    await expect(new LoadDriver(() => undefined as never, context, quick).begin()).rejects.toThrow(/start\(\) must return the system under load/)
  })
})

function figures(completedPerSec: number, overrides: Partial<LoadFigures> = {}): LoadFigures {
  const latency = { count: 100, meanNs: 2e6, p50Ns: 1.5e6, p90Ns: 3e6, p99Ns: 9e6, p999Ns: 12e6, maxNs: 20e6 }
  return {
    emitted: completedPerSec * 2,
    completed: completedPerSec * 2,
    dropped: 0,
    failed: 0,
    offeredPerSec: completedPerSec,
    completedPerSec,
    latency,
    eventLoopDelay: { p50Ns: 1e6, p99Ns: 4e6, maxNs: 9e6, meanNs: 1.2e6 },
    peakRssBytes: 120e6,
    peakHeapBytes: 40e6,
    gc: { count: 3, totalMs: 12 },
    ...overrides,
  }
}

function level(value: number, variants: LoadVariantResult[], claims: ClaimResult[] = []): LoadScenarioResult {
  return {
    kind: 'load',
    id: `bus[concurrency=${value}]`,
    name: 'bus',
    title: 'Event bus',
    source: 'seed 003',
    file: 'scenarios/bus.bench.ts',
    baseline: 'unbounded',
    params: { concurrency: value },
    level: { name: 'concurrency', value },
    state: 'completed',
    startedAt: '2025-01-01T00:00:00.000Z',
    durationMs: 5000,
    warnings: [],
    budgets: [],
    claims,
    settings: { durationMs: 2000, warmupMs: 500, maxMemoryMB: 512 },
    variants,
    comparisons: [],
  }
}

const base = (name: string, value: number) => ({ name, isBaseline: name === 'unbounded', rounds: [] as never[], flags: [], level: value })

describe('load tables', () => {
  const sweep = [
    level(10_000, [
      { ...base('unbounded', 10_000), state: 'oom', maxMemoryMB: 512, afterMs: 1800, figures: figures(30_000, { peakRssBytes: 530e6 }) },
      { ...base('pooled', 10_000), state: 'completed', figures: figures(4900, { dropped: 0 }) },
      { ...base('nats', 10_000), state: 'skipped', reason: 'NATS is not reachable at nats://127.0.0.1:4222' },
    ]),
    level(
      10,
      [
        { ...base('unbounded', 10), state: 'completed', figures: figures(50_000) },
        { ...base('pooled', 10), state: 'completed', figures: figures(5000, { dropped: 250, emitted: 10_000 }) },
        { ...base('nats', 10), state: 'skipped', reason: 'NATS is not reachable at nats://127.0.0.1:4222' },
        { ...base('stuck', 10), state: 'completed', figures: figures(0, { emitted: 500 }) },
      ],
      [
        { text: 'seed table', published: '~500/s · 5 MB · OK', metric: 'unbounded: throughput', measuredText: '50.0 k/s', holds: null },
        { text: 'pool fast', published: '~50,000/s', check: 'pooled: throughput >= 50000/s', measuredText: '5000/s', holds: false },
      ],
    ),
  ]
  const plain = { color: false }

  it('renders the sweep sorted by level, with the claimed figures beside the measured ones and where each fell over', () => {
    const text = renderSweep(sweep, plain)
    const lines = text.split('\n')
    expect(lines[0]).toBe('bus — concurrency × variant (seed 003)')
    expect(lines[1]).toMatch(/^\s+concurrency\s+variant\s+events\/s\s+offered\/s\s+p99\s+loop p99\s+peak RSS\s+dropped\s+status\s+seed 003 claimed$/)
    expect(lines[2]).toMatch(/^\s+10\s+unbounded \(baseline\)\s+50\.0 k\s+50\.0 k\s+9\.00 ms\s+4\.00 ms\s+120 MB\s+0\s+ok\s+~500\/s · 5 MB · OK$/)
    expect(lines[3]).toMatch(/pooled\s+5\.00 k .* drops 2\.5%\s+~50,000\/s ✗$/)
    expect(lines[6]).toMatch(/^\s+10,000\s+unbounded \(baseline\)\s+30\.0 k .* 530 MB\s+0\s+oom after 1\.80 s$/)
    expect(text).toMatch(/unbounded: 50\.0 k\/s at 10; falls over at 10,000: out of memory \(ceiling 512 MB\)/)
    expect(text).toMatch(/pooled: 5\.00 k\/s at 10 → 4\.90 k\/s at 10,000 \(0\.980×\); held at every level/)
    expect(text).toMatch(/nats: skipped — NATS is not reachable/)
    expect(text).toMatch(/stuck\s+0\s+0\s+.*none handled/)
  })

  it('renders one level with every state explained', () => {
    const text = renderScenario(sweep[0]!, plain)
    expect(text).toMatch(/concurrency 10,000 · window 2\.00 s after 500 ms warm-up · ceiling 512 MB/)
    expect(text).toMatch(/unbounded: out of memory after 1\.80 s \(ceiling 512 MB\) \(figures: as far as it got\)/)
    expect(text).toMatch(/nats: skipped: NATS is not reachable/)
    expect(text).toMatch(/pooled\s+4\.90 k\s+4\.90 k\s+1\.50 ms\s+9\.00 ms\s+0\s+120 MB\s+40\.0 MB\s+4\.00 ms\s+3 · 12\.0 ms\s+ok/)
  })
})

/**
 * The load provider's scheduler (parent side). A load case is one level of a scenario's sweep;
 * each variant at that level is a *cell* measured in a child process of its own with the memory
 * ceiling, one cell at a time so cells never compete for a core. A cell that runs out of memory or
 * past its deadline is a finding (`oom`, `timeout`) with the figures it had reached; a system that
 * fails is `errored`; a variant whose server is absent is `skipped`. None stops the sweep.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import type { LoadFigures, LoadScenarioResult, LoadVariantResult } from '../result/schema.ts'
import type { ScenarioCase } from './cases.ts'
import type { LoadSnapshot } from './load-protocol.ts'
import { skipKey, type Skips } from './load-preflight.ts'
import { resultIdentity } from './scheduler.ts'
import type { EngineEvent, EngineSettings } from './types.ts'
import { ChildFailure, VariantProcess } from './variant-process.ts'

const here = fileURLToPath(import.meta.url)
/** load-child.js next to this file when compiled, load-child.ts when running from source (tests). */
export const LOAD_CHILD_ENTRY = path.join(path.dirname(here), `load-child${path.extname(here)}`)

/** Defaults of a load cell's window, ms. */
export const LOAD_DEFAULTS = { durationMs: 3000, warmupMs: 1000, quickDurationMs: 500, quickWarmupMs: 200 } as const
/** How often the parent asks a cell for its figures, ms. */
const POLL_MS = 200
/** How often the parent reads a cell's resident set against the ceiling, ms. */
const RSS_CHECK_MS = 50
/** Teardown of a cell (closing its system) may take at most this long. */
const TEARDOWN_MS = 15_000

/** Resident set of a process, bytes, from /proc (Linux); undefined where that is not available. */
export function residentBytes(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)
    return match ? Number(match[1]) * 1024 : undefined
  } catch {
    return undefined
  }
}

/**
 * Kills a child whose resident set passes the ceiling. V8's heap limit alone misses what lives
 * outside the heap — worker threads, buffers, native allocations — and a child whose event loop is
 * stuck cannot police itself, so the parent checks from outside.
 */
class RssWatchdog {
  peakBytes = 0
  exceeded?: { rssBytes: number; atMs: number }
  private readonly timer: NodeJS.Timeout

  constructor(proc: VariantProcess, ceilingBytes: number, startedAt: number) {
    this.timer = setInterval(() => {
      const rss = proc.pid ? residentBytes(proc.pid) : undefined
      if (rss === undefined) return
      if (rss > this.peakBytes) this.peakBytes = rss
      if (rss > ceilingBytes && !this.exceeded) {
        this.exceeded = { rssBytes: rss, atMs: Date.now() - startedAt }
        proc.kill()
      }
    }, RSS_CHECK_MS)
  }

  stop(): void {
    clearInterval(this.timer)
  }
}

interface CellPlan {
  c: ScenarioCase
  variant: string
  level: number
  durationMs: number
  warmupMs: number
  timeoutMs: number
  maxMemoryMB?: number
  env: Record<string, string>
}

/** Measures one cell and turns however it ended into its result. */
async function runCell(plan: CellPlan, signal: AbortSignal, emit: (event: EngineEvent) => void): Promise<LoadVariantResult> {
  const { c, variant, level } = plan
  const base = { name: variant, isBaseline: variant === c.loaded.scenario.baseline, rounds: [] as never[], flags: [], level }
  const started = Date.now()
  const proc = new VariantProcess({ label: `${c.id}/${variant}`, maxMemoryMB: plan.maxMemoryMB, env: plan.env, entry: LOAD_CHILD_ENTRY })
  const watchdog = plan.maxMemoryMB ? new RssWatchdog(proc, plan.maxMemoryMB * 1024 * 1024, started) : undefined
  const onAbort = () => proc.interrupt()
  signal.addEventListener('abort', onAbort, { once: true })
  let last: LoadSnapshot | undefined
  let loadStartedAt: number | undefined
  const partial = (): { figures?: LoadFigures; counters?: Record<string, number> } => {
    const figures = last?.figures
    const peak = watchdog?.peakBytes ?? 0
    return {
      ...(figures ? { figures: { ...figures, peakRssBytes: Math.max(figures.peakRssBytes, peak) } } : {}),
      ...(last?.counters && Object.keys(last.counters).length ? { counters: last.counters } : {}),
    }
  }
  try {
    const { timeoutMs } = plan
    await proc.request({ type: 'load', file: c.loaded.file, index: c.loaded.index, scenario: c.loaded.scenario.name, variant }, 'loaded', timeoutMs, 'load')
    emit({ type: 'phase', scenario: c.id, variant, phase: 'setup' })
    await proc.request({ type: 'setup', params: c.params }, 'setup-done', timeoutMs, 'setup')
    emit({ type: 'phase', scenario: c.id, variant, phase: `warm-up at ${level}` })
    const seriesEveryMs = Math.max(100, Math.round(plan.durationMs / 20))
    const reply = await proc.request({ type: 'start', level, warmupMs: plan.warmupMs, durationMs: plan.durationMs, seriesEveryMs }, 'started', timeoutMs, 'start')
    if (reply.skipped !== undefined) {
      await proc.request({ type: 'finish' }, 'finished', Math.min(timeoutMs, TEARDOWN_MS), 'teardown').catch(() => undefined)
      return { ...base, state: 'skipped', reason: reply.skipped }
    }
    loadStartedAt = Date.now()
    const deadline = loadStartedAt + plan.warmupMs + plan.durationMs + timeoutMs
    let announced = false
    while (true) {
      await sleep(POLL_MS, undefined, { signal }).catch(() => undefined)
      const phase = last?.phase === 'window' ? 'window' : 'warm-up'
      const snapshot = await proc.request({ type: 'snapshot' }, 'snapshot', Math.max(1000, deadline - Date.now()), phase)
      last = snapshot
      if (snapshot.phase === 'window' && !announced) {
        announced = true
        emit({ type: 'phase', scenario: c.id, variant, phase: `measuring at ${level}` })
      }
      if (snapshot.failure) {
        const result: LoadVariantResult = { ...base, ...partial(), state: 'errored', phase: snapshot.phase === 'done' ? 'window' : snapshot.phase, error: snapshot.failure }
        emit({ type: 'variant-failed', scenario: c.id, variant, state: 'errored', message: snapshot.failure.message })
        await proc.request({ type: 'finish' }, 'finished', Math.min(timeoutMs, TEARDOWN_MS), 'teardown').catch(() => undefined)
        return result
      }
      if (snapshot.phase === 'done') break
      if (Date.now() > deadline) throw new ChildFailure('timeout', phase, `still running ${Math.round(timeoutMs)} ms after its window should have ended`, undefined, timeoutMs)
    }
    await proc.request({ type: 'finish' }, 'finished', Math.min(timeoutMs, TEARDOWN_MS), 'teardown')
    const { figures, counters } = partial()
    return { ...base, ...(counters ? { counters } : {}), state: 'completed', figures: figures! }
  } catch (error) {
    const failure = error instanceof ChildFailure ? error : new ChildFailure('errored', 'engine', String(error))
    const afterMs = loadStartedAt !== undefined ? Date.now() - loadStartedAt : 0
    if (watchdog?.exceeded || (failure.kind === 'crashed' && proc.outOfMemory)) {
      return { ...base, ...partial(), state: 'oom', ...(plan.maxMemoryMB ? { maxMemoryMB: plan.maxMemoryMB } : {}), afterMs }
    }
    switch (failure.kind) {
      case 'interrupted':
        return { ...base, ...partial(), state: 'interrupted' }
      case 'timeout': {
        // A snapshot asked late in the cell's life gets only the time left: report the cell's grace.
        const measuring = failure.phase === 'window' || failure.phase === 'warm-up'
        return { ...base, ...partial(), state: 'timeout', timeoutMs: measuring ? plan.timeoutMs : (failure.timeoutMs ?? plan.timeoutMs), phase: failure.phase }
      }
      case 'errored':
      case 'crashed':
      default:
        emit({ type: 'variant-failed', scenario: c.id, variant, state: 'errored', message: failure.message })
        return { ...base, ...partial(), state: 'errored', phase: failure.phase, error: { message: failure.message, ...(failure.childStack ? { stack: failure.childStack } : {}) } }
    }
  } finally {
    signal.removeEventListener('abort', onAbort)
    watchdog?.stop()
    proc.kill()
    await proc.closed()
  }
}

/** One level of a load scenario: every selected variant, one cell after another. */
export async function runLoadCase(
  c: ScenarioCase,
  settings: EngineSettings,
  skips: Skips,
  signal: AbortSignal,
  emit: (event: EngineEvent) => void,
): Promise<LoadScenarioResult> {
  const scenario = c.loaded.scenario
  const load = c.loaded.load!
  const started = Date.now()
  const level = Number(c.params[load.sweep])
  // --time sets the window; else --quick's; else the scenario's duration; else the default.
  const durationMs = settings.timeFlag ? settings.timeMs : settings.quick ? LOAD_DEFAULTS.quickDurationMs : (load.durationMs ?? LOAD_DEFAULTS.durationMs)
  const warmupMs = settings.quick ? Math.min(load.warmupMs ?? LOAD_DEFAULTS.quickWarmupMs, LOAD_DEFAULTS.quickWarmupMs) : (load.warmupMs ?? LOAD_DEFAULTS.warmupMs)
  const timeoutMs = c.loaded.options.timeoutMs ?? settings.timeoutMs
  const maxMemoryMB = c.loaded.options.maxMemoryMB
  const variants: LoadVariantResult[] = []
  for (const variant of c.variants) {
    const isBaseline = variant === scenario.baseline
    if (signal.aborted) {
      variants.push({ name: variant, isBaseline, rounds: [], flags: [], level, state: 'interrupted' })
      continue
    }
    const reason = skips.get(skipKey(c, variant))
    if (reason !== undefined) {
      variants.push({ name: variant, isBaseline, rounds: [], flags: [], level, state: 'skipped', reason })
      continue
    }
    variants.push(await runCell({ c, variant, level, durationMs, warmupMs, timeoutMs, ...(maxMemoryMB ? { maxMemoryMB } : {}), env: settings.childEnv }, signal, emit))
  }
  const everyErrored = variants.every((v) => v.state === 'errored')
  const everySkipped = variants.every((v) => v.state === 'skipped')
  return {
    kind: 'load',
    ...resultIdentity(c),
    level: { name: load.sweep, value: level },
    state: signal.aborted ? 'interrupted' : everySkipped ? 'skipped' : everyErrored ? 'errored' : 'completed',
    ...(everyErrored && !signal.aborted ? { error: { message: 'every variant failed; see each variant for why' } } : {}),
    ...(everySkipped && !signal.aborted ? { error: { message: 'every variant was skipped; see each variant for why' } } : {}),
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    warnings: [],
    budgets: [],
    claims: [],
    settings: { durationMs, warmupMs, ...(maxMemoryMB ? { maxMemoryMB } : {}) },
    variants,
    comparisons: [],
  }
}

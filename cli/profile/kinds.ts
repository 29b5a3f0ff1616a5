/**
 * What profiling needs to know about each kind of scenario, behind one interface so that index.ts
 * keeps one copy of the bookkeeping, the pages and the profiler drivers:
 *
 * - how the variant's CPU profile is captured over a measured window (inspector), and how many
 *   operations it did in that window, which the differential flame graph divides by;
 * - what the runner (the process 0x and doctor start) runs, and for http what perfkit does beside it.
 *
 * micro: the variant's loop. load: the variant's system at one level of the sweep, driven by its
 * producers in the same process, an operation being an event handled. http: the variant's server —
 * the thing under test — profiled while perfkit's load generator drives it from this process, an
 * operation being a request the server received.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { resolveHttpRequests } from '../config/scenarios.ts'
import type { HttpRequest, HttpScenario } from '../config/types.ts'
import type { ScenarioCase } from '../engine/cases.ts'
import { HTTP_CHILD_ENTRY, httpWarmupMs, loadRequests } from '../engine/http.ts'
import type { HttpChildMessage, HttpParentMessage } from '../engine/http-protocol.ts'
import type { ChildMessage, ParentMessage } from '../engine/protocol.ts'
import { HTTP_HOST } from '../engine/http-server.ts'
import { LOAD_CHILD_ENTRY, LOAD_DEFAULTS } from '../engine/load.ts'
import { VariantProcess } from '../engine/variant-process.ts'
import { formatInteger } from '../report/format.ts'
import { CONTROL_FILES, type RunnerSpec } from './runner-spec.ts'
import { buildFrameTree, parseCpuProfile, type FrameTree } from './tree.ts'

/** The options of profileCase that the kinds read (see ProfileOptions in index.ts for defaults). */
export interface KindOptions {
  durationMs: number
  timeoutMs: number
  env: Record<string, string>
  samplingIntervalUs: number
  signal?: AbortSignal
}

/** A variant's CPU profile over its measured window. */
export interface Captured {
  tree: FrameTree
  ops: number
  windowMs: number
  /** What else the pages should say about the window (the load that drove it). */
  facts: Array<[string, string]>
}

/** How the pages name an operation of this kind. */
export interface OpNames {
  /** Heading of the count, e.g. `operations`, `events handled`. */
  plural: string
  /** After "time per", e.g. `op`, `event`. */
  one: string
  /** What the differential flame graph's figures are per, said on the page. */
  normalised: string
}

export interface KindProfiler {
  names: OpNames
  /** Runs the variant with the inspector on for its window; writes the `.cpuprofile` to `file`. */
  capture(variant: string, file: string): Promise<Captured>
  /** The runner's spec for 0x and doctor; `workingDir` is the profiler's scratch folder. */
  runnerSpec(variant: string, workingDir: string, options: { yieldEveryMs?: number }): RunnerSpec
  /** Work perfkit does while the runner runs (http: the load on its server); ends when `closed` aborts. */
  alongside?(workingDir: string, closed: AbortSignal): Promise<void>
}

/** perfkit's own code, from the sources or compiled: its frames are the harness, not the variant. */
const PERFKIT_ROOT = path.dirname(createRequire(import.meta.url).resolve('perfkit/package.json'))
const HARNESS_PATHS = [path.join(PERFKIT_ROOT, 'cli'), path.join(PERFKIT_ROOT, 'dist', 'cli')]
/** How often perfkit looks for an http runner's `ready.json`, ms. */
const READY_POLL_MS = 50

function readTree(file: string): FrameTree {
  return buildFrameTree(parseCpuProfile(readFileSync(file, 'utf8')), { harnessPaths: HARNESS_PATHS })
}

/** A child for one variant, killed however the capture ends (and on Ctrl-C). */
async function withChild<T, P extends { type: string } = ParentMessage, C extends { type: string } = ChildMessage>(
  c: ScenarioCase,
  variant: string,
  options: KindOptions,
  entry: string | undefined,
  work: (child: VariantProcess<P, C>) => Promise<T>,
): Promise<T> {
  const child = new VariantProcess<P, C>({ label: `${c.id}/${variant} (profile)`, maxMemoryMB: c.loaded.options.maxMemoryMB, env: options.env, ...(entry ? { entry } : {}) })
  const onAbort = () => child.interrupt()
  options.signal?.addEventListener('abort', onAbort, { once: true })
  try {
    return await work(child)
  } finally {
    options.signal?.removeEventListener('abort', onAbort)
    child.kill()
    await child.closed()
  }
}

const common = (c: ScenarioCase, variant: string) => ({ file: c.loaded.file, index: c.loaded.index, scenario: c.loaded.scenario.name, variant, params: c.params })

/** The micro kind: the variant's own child (as in a run) — load, set up, calibrate, then the profiled window. */
function microProfiler(c: ScenarioCase, options: KindOptions): KindProfiler {
  const { timeoutMs, durationMs } = options
  return {
    names: { plural: 'operations', one: 'op', normalised: 'per operation (each profile’s time divided by the calls it made)' },
    capture: (variant, file) =>
      withChild(c, variant, options, undefined, async (child) => {
        await child.request({ type: 'load', ...common(c, variant) }, 'loaded', timeoutMs, 'load')
        await child.request({ type: 'setup', params: c.params }, 'setup-done', timeoutMs, 'setup')
        await child.request({ type: 'calibrate' }, 'calibrated', timeoutMs, 'calibration')
        const window = await child.request({ type: 'profile', durationMs, file, samplingIntervalUs: options.samplingIntervalUs }, 'profile', durationMs * 3 + timeoutMs, 'profile')
        await child.request({ type: 'finish' }, 'finished', timeoutMs, 'teardown').catch(() => undefined)
        return { tree: readTree(file), ops: window.ops, windowMs: window.durationMs, facts: [] }
      }),
    runnerSpec: (variant, _workingDir, { yieldEveryMs }) => ({ ...common(c, variant), kind: 'micro', durationMs, ...(yieldEveryMs ? { yieldEveryMs } : {}) }),
  }
}

/** The load kind: one level of the sweep (the case's), warmed up as in a run, then a window of `durationMs`. */
function loadProfiler(c: ScenarioCase, options: KindOptions): KindProfiler {
  const { timeoutMs, durationMs } = options
  const load = c.loaded.load!
  const level = Number(c.params[load.sweep])
  const warmupMs = load.warmupMs ?? LOAD_DEFAULTS.warmupMs
  return {
    names: { plural: 'events handled', one: 'event', normalised: 'per event handled in the window (each profile’s time divided by the events its system handled)' },
    capture: (variant, file) =>
      withChild(c, variant, options, LOAD_CHILD_ENTRY, async (child) => {
        await child.request({ type: 'load', ...common(c, variant) }, 'loaded', timeoutMs, 'load')
        await child.request({ type: 'setup', params: c.params }, 'setup-done', timeoutMs, 'setup')
        const message = { type: 'profile-window' as const, level, warmupMs, durationMs, file, samplingIntervalUs: options.samplingIntervalUs }
        const window = await child.request(message, 'profile', warmupMs + durationMs * 3 + timeoutMs, 'profile')
        await child.request({ type: 'finish' }, 'finished', timeoutMs, 'teardown').catch(() => undefined)
        return { tree: readTree(file), ops: window.ops, windowMs: window.durationMs, facts: [[load.sweep, formatInteger(level)]] }
      }),
    runnerSpec: (variant) => ({ ...common(c, variant), kind: 'load', level, warmupMs, durationMs }),
  }
}

/** The http kind: the variant's server in its own process, driven from this one as in a run's rounds. */
function httpProfiler(c: ScenarioCase, options: KindOptions): KindProfiler {
  const { timeoutMs, durationMs } = options
  const http = c.loaded.http!
  const connections = Number(c.params[http.sweepKey])
  const requests = loadRequests(resolveHttpRequests((c.loaded.scenario as HttpScenario).request, c.params) as HttpRequest[])
  const warmupMs = httpWarmupMs(http, false)
  // autocannon is loaded only when a server is actually driven.
  const drive = async (port: number, windowMs: number, alive: () => boolean) => {
    const { driveLoad } = await import('../engine/http-load.ts')
    const base = { host: HTTP_HOST, port, connections, requests, workers: http.workers, requestTimeoutMs: http.requestTimeoutMs, alive }
    return driveLoad({ ...base, durationMs: windowMs, ...(options.signal ? { signal: options.signal } : {}) })
  }
  return {
    names: { plural: 'requests', one: 'request', normalised: 'per request the server received in the window (each profile’s time divided by its requests)' },
    capture: (variant, file) =>
      withChild<Captured, HttpParentMessage, HttpChildMessage>(c, variant, options, HTTP_CHILD_ENTRY, async (child) => {
        const ready = await child.request({ type: 'start', ...common(c, variant) }, 'ready', timeoutMs, 'start')
        const alive = () => child.running
        await drive(ready.port, warmupMs, alive)
        await child.request({ type: 'profile-start', samplingIntervalUs: options.samplingIntervalUs }, 'profile-started', timeoutMs, 'profile')
        const load = await drive(ready.port, durationMs, alive)
        // Asking after the window is also how a server that died under the load says so.
        const window = await child.request({ type: 'profile-stop', file }, 'profile', timeoutMs, 'profile')
        await child.request({ type: 'finish' }, 'finished', timeoutMs, 'teardown').catch(() => undefined)
        const failures = load.errors + load.timeouts + load.non2xx
        const facts: Array<[string, string]> = [[http.sweepKey, formatInteger(connections)]]
        if (failures > 0) facts.push(['failed requests', `${formatInteger(failures)} (errors, timeouts, non-2xx)`])
        return { tree: readTree(file), ops: window.ops, windowMs: window.durationMs, facts }
      }),
    runnerSpec: (variant, workingDir) => ({ ...common(c, variant), kind: 'http', controlDir: workingDir, maxServeMs: warmupMs + durationMs * 3 + timeoutMs }),
    async alongside(workingDir, closed) {
      const ready = path.join(workingDir, CONTROL_FILES.ready)
      try {
        while (!existsSync(ready)) {
          if (closed.aborted || options.signal?.aborted) return
          await sleep(READY_POLL_MS)
        }
        const { port } = JSON.parse(readFileSync(ready, 'utf8')) as { port: number }
        await drive(port, warmupMs + durationMs, () => !closed.aborted)
      } finally {
        writeFileSync(path.join(workingDir, CONTROL_FILES.stop), '')
      }
    },
  }
}

export function profilerFor(c: ScenarioCase, options: KindOptions): KindProfiler {
  switch (c.loaded.kind) {
    case 'micro':
      return microProfiler(c, options)
    case 'load':
      return loadProfiler(c, options)
    case 'http':
      return httpProfiler(c, options)
  }
}

/**
 * The cases to profile: every micro case, and of a load or http sweep one level only — the lowest the
 * run has (`--param` picks another) — since a profile at each level would multiply the time.
 */
export function casesToProfile<C extends ScenarioCase>(cases: readonly C[]): C[] {
  const lowest = new Map<string, number>()
  const sweepOf = (c: ScenarioCase) => (c.loaded.kind === 'load' ? c.loaded.load!.sweep : c.loaded.kind === 'http' ? c.loaded.http!.sweepKey : undefined)
  // Cases that differ only in their level share a key: the scenario and its other parameters.
  const keyOf = (c: ScenarioCase, sweep: string) => JSON.stringify([c.loaded.file, c.loaded.index, Object.entries(c.params).filter(([k]) => k !== sweep)])
  for (const c of cases) {
    const sweep = sweepOf(c)
    if (sweep === undefined) continue
    const key = keyOf(c, sweep)
    lowest.set(key, Math.min(lowest.get(key) ?? Infinity, Number(c.params[sweep])))
  }
  return cases.filter((c) => {
    const sweep = sweepOf(c)
    return sweep === undefined || Number(c.params[sweep]) === lowest.get(keyOf(c, sweep))
  })
}

/**
 * The http provider's scheduler (parent side). Each variant's server runs in a child process of
 * its own on 127.0.0.1; this process generates the load with autocannon. Time is split into
 * rounds; in each round every variant gets one measured window, in a seeded ABBA order, one at a
 * time so the servers never compete for a core; the round is the unit of comparison (time per
 * request = 1 / requests per second, paired by round). While a comparison is inconclusive and the
 * budget allows, rounds are added. A traced pass after the timed rounds breaks a request's time
 * down by phase.
 */
import { Buffer } from 'node:buffer'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Histogram } from 'hdr-histogram-js'
import { formatDurationMs } from '../config/duration.ts'
import { resolveHttpRequests, type HttpOptions } from '../config/scenarios.ts'
import type { HttpRequest, HttpScenario } from '../config/types.ts'
import { RunError, UsageError } from '../errors.ts'
import type { Breakdown, Flag, HttpRound, HttpScenarioResult, HttpStats, HttpVariantResult, ProcessStats } from '../result/schema.ts'
import { mean, median, sd } from '../stats/describe.ts'
import { caseVariant, type ScenarioCase } from './cases.ts'
import { latencyHistogram, latencyPercentiles } from './http-latency.ts'
import { driveLoad, type LoadRequest, type LoadWindow } from './http-load.ts'
import type { HttpChildMessage, HttpParentMessage, ServerReady, ServerWindow } from './http-protocol.ts'
import { HTTP_HOST } from './http-server.ts'
import { twoSpeeds } from '../stats/speeds.ts'
import { formatRate } from '../report/format.ts'
import { alive, HIGH_CV, judgeCase, judgedSettings, mergeProcessStats, NO_PROCESS, planRounds, processesOf, resultIdentity, twoSpeedsFlag, variantAddress, VariantChildren, withSides, type Child, type RoundLimits } from './scheduler.ts'
import type { EngineEvent, EngineSettings } from './types.ts'
import { ChildFailure, STEADY_HEAP_ARGS, VariantProcess } from './variant-process.ts'

/** A window shorter than 100 ms is mostly connection set-up; longer than 2 s wastes the budget on few rounds. */
/** Three server processes per variant (fewer cannot give a per-process interval), four windows each; auto-sampling adds servers up to six. */
const ROUNDS: RoundLimits = {
  lives: { normal: 3, quick: 3 },
  roundsPerLife: { normal: 4, quick: 2 },
  maxLives: { normal: 6, quick: 3 },
  ms: { min: 100, max: 2000 },
}
/**
 * autocannon's workers each boot a thread and load autocannon before their connections start, at
 * different moments: only the time all of them were generating load counts, so windows must be
 * long enough for that overlap to dominate.
 */
const WORKER_ROUND_MIN_MS = 1000
const WARMUP_MS = { normal: 1000, quick: 300 }
const TRACE_MS = { normal: 1000, quick: 300 }
/** A load generator above this share of its cores is the bottleneck, not the server. */
const SATURATED = 0.9

const here = fileURLToPath(import.meta.url)
/** http-child.js beside this file when compiled, http-child.ts when running from source (tests). */
export const HTTP_CHILD_ENTRY = path.join(path.dirname(here), `http-child${path.extname(here)}`)

interface VariantRun {
  name: string
  isBaseline: boolean
  process: HttpProcess | Child
  ready?: ServerReady
  rounds: HttpRound[]
  /** Every measured request of every round. */
  histogram: Histogram
  peakRssBytes?: number
  heapUsedBytes?: number
  gc: { count: number; totalMs: number }
  breakdown?: Breakdown | null
  counters?: Record<string, number> | null
  finished?: ProcessStats
  failure?: ChildFailure
}

/** A server child: it speaks the http protocol. */
type HttpProcess = VariantProcess<HttpParentMessage, HttpChildMessage>

/** The requests of a case, as autocannon sends them: bodies encoded, content-type set for JSON. */
export function loadRequests(requests: readonly HttpRequest[]): LoadRequest[] {
  return requests.map((r) => {
    const headers: Record<string, string> = { ...r.headers }
    let body: string | undefined
    if (r.body !== undefined) {
      body = typeof r.body === 'string' ? r.body : JSON.stringify(r.body)
      if (typeof r.body !== 'string' && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json'
    }
    return { method: r.method ?? 'GET', path: r.path, headers, ...(body !== undefined ? { body } : {}) }
  })
}

/**
 * Checks what only a case knows (its parameters) before anything runs: the request the scenario
 * builds from them. (The connection count was checked with the parameters: `levelProblem`.)
 */
export function checkHttpCase(c: ScenarioCase): void {
  const where = `${c.loaded.relFile}: scenario "${c.loaded.scenario.name}"`
  const requests = resolveHttpRequests((c.loaded.scenario as HttpScenario).request, c.params)
  if (typeof requests === 'string') throw new UsageError(`${where} (${c.id}): ${requests}`)
}

/** Load a server takes before it is measured (or profiled): the scenario's, else the default, never less than workers need to start. */
export function httpWarmupMs(options: HttpOptions, quick: boolean): number {
  return Math.max(options.warmupMs ?? (quick ? WARMUP_MS.quick : WARMUP_MS.normal), options.workers > 0 ? WORKER_ROUND_MIN_MS : 0)
}

export async function runHttpCase(
  c: ScenarioCase,
  settings: EngineSettings,
  signal: AbortSignal,
  emit: (event: EngineEvent) => void,
): Promise<HttpScenarioResult> {
  const scenario = c.loaded.scenario as HttpScenario
  const options: HttpOptions = c.loaded.http!
  const started = Date.now()
  const connections = c.params[options.sweepKey] as number
  const requests = resolveHttpRequests(scenario.request, c.params) as HttpRequest[]
  const load = loadRequests(requests)
  const first = requests[0]!
  const timeMs = c.loaded.options.timeMs && !settings.timeFromFlag ? c.loaded.options.timeMs : settings.timeMs
  const timeoutMs = c.loaded.options.timeoutMs ?? settings.timeoutMs
  const minEffect = c.loaded.options.minEffect ?? settings.minEffect
  const fixedRounds = settings.rounds ?? c.loaded.options.rounds
  const warmupMs = httpWarmupMs(options, settings.quick)
  const traceMs = options.breakdown ? (options.breakdown.timeMs ?? (settings.quick ? TRACE_MS.quick : TRACE_MS.normal)) : 0

  const runs: VariantRun[] = c.variants.map((name) => ({
    name,
    isBaseline: name === caseVariant(c, scenario.baseline),
    process: NO_PROCESS,
    rounds: [],
    histogram: latencyHistogram(),
    gc: { count: 0, totalMs: 0 },
  }))
  const plan = planRounds(c, settings, {
    timeMs,
    fixedRounds,
    processes: settings.processes ?? c.loaded.options.processes,
    variants: runs.length,
    names: runs.map((r) => r.name),
    limits: ROUNDS,
    minRoundMs: options.workers > 0 ? WORKER_ROUND_MIN_MS : ROUNDS.ms.min,
  })
  const roundMs = plan.roundMs
  // A window ends on its own; the deadline is for a server that stops answering our requests.
  const windowDeadline = roundMs * 3 + options.requestTimeoutMs + timeoutMs
  const children = new VariantChildren(runs, c, timeoutMs, signal, emit)
  const server = (run: VariantRun) => run.process as HttpProcess
  let looks = 1
  let alpha = settings.alpha

  /** One window of load on a variant's server; a server that dies during it ends it early. */
  const window = (run: VariantRun, durationMs: number, windowConnections = connections): Promise<LoadWindow> =>
    driveLoad({
      host: HTTP_HOST,
      port: run.ready!.port,
      connections: windowConnections,
      durationMs,
      requests: load,
      workers: options.workers,
      requestTimeoutMs: options.requestTimeoutMs,
      alive: () => run.process.running,
      signal,
    })

  try {
    ;({ looks, alpha } = await children.runLives(
      plan,
      {
        open: async (life) => {
          // One server at a time: the first may build a cached dataset the others then copy.
          for (const run of runs.filter(alive)) {
            if (signal.aborted) break
            emit({ type: 'phase', scenario: c.id, variant: run.name, phase: plan.lives > 1 ? `starting server (${life + 1} of ${plan.lives})` : 'starting server' })
            run.process = new VariantProcess<HttpParentMessage, HttpChildMessage>({
              label: `${c.id}/${run.name}#${life + 1}`,
              entry: HTTP_CHILD_ENTRY,
              maxMemoryMB: c.loaded.options.maxMemoryMB,
              env: settings.childEnv,
              execArgv: STEADY_HEAP_ARGS,
            })
            try {
              const ready = await children.timed('start', () =>
                server(run).request(
                  { type: 'start', ...variantAddress(c, run.name), params: c.params },
                  'ready',
                  timeoutMs,
                  'start',
                ),
              )
              // The first server's start-up is the one reported: later ones may reuse its dataset.
              run.ready = life === 0 || !run.ready ? ready : { ...ready, startMs: run.ready.startMs, rssBytes: run.ready.rssBytes }
            } catch (error) {
              if (signal.aborted) break
              const failure = startFailure(c, run, error, timeoutMs)
              // Let the servers that did start release what they hold (temporary database copies).
              for (const other of runs) {
                if (other !== run && other.process.running) await other.process.release(Math.min(timeoutMs, 10_000)).catch(() => undefined)
              }
              throw failure
            }
          }
          for (const run of runs.filter(alive)) {
            if (signal.aborted) break
            if (life === 0) emit({ type: 'phase', scenario: c.id, variant: run.name, phase: 'warm-up' })
            await children.timed('warmup', () =>
              children.ask(run, async () => {
                await server(run).request({ type: 'round-start', label: 'warm-up' }, 'round-started', timeoutMs, 'warm-up')
                await window(run, warmupMs)
                // A server that died under the warm-up load says so here.
                await server(run).request({ type: 'round-end' }, 'round-end', timeoutMs, 'warm-up')
              }),
            )
          }
        },
        turn: async (run, round, position, life) => {
          const phase = `round ${round + 1}`
          const measured = await children.ask(run, async () => {
            await server(run).request({ type: 'round-start', label: phase }, 'round-started', windowDeadline, phase)
            const loadWindow = await window(run, roundMs)
            // Asking the server after the window is also how a crash under load surfaces (with its stderr).
            const figures = await server(run).request({ type: 'round-end' }, 'round-end', windowDeadline, phase)
            return { loadWindow, figures }
          })
          if (!measured || signal.aborted) return
          const { loadWindow, figures } = measured
          run.rounds.push({ ...toRound(round, position, loadWindow, figures), process: life })
          run.histogram.add(loadWindow.histogram)
          run.peakRssBytes = Math.max(run.peakRssBytes ?? 0, figures.peakRssBytes)
          run.heapUsedBytes = figures.heapUsedBytes
          run.gc.count += figures.gc.count
          run.gc.totalMs += figures.gc.totalMs
        },
        close: async (_life, last) => {
          for (const run of runs.filter(alive)) {
            if (last && !signal.aborted) {
              await children.timed('passes', async () => {
                if (options.breakdown) {
                  emit({ type: 'phase', scenario: c.id, variant: run.name, phase: 'traced pass' })
                  const traced = await children.ask(run, async () => {
                    await server(run).request({ type: 'trace-start' }, 'trace-started', timeoutMs, 'traced pass')
                    await window(run, traceMs, (options.breakdown as { connections: number }).connections)
                    return server(run).request({ type: 'trace-stop' }, 'trace', timeoutMs, 'traced pass')
                  })
                  if (traced) run.breakdown = traced.breakdown
                }
                const counters = await children.ask(run, () => server(run).request({ type: 'counters' }, 'counters', timeoutMs, 'counters'))
                if (counters) run.counters = counters.counters
              })
            }
            if (signal.aborted) continue
            const stats = await children.end(run, () => server(run).request({ type: 'finish' }, 'finished', timeoutMs, 'teardown'))
            if (stats) run.finished = mergeProcessStats(run.finished, stats)
          }
        },
      },
      (lookAlpha) => {
        const judged = judgeCase(c, runs, 'http', settings, minEffect, lookAlpha)
        return [...judged.comparisons, ...judged.against]
      },
    ))
  } finally {
    await children.close()
  }

  const variants = runs.map((run) => toVariantResult(run, signal.aborted))
  const { comparisons, against } = judgeCase(c, runs, 'http', settings, minEffect, alpha)
  const everyVariantFailed = variants.every((v) => v.state === 'errored' || v.state === 'timeout')
  return withSides(c, {
    kind: 'http',
    ...resultIdentity(c),
    state: signal.aborted ? 'interrupted' : everyVariantFailed ? 'errored' : 'completed',
    ...(everyVariantFailed && !signal.aborted ? { error: { message: 'every variant failed; see each variant for why' } } : {}),
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    timing: children.timing,
    warnings: scenarioWarnings(variants, options.workers),
    budgets: [],
    claims: [],
    level: { name: options.sweepKey, value: connections },
    request: { method: first.method ?? 'GET', path: first.route ?? first.path, bodyBytes: load[0]!.body ? Buffer.byteLength(load[0]!.body) : 0 },
    settings: {
      roundMs,
      warmupMs,
      ...judgedSettings(settings, minEffect, alpha, looks, runs),
      workers: options.workers,
      ...(options.breakdown ? { breakdown: { connections: options.breakdown.connections, durationMs: traceMs } } : {}),
    },
    variants,
    comparisons,
  }, against)
}

/** A server that did not start is a run that cannot complete: one line, with what it wrote on stderr. */
function startFailure(c: ScenarioCase, run: VariantRun, error: unknown, timeoutMs: number): RunError {
  const tail = (run.process as HttpProcess).stderrTail(4).replace(/\s*\n\s*/g, ' | ')
  let reason: string
  if (error instanceof ChildFailure && error.kind === 'timeout') reason = `never reported ready within ${formatDurationMs(timeoutMs)}${tail ? `; stderr: ${tail}` : ''}`
  else if (error instanceof ChildFailure && error.kind === 'crashed') reason = `did not start: ${error.message}`
  else {
    const message = (error as Error)?.message ?? String(error)
    reason = `did not start: ${message.split('\n')[0]}${tail && !message.includes(tail) ? `; stderr: ${tail}` : ''}`
  }
  run.process.kill()
  return new RunError(`${c.loaded.relFile}: ${c.id}: the server of variant "${run.name}" ${reason}`, { cause: error })
}

function toRound(index: number, position: number, w: LoadWindow, server: ServerWindow): HttpRound {
  return {
    index,
    position,
    durationMs: w.durationMs,
    requests: w.requests,
    requestsPerSec: w.durationMs > 0 ? (w.requests * 1000) / w.durationMs : 0,
    latency: latencyPercentiles(w.histogram),
    errors: w.errors,
    timeouts: w.timeouts,
    non2xx: w.non2xx,
    serverCpu: server.cpu,
    ...(server.handled > 0 ? { serverCpuPerRequestNs: server.cpuNs / server.handled } : {}),
    generatorCpu: w.generatorCpu,
  }
}

function httpStats(run: VariantRun): HttpStats | undefined {
  if (run.rounds.length === 0) return undefined
  const rates = run.rounds.map((r) => r.requestsPerSec)
  const sum = (pick: (r: HttpRound) => number) => run.rounds.reduce((total, r) => total + pick(r), 0)
  const cpuPerRequest = run.rounds.flatMap((r) => (r.serverCpuPerRequestNs !== undefined ? [r.serverCpuPerRequestNs] : []))
  return {
    requestsPerSec: median(rates),
    cv: rates.length > 1 && mean(rates) > 0 ? sd(rates) / mean(rates) : 0,
    requests: sum((r) => r.requests),
    latency: latencyPercentiles(run.histogram),
    errors: sum((r) => r.errors),
    timeouts: sum((r) => r.timeouts),
    non2xx: sum((r) => r.non2xx),
    rounds: run.rounds.length,
    ...(cpuPerRequest.length ? { serverCpuPerRequestNs: median(cpuPerRequest) } : {}),
  }
}

function toVariantResult(run: VariantRun, interrupted: boolean): HttpVariantResult {
  const stats = httpStats(run)
  const flags: Flag[] = []
  if (stats && stats.cv > HIGH_CV) {
    flags.push({ code: 'high-variance', message: `requests/s vary by ${(stats.cv * 100).toFixed(0)}% between rounds (CV): the machine or the server is noisy` })
  }
  const speeds = twoSpeeds(run.rounds.map((r) => r.requestsPerSec).filter((rate) => rate > 0).map((rate) => 1e9 / rate))
  if (speeds) flags.push(twoSpeedsFlag(speeds, (ns) => `${formatRate(1e9 / ns)} req/s`, processesOf(run.rounds)))
  const processStats: ProcessStats | undefined =
    run.peakRssBytes !== undefined
      ? { peakRssBytes: run.peakRssBytes, heapUsedBytes: run.heapUsedBytes ?? run.finished?.heapUsedBytes ?? 0, gc: run.gc }
      : run.finished
  const base = {
    name: run.name,
    isBaseline: run.isBaseline,
    rounds: run.rounds,
    flags,
    ...(processStats ? { process: processStats } : {}),
    ...(run.counters ? { counters: run.counters } : {}),
    ...(run.ready ? { startup: { ms: run.ready.startMs, rssBytes: run.ready.rssBytes } } : {}),
  }
  const partial = stats ? { stats } : {}
  const failure = run.failure
  if (failure?.kind === 'timeout') return { ...base, state: 'timeout', timeoutMs: failure.timeoutMs ?? 0, phase: failure.phase, ...partial }
  if (failure && failure.kind !== 'interrupted') {
    return { ...base, state: 'errored', phase: failure.phase, error: { message: failure.message, ...(failure.childStack ? { stack: failure.childStack } : {}) }, ...partial }
  }
  if (interrupted || failure || !stats) return { ...base, state: 'interrupted', ...partial }
  return { ...base, state: 'completed', stats, ...(run.breakdown ? { breakdown: run.breakdown } : {}) }
}

/**
 * What a reader must know to trust the figures: a load generator that, not the server, was the
 * bottleneck; answers that were errors; rounds that spread widely.
 */
function scenarioWarnings(variants: HttpVariantResult[], workers: number): string[] {
  const warnings: string[] = []
  const generatorCores = Math.max(1, workers)
  for (const v of variants) {
    for (const flag of v.flags) warnings.push(`${v.name}: ${flag.message}`)
    const rounds = v.rounds.filter((r) => r.generatorCpu !== undefined && r.serverCpu !== undefined)
    if (rounds.length > 0) {
      const generator = median(rounds.map((r) => r.generatorCpu!)) / generatorCores
      const server = median(rounds.map((r) => r.serverCpu!))
      if (generator >= SATURATED && server < SATURATED) {
        warnings.push(
          `${v.name}: the load generator, not the server, was the bottleneck (generator ${pct(generator)} of ${generatorCores === 1 ? 'its core' : `its ${generatorCores} cores`}, server ${pct(server)} of a core): its requests/s are a floor and its ratios understate the difference`,
        )
      }
    }
    const stats = v.stats
    if (stats && stats.errors + stats.timeouts + stats.non2xx > 0) {
      warnings.push(
        `${v.name}: ${stats.non2xx} non-2xx answers, ${stats.errors} connection errors and ${stats.timeouts} timeouts out of ${stats.requests} requests: requests/s count every answer`,
      )
    }
  }
  return warnings
}

function pct(fraction: number): string {
  return `${Math.round(fraction * 100)}%`
}

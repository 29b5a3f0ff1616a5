/**
 * Entry point of an http variant's server process (started by VariantProcess with tsx registered).
 * It loads the scenario file, runs `setup`, builds the variant's server, listens on 127.0.0.1:0 and
 * reports ready with the port; then it answers the scheduler's requests around each measured
 * window (server CPU, GC, peak RSS), runs the traced pass, and closes everything on `finish`.
 *
 * A server that throws outside any request (an error in a handler, a rejected promise nobody
 * awaited) takes the process down, as it would in production: the error goes to stderr, whose
 * tail the parent reports, and the variant's cell is `errored`.
 */
import v8 from 'node:v8'
import { pathToFileURL } from 'node:url'
import { startTracing, stopTracing } from '../../fixtures/trace/index.ts'
import { redact } from '../errors.ts'
import { summarizeBreakdown } from '../stats/breakdown.ts'
import type { HttpScenario, HttpServerContext } from '../config/types.ts'
import type { HttpChildMessage, HttpParentMessage } from './http-protocol.ts'
import { resolveServerFactory, startServer, type RunningServer } from './http-server.ts'
import type { RunningCpuProfile } from '../profile/inspector.ts'

process.on('SIGINT', () => {})

let phase = 'start'
let scenario: HttpScenario | undefined
let context: HttpServerContext | undefined
let running: RunningServer | undefined
let setupDone = false
const controller = new AbortController()
const gc = { count: 0, totalMs: 0 }
let window: { cpu: NodeJS.CpuUsage; startNs: bigint; profiler: v8.GCProfiler; received: number; peakRss: number; sampler: NodeJS.Timeout } | undefined
let profiling: { profiler: RunningCpuProfile; received: number; startedAt: number } | undefined
/** How often resident memory is sampled during a window: maxRSS would include start-up (building a database) and cannot be reset. */
const RSS_SAMPLE_MS = 20

function send(message: HttpChildMessage): void {
  process.send?.(message)
}

function describe(error: unknown): { message: string; stack?: string } {
  if (error instanceof Error) return { message: redact(error.message || error.name), stack: error.stack ? redact(error.stack) : undefined }
  return { message: redact(String(error)) }
}

/** The server died outside any request of ours: say why on stderr (the parent keeps its tail), then go. */
function crash(error: unknown): void {
  const { message, stack } = describe(error)
  process.stderr.write(`${stack ?? message}\n`)
  send({ type: 'error', phase, message, ...(stack ? { stack } : {}) })
  setTimeout(() => process.exit(1), 50)
}

process.on('unhandledRejection', crash)
process.on('uncaughtException', crash)
process.on('disconnect', () => process.exit(0))

async function handle(message: HttpParentMessage): Promise<HttpChildMessage> {
  switch (message.type) {
    case 'start': {
      phase = 'start'
      const started = performance.now()
      const module = (await import(pathToFileURL(message.file).href)) as { default?: unknown }
      const exported = Array.isArray(module.default) ? module.default[message.index] : module.default
      scenario = exported as HttpScenario
      if (!scenario || scenario.name !== message.scenario) throw new Error(`scenario "${message.scenario}" is no longer in ${message.file}`)
      const variant = scenario.variants[message.variant]
      if (variant === undefined) throw new Error(`variant "${message.variant}" is no longer in scenario "${message.scenario}"`)
      const setupContext = { params: message.params, variant: message.variant, scenario: scenario.name, signal: controller.signal }
      const state = scenario.setup ? await scenario.setup(setupContext) : undefined
      setupDone = true
      context = { ...setupContext, state }
      const factory = await resolveServerFactory(variant, message.file)
      running = await startServer(factory, context)
      return { type: 'ready', port: running.port, startMs: performance.now() - started, rssBytes: process.memoryUsage().rss }
    }
    case 'round-start': {
      phase = message.label
      const profiler = new v8.GCProfiler()
      profiler.start()
      const w = { cpu: process.cpuUsage(), startNs: process.hrtime.bigint(), profiler, received: running!.received, peakRss: process.memoryUsage.rss(), sampler: undefined as unknown as NodeJS.Timeout }
      w.sampler = setInterval(() => {
        w.peakRss = Math.max(w.peakRss, process.memoryUsage.rss())
      }, RSS_SAMPLE_MS)
      window = w
      return { type: 'round-started' }
    }
    case 'round-end': {
      const w = window!
      window = undefined
      clearInterval(w.sampler)
      const elapsedUs = Number(process.hrtime.bigint() - w.startNs) / 1000
      const cpu = process.cpuUsage(w.cpu)
      const stats = w.profiler.stop()
      const windowGc = { count: stats.statistics.length, totalMs: stats.statistics.reduce((sum, s) => sum + s.cost, 0) / 1000 }
      gc.count += windowGc.count
      gc.totalMs += windowGc.totalMs
      return {
        type: 'round-end',
        handled: running!.received - w.received,
        cpu: elapsedUs > 0 ? (cpu.user + cpu.system) / elapsedUs : 0,
        cpuNs: (cpu.user + cpu.system) * 1000,
        gc: windowGc,
        peakRssBytes: Math.max(w.peakRss, process.memoryUsage.rss()),
        heapUsedBytes: process.memoryUsage().heapUsed,
      }
    }
    case 'trace-start':
      phase = 'traced pass'
      startTracing()
      return { type: 'trace-started' }
    case 'trace-stop': {
      const ops = stopTracing()
      const breakdown = ops.some((op) => Object.keys(op.phases).length > 0) ? summarizeBreakdown(ops) : null
      return { type: 'trace', breakdown, requests: ops.length }
    }
    case 'profile-start': {
      phase = 'profile'
      const { startCpuProfile } = await import('../profile/inspector.ts')
      profiling = { profiler: await startCpuProfile(message.samplingIntervalUs), received: running!.received, startedAt: performance.now() }
      return { type: 'profile-started' }
    }
    case 'profile-stop': {
      const { profiler, received, startedAt } = profiling!
      profiling = undefined
      const durationMs = performance.now() - startedAt
      await profiler.stop(message.file)
      return { type: 'profile', ops: running!.received - received, durationMs }
    }
    case 'counters':
      phase = 'counters'
      return { type: 'counters', counters: scenario!.counters && context ? sanitizeCounters(await scenario!.counters(context.state)) : null }
    case 'finish': {
      phase = 'teardown'
      controller.abort()
      await running?.close()
      if (setupDone && scenario!.teardown) await scenario!.teardown(context!.state, context!)
      const memory = process.memoryUsage()
      return { type: 'finished', process: { peakRssBytes: process.resourceUsage().maxRSS * 1024, heapUsedBytes: memory.heapUsed, gc: { ...gc } } }
    }
  }
}

function sanitizeCounters(raw: unknown): Record<string, number> {
  const counters: Record<string, number> = {}
  if (typeof raw !== 'object' || raw === null) throw new Error('counters(state) must return an object of numbers')
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`counters(state).${key} is not a finite number`)
    counters[key] = value
  }
  return counters
}

process.on('message', (message: HttpParentMessage) => {
  handle(message).then(send, (error: unknown) => send({ type: 'error', phase, ...describe(error) }))
})

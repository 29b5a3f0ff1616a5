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
import { startTracing, stopTracing } from '../trace/index.ts'
import { summarizeBreakdown } from '../stats/breakdown.ts'
import type { HttpScenario, HttpServerContext } from '../config/types.ts'
import { ChildRuntime, importScenario, processFigures, sanitizeCounters, ScenarioLife } from './child-runtime.ts'
import type { HttpChildMessage, HttpParentMessage } from './http-protocol.ts'
import { resolveServerFactory, startServer, type RunningServer } from './http-server.ts'
import type { RunningCpuProfile } from '../profile/inspector.ts'

const child = new ChildRuntime<HttpParentMessage, HttpChildMessage>('start')
child.crashOnStrayErrors()

let life: ScenarioLife<HttpScenario> | undefined
let context: HttpServerContext | undefined
let running: RunningServer | undefined
const gc = { count: 0, totalMs: 0 }
let window: { cpu: NodeJS.CpuUsage; startNs: bigint; profiler: v8.GCProfiler; received: number; peakRss: number; sampler: NodeJS.Timeout } | undefined
let profiling: { profiler: RunningCpuProfile; received: number; startedAt: number } | undefined
/** How often resident memory is sampled during a window: maxRSS would include start-up (building a database) and cannot be reset. */
const RSS_SAMPLE_MS = 20

async function handle(message: HttpParentMessage): Promise<HttpChildMessage> {
  switch (message.type) {
    case 'start': {
      child.phase = 'start'
      const started = performance.now()
      life = new ScenarioLife((await importScenario(message)) as HttpScenario, message.variant)
      const setupContext = await life.setup(message.params)
      context = { ...setupContext, state: life.state }
      const factory = await resolveServerFactory(life.scenario.variants[message.variant]!, message.file)
      running = await startServer(factory, context)
      return { type: 'ready', port: running.port, startMs: performance.now() - started, rssBytes: process.memoryUsage().rss }
    }
    case 'round-start': {
      child.phase = message.label
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
      child.phase = 'traced pass'
      startTracing()
      return { type: 'trace-started' }
    case 'trace-stop': {
      const ops = stopTracing()
      const breakdown = ops.some((op) => Object.keys(op.phases).length > 0) ? summarizeBreakdown(ops) : null
      return { type: 'trace', breakdown, requests: ops.length }
    }
    case 'profile-start': {
      child.phase = 'profile'
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
      child.phase = 'counters'
      return { type: 'counters', counters: life!.scenario.counters && context ? sanitizeCounters(await life!.scenario.counters(context.state)) : null }
    case 'finish': {
      child.phase = 'teardown'
      await life?.finish(() => running?.close())
      return { type: 'finished', process: processFigures({ ...gc }) }
    }
  }
}

child.serve(handle)

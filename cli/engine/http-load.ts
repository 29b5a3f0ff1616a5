/**
 * One window of load on a server, driven by autocannon from this (the parent) process: closed-loop
 * keep-alive connections, each sending its next request as soon as the previous answer arrived.
 *
 * What autocannon gives and what we take:
 * - its `response` event (main thread) carries each response's time from process.hrtime, in
 *   fractional milliseconds; we record it in ns into our own HdrHistogram (autocannon's histogram
 *   and percentiles are whole milliseconds);
 * - with `workers`, autocannon runs in worker threads whose events never reach this thread, so a
 *   `setupClient` module (http-client-hook.cjs, `require`d by path in each worker) records the same
 *   figures there and posts them back over a BroadcastChannel;
 * - its counts of errors, timeouts and non-2xx answers, which need no resolution.
 * - autocannon checks its stop flag on its sample interval (1 s by default): we sample every 10 ms
 *   so a window ends within 10 ms of its duration.
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { BroadcastChannel } from 'node:worker_threads'
import type autocannon from 'autocannon'
import type { Histogram } from 'hdr-histogram-js'
import { latencyHistogram, recordLatency } from './http-latency.ts'

/** A request as autocannon sends it: body already encoded, headers complete. */
export interface LoadRequest {
  method: string
  path: string
  headers: Record<string, string>
  body?: string
}

export interface WindowOptions {
  port: number
  host: string
  connections: number
  durationMs: number
  requests: readonly LoadRequest[]
  /** autocannon worker threads; 0 generates the load on this thread. */
  workers: number
  requestTimeoutMs: number
  /** Polled while the window runs: false ends it early (the server died). */
  alive?: () => boolean
  signal?: AbortSignal
}

export interface LoadWindow {
  /** From the first connection to the last response, ms. */
  durationMs: number
  /** Responses received in the window (any status). */
  requests: number
  /** Latency of each of them, ns. */
  histogram: Histogram
  /** Connection errors (refused, reset …), timeouts excluded. */
  errors: number
  timeouts: number
  non2xx: number
  /** CPU time of this process (all its threads) over the window, as a fraction of one core. */
  generatorCpu: number
  /** True when the window was cut short (server died, run interrupted). */
  stoppedEarly: boolean
}

const SAMPLE_MS = 10
/** How long to wait, after autocannon returned, for every worker's latencies to arrive. */
const WORKER_REPORT_MS = 5000

const here = fileURLToPath(import.meta.url)
/** The hook sits beside this file in the sources; the compiled CLI (dist/) finds it in the sources it ships with. */
const CLIENT_HOOK = [path.join(path.dirname(here), 'http-client-hook.cjs'), path.resolve(path.dirname(here), '../../../cli/engine/http-client-hook.cjs')].find(
  (candidate) => existsSync(candidate),
)

let channelSequence = 0

export async function driveLoad(options: WindowOptions): Promise<LoadWindow> {
  const { default: run } = await import('autocannon')
  const histogram = latencyHistogram()
  const useWorkers = options.workers > 0
  if (useWorkers && !CLIENT_HOOK) throw new Error('bug: http-client-hook.cjs is missing beside the engine; reinstall perfkit')
  const channelName = `perfkit-http-${process.pid}-${++channelSequence}`
  const reports: WorkerReport[] = []
  let channel: BroadcastChannel | undefined
  let allReported: Promise<void> = Promise.resolve()
  if (useWorkers) {
    channel = new BroadcastChannel(channelName)
    allReported = new Promise<void>((resolve) => {
      channel!.onmessage = (event) => {
        reports.push((event as { data: WorkerReport }).data)
        if (reports.length === options.workers) resolve()
      }
    })
  }

  let requests = 0
  let lastResponseNs = 0
  const cpuStart = process.cpuUsage()
  const startNs = process.hrtime.bigint()
  let stoppedEarly = false
  const result = await new Promise<{ errors: number; timeouts: number; non2xx: number }>((resolve, reject) => {
    let watch: NodeJS.Timeout | undefined
    let instance: autocannon.Instance | undefined
    // Stopping autocannon's workers early loses their results, so only the main thread stops early.
    const stop = () => {
      if (useWorkers || stoppedEarly || !instance) return
      stoppedEarly = true
      instance.stop()
    }
    instance = run(
      {
        url: `http://${options.host}:${options.port}`,
        connections: options.connections,
        duration: options.durationMs / 1000,
        sampleInt: SAMPLE_MS,
        timeout: Math.max(1, Math.ceil(options.requestTimeoutMs / 1000)),
        requests: options.requests.map((r) => ({ method: r.method as 'GET', path: r.path, headers: r.headers, ...(r.body !== undefined ? { body: r.body } : {}) })),
        ...(useWorkers ? { workers: options.workers, setupClient: CLIENT_HOOK, perfkitChannel: channelName } : {}),
      } as autocannon.Options,
      (error, result) => {
        clearInterval(watch)
        options.signal?.removeEventListener('abort', stop)
        if (error) reject(error instanceof Error ? error : new Error(String(error)))
        else resolve({ errors: result.errors - result.timeouts, timeouts: result.timeouts, non2xx: result.non2xx })
      },
    )
    if (!useWorkers) {
      instance!.on('response', (_client, _status, _bytes, responseTimeMs) => {
        recordLatency(histogram, responseTimeMs * 1e6)
        requests++
        lastResponseNs = Number(process.hrtime.bigint())
      })
    }
    watch = setInterval(() => {
      if (options.alive && !options.alive()) stop()
    }, 25)
    options.signal?.addEventListener('abort', stop, { once: true })
  })
  const endNs = process.hrtime.bigint()
  const cpu = process.cpuUsage(cpuStart)
  const wallUs = Number(endNs - startNs) / 1000

  let durationMs: number
  if (useWorkers) {
    const timer = new Promise<void>((resolve) => setTimeout(resolve, WORKER_REPORT_MS).unref())
    await Promise.race([allReported, timer])
    channel!.close()
    if (reports.length < options.workers) throw new Error(`only ${reports.length} of ${options.workers} autocannon workers reported their latencies`)
    // Count only while every worker was generating load: workers start one after another.
    const from = Math.max(...reports.map((r) => r.firstNs))
    const to = Math.min(...reports.map((r) => (r.ends.length ? r.ends[r.ends.length - 1]! : r.firstNs)))
    for (const report of reports) {
      for (let i = 0; i < report.ends.length; i++) {
        if (report.ends[i]! < from || report.ends[i]! > to) continue
        recordLatency(histogram, report.latencies[i]!)
        requests++
      }
    }
    durationMs = Math.max(0, (to - from) / 1e6)
  } else {
    durationMs = lastResponseNs > 0 ? (lastResponseNs - Number(startNs)) / 1e6 : Number(endNs - startNs) / 1e6
  }
  return {
    durationMs,
    requests,
    histogram,
    ...result,
    generatorCpu: wallUs > 0 ? (cpu.user + cpu.system) / wallUs : 0,
    stoppedEarly,
  }
}

interface WorkerReport {
  threadId: number
  firstNs: number
  latencies: Float64Array
  ends: Float64Array
}

/**
 * The measuring side of a load cell, inside the cell's child process: `level` producers offer ops
 * to the system a variant built, through a warm-up and a measured window, while the driver times
 * each op from emit to handled (HdrHistogram, ns) and watches the process (event-loop delay, GC,
 * RSS and heap). Nothing here prints.
 *
 * A producer is a closed loop: it offers an op, waits for `emit`'s promise (the system's
 * backpressure), then yields to the event loop and offers the next. So each producer offers at
 * most one op per turn of the loop, and the offered load grows with the number of producers — the
 * way concurrent requests reach a server — without a tight loop starving the handlers' own I/O.
 */
import { createHistogram, performance, type RecordableHistogram } from 'node:perf_hooks'
import v8 from 'node:v8'
import type { Histogram } from 'hdr-histogram-js'
import { isPromiseLike as isThenable } from '../trace/index.ts'
import type { LoadContext, LoadOp, LoadStart, LoadTarget, LoadVariant } from '../config/types.ts'
import type { LoadFigures } from '../result/schema.ts'
import { latencyHistogram, latencyPercentiles, recordLatency } from './http-latency.ts'
import type { LoadPhase } from './load-protocol.ts'

export interface DriverOptions {
  /** Concurrent producers. */
  level: number
  warmupMs: number
  durationMs: number
  /** How often the series gets a point, ms. */
  seriesEveryMs: number
}

/** What `skip(reason)` throws; the child turns it into a skipped cell. */
export class SkipSignal extends Error {
  constructor(readonly reason: string) {
    super(`skipped: ${reason}`)
    this.name = 'SkipSignal'
  }
}

/** The system's `start`, from either form of a load variant (`start` or `{ start, requires }`). */
export function loadStartOf(variant: LoadVariant): LoadStart {
  return typeof variant === 'function' ? variant : variant.start
}

/** Starts a driver to be profiled: a variant that skips itself leaves nothing to profile, which is an error there. */
export async function beginProfiled(driver: LoadDriver): Promise<void> {
  try {
    await driver.begin()
  } catch (error) {
    if (error instanceof SkipSignal) throw new Error(`the variant skipped itself: ${error.reason}`)
    throw error
  }
}

class Op implements LoadOp {
  settled = false
  constructor(
    readonly id: number,
    readonly emittedAt: number,
  ) {}
}

/** How often the loop-delay timer runs, ms (monitorEventLoopDelay's default resolution). */
const LOOP_DELAY_RESOLUTION_MS = 10
/** How often RSS and heap are sampled for their peaks, ms. */
const MEMORY_SAMPLE_MS = 50

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

export class LoadDriver {
  phase: LoadPhase | 'starting' = 'starting'
  private target?: LoadTarget
  private returnMode = false
  private stopped = false
  private measuring = false
  private nextId = 0
  private failure?: unknown
  // The window's figures.
  private emitted = 0
  private completed = 0
  private dropped = 0
  private failed = 0
  private inFlight = 0
  /** Ops handed back twice: a bug of the system under load, reported as a counter. */
  private duplicates = 0
  /** Emit → handled of every op the window completed, ns. */
  private readonly histogram: Histogram = latencyHistogram()
  /** Time between runs of a 10 ms timer, ns: how `monitorEventLoopDelay` samples the loop. */
  private loopDelay?: RecordableHistogram
  /** V8's GC profiler records every collection synchronously, even while the loop is stuck. */
  private gcProfiler?: v8.GCProfiler
  private readonly gc = { count: 0, totalMs: 0 }
  private peakRss = 0
  private peakHeap = 0
  private startRss = 0
  private windowStart = 0
  private windowEnd = 0
  private readonly series: NonNullable<LoadFigures['series']> = []
  private timers: NodeJS.Timeout[] = []
  private finalFigures?: LoadFigures
  private waiters: Array<{ phase: 'window' | 'done'; resolve: () => void; reject: (error: unknown) => void }> = []

  constructor(
    private readonly start: LoadStart,
    private readonly context: Omit<LoadContext, 'level' | 'handled' | 'dropped' | 'fail' | 'skip'>,
    private readonly options: DriverOptions,
  ) {}

  /** Builds the system (its `start` may throw SkipSignal) and starts the producers; returns at once. */
  async begin(): Promise<void> {
    const ctx: LoadContext = {
      ...this.context,
      level: this.options.level,
      handled: (op, error) => this.settle(op as Op, error === undefined ? 'completed' : 'failed'),
      dropped: (op) => this.settle(op as Op, 'dropped'),
      fail: (error) => this.fault(error),
      skip: (reason) => {
        throw new SkipSignal(String(reason))
      },
    }
    const target = await this.start(ctx)
    if (typeof target !== 'object' || target === null || typeof (target as LoadTarget).emit !== 'function') {
      throw new TypeError(`variant "${this.context.variant}": start() must return the system under load, { emit(op) { … } } (got ${target === null ? 'null' : typeof target})`)
    }
    this.target = target
    this.returnMode = target.completes === 'return'
    this.startRss = process.memoryUsage.rss()
    this.phase = 'warm-up'
    this.timers.push(setInterval(() => this.sampleMemory(), MEMORY_SAMPLE_MS))
    // The producers start on the next turn, so `start` answers before the first burst of load.
    this.timers.push(
      setTimeout(() => {
        for (let i = 0; i < this.options.level; i++) void this.produce()
      }, 0),
    )
    this.timers.push(setTimeout(() => this.openWindow(), this.options.warmupMs))
  }

  private async produce(): Promise<void> {
    const target = this.target!
    while (!this.stopped) {
      const op = new Op(this.nextId++, performance.now())
      this.inFlight++
      if (this.measuring) this.emitted++
      let result: unknown
      try {
        result = target.emit(op)
        if (isThenable(result)) {
          if (this.returnMode) {
            try {
              await result
            } catch (error) {
              this.settle(op, 'failed')
              await nextTurn()
              continue
            }
          } else await result
        }
      } catch (error) {
        this.fault(error)
        return
      }
      if (this.returnMode) this.settle(op, 'completed')
      await nextTurn()
    }
  }

  private settle(op: Op, how: 'completed' | 'failed' | 'dropped'): void {
    if (op.settled) {
      this.duplicates++
      return
    }
    op.settled = true
    this.inFlight--
    if (!this.measuring) return
    if (how === 'completed') {
      this.completed++
      recordLatency(this.histogram, (performance.now() - op.emittedAt) * 1e6)
    } else if (how === 'failed') this.failed++
    else this.dropped++
  }

  /** The system failed: stop offering load; the parent ends the cell as errored. */
  private fault(error: unknown): void {
    if (this.stopped && !this.measuring && this.phase === 'done') return
    this.failure ??= error ?? new Error('the system under load failed without saying why')
    this.stopped = true
    this.wake()
  }

  /**
   * Resolves once the window has opened (`'window'`) or closed (`'done'`); rejects with the system's
   * failure when it fails first. The profiler uses it to cover the window and nothing else.
   */
  until(phase: 'window' | 'done'): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiters.push({ phase, resolve, reject })
      this.wake()
    })
  }

  private wake(): void {
    const reached = this.phase === 'done' ? 2 : this.phase === 'window' ? 1 : 0
    this.waiters = this.waiters.filter((waiter) => {
      if (this.failure !== undefined) waiter.reject(this.failure)
      else if ((waiter.phase === 'window' ? 1 : 2) <= reached) waiter.resolve()
      else return true
      return false
    })
  }

  private openWindow(): void {
    if (this.stopped) return
    this.phase = 'window'
    this.measuring = true
    // monitorEventLoopDelay's method — a timer every 10 ms records the time since its last run —
    // on a histogram we can also record into when the window closes: a turn that lasts most of the
    // window leaves the monitor one sample or none, and the stall still in progress is delay too.
    this.loopDelay = createHistogram()
    this.loopDelay.recordDelta()
    this.timers.push(setInterval(() => this.loopDelay!.recordDelta(), LOOP_DELAY_RESOLUTION_MS))
    this.gcProfiler = new v8.GCProfiler()
    this.gcProfiler.start()
    this.peakRss = 0
    this.peakHeap = 0
    this.sampleMemory()
    this.windowStart = performance.now()
    this.timers.push(setInterval(() => this.addPoint(), this.options.seriesEveryMs))
    this.timers.push(setTimeout(() => this.closeWindow(), this.options.durationMs))
    this.wake()
  }

  private closeWindow(): void {
    this.windowEnd = performance.now()
    this.loopDelay?.recordDelta()
    this.sampleMemory()
    this.addPoint()
    this.measuring = false
    this.stopped = true
    this.collectGc(false)
    this.timers.forEach(clearTimeout)
    this.timers = []
    this.finalFigures = this.figures()
    this.phase = 'done'
    this.wake()
  }

  /** Adds the collections recorded so far; the profiler restarts unless the window is over. */
  private collectGc(restart: boolean): void {
    const profiler = this.gcProfiler
    if (!profiler) return
    const { statistics } = profiler.stop()
    this.gc.count += statistics.length
    for (const s of statistics) this.gc.totalMs += s.cost / 1000
    this.gcProfiler = undefined
    if (restart) {
      this.gcProfiler = new v8.GCProfiler()
      this.gcProfiler.start()
    }
  }

  private sampleMemory(): void {
    const rss = process.memoryUsage.rss()
    const heap = v8.getHeapStatistics().used_heap_size
    if (rss > this.peakRss) this.peakRss = rss
    if (heap > this.peakHeap) this.peakHeap = heap
  }

  private addPoint(): void {
    const tMs = performance.now() - this.windowStart
    const queued = this.target?.queued?.()
    this.series.push({
      tMs: Math.round(tMs),
      completed: this.completed,
      rssBytes: process.memoryUsage.rss(),
      heapBytes: v8.getHeapStatistics().used_heap_size,
      ...(typeof queued === 'number' && Number.isFinite(queued) ? { queued } : {}),
    })
  }

  /** The window's figures so far (final once the phase is done). */
  figures(): LoadFigures {
    if (this.finalFigures) return this.finalFigures
    if (this.measuring) this.collectGc(true)
    const windowMs = (this.measuring ? performance.now() : this.windowEnd) - this.windowStart
    const seconds = Math.max(windowMs, 1e-3) / 1000
    const loop = this.loopDelay
    const sampled = loop !== undefined && loop.count > 0
    // The timer's own 10 ms is not delay: report how late it ran.
    const late = (ns: number) => (sampled ? Math.max(0, ns - LOOP_DELAY_RESOLUTION_MS * 1e6) : 0)
    return {
      emitted: this.emitted,
      completed: this.completed,
      dropped: this.dropped,
      failed: this.failed,
      offeredPerSec: this.emitted / seconds,
      completedPerSec: this.completed / seconds,
      latency: latencyPercentiles(this.histogram),
      eventLoopDelay: { p50Ns: late(loop?.percentile(50) ?? 0), p99Ns: late(loop?.percentile(99) ?? 0), maxNs: late(loop?.max ?? 0), meanNs: late(loop?.mean ?? 0) },
      peakRssBytes: this.peakRss,
      peakHeapBytes: this.peakHeap,
      gc: { count: this.gc.count, totalMs: this.gc.totalMs },
      series: [...this.series],
      windowMs,
      inFlight: this.inFlight,
      startRssBytes: this.startRss,
    }
  }

  snapshot(): { phase: LoadPhase; figures?: LoadFigures; failure?: unknown } {
    const phase: LoadPhase = this.phase === 'starting' ? 'warm-up' : this.phase
    return {
      phase,
      ...(this.phase === 'window' || this.phase === 'done' ? { figures: this.figures() } : {}),
      ...(this.failure !== undefined ? { failure: this.failure } : {}),
    }
  }

  /** What the system kept (its counters()) plus the driver's own count of ops handed back twice. */
  counters(): Record<string, number> {
    const own = this.target?.counters?.() ?? {}
    return { ...own, ...(this.duplicates ? { duplicateSettles: this.duplicates } : {}) }
  }

  /** Stops offering load and closes the system. */
  async stop(): Promise<void> {
    this.stopped = true
    this.timers.forEach(clearTimeout)
    this.timers = []
    this.collectGc(false)
    await this.target?.close?.()
  }
}

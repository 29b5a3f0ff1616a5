/**
 * The measuring side of the micro provider, inside a variant's child process: calibration
 * (batch size, the empty-function floor), timed rounds through tinybench, the memory pass and
 * the traced pass. Nothing here prints.
 */
import v8 from 'node:v8'
import { Bench } from 'tinybench'
import { isPromiseLike as isThenable, startTracing, stopTracing, traceOp, type OpTrace } from '../trace/index.ts'
import { median } from '../stats/describe.ts'
import { summarizeBreakdown } from '../stats/breakdown.ts'
import type { Breakdown, MemoryStats } from '../result/schema.ts'
import type { Calibration, RoundReply } from './protocol.ts'

type Op = (state: unknown) => unknown

/** A timed sample should last at least this long so the timer's own cost (~50 ns) stays under 0.3 %. */
const TARGET_SAMPLE_NS = 20_000
const MAX_BATCH = 1_000_000
/** Heap growth a memory batch aims for: large enough to dwarf bookkeeping, small enough to fit between GCs. */
const TARGET_MEMORY_BYTES = 2_000_000

/** Where every result goes, so no variant's work can be optimised away as unused. */
let sink: unknown
export function lastValue(): unknown {
  return sink
}

const nowNs = (): number => Number(process.hrtime.bigint())

/**
 * Each loop is compiled on its own (new Function) so its call site sees one function only:
 * measuring the empty function must not make the variant's call site polymorphic.
 */
function compileLoop(async: boolean): (fn: Op, state: unknown, n: number) => unknown {
  const body = async
    ? 'return (async () => { let s; for (let i = 0; i < n; i++) s = await fn(state); return s })()'
    : 'let s; for (let i = 0; i < n; i++) s = fn(state); return s'
  // The source URL names the loop in CPU profiles (perfkit's harness, not the variant's code); it changes nothing else.
  return new Function('fn', 'state', 'n', `${body}\n//# sourceURL=perfkit-harness:loop.js`) as (fn: Op, state: unknown, n: number) => unknown
}

export class MicroMeasurer {
  private calibration?: Calibration
  private loop?: (fn: Op, state: unknown, n: number) => unknown
  /** GC seen during timed rounds, summed. */
  readonly gc = { count: 0, totalMs: 0 }

  constructor(
    private readonly fn: Op,
    private readonly state: unknown,
  ) {}

  async calibrate(): Promise<Calibration> {
    const first = this.fn(this.state)
    const async = isThenable(first)
    sink = async ? await first : first
    this.loop = compileLoop(async)
    // Warm up for ~50 ms (at least 3 calls) and take the cost of one call from it.
    let n = 0
    let chunk = 1
    const start = nowNs()
    while (true) {
      sink = await this.loop(this.fn, this.state, chunk)
      n += chunk
      const elapsed = nowNs() - start
      if ((elapsed > 50e6 && n >= 3) || n >= 50_000_000) break
      if (elapsed < 1e6) chunk = Math.min(chunk * 2, 1_000_000)
    }
    // The warm-up average includes unoptimised calls: time one more chunk, now that the JIT has
    // settled, for the cost that sizes the batches.
    const settled = Math.max(1, Math.min(chunk, Math.ceil(n / 4)))
    const settledStart = nowNs()
    sink = await this.loop(this.fn, this.state, settled)
    const estimateNs = Math.min((nowNs() - settledStart) / settled, (settledStart - start) / n)
    const batch = estimateNs >= TARGET_SAMPLE_NS ? 1 : Math.min(MAX_BATCH, Math.ceil(TARGET_SAMPLE_NS / Math.max(estimateNs, 0.05)))
    this.calibration = { batch, estimateNs, noopNs: measureNoop(), async }
    return this.calibration
  }

  async round(timeMs: number, warmup: boolean): Promise<Omit<RoundReply, 'type'>> {
    const calibration = this.calibration!
    const { batch, async } = calibration
    const { fn, state } = this
    const loop = this.loop!
    const bench = new Bench({
      time: timeMs,
      iterations: 1,
      warmup,
      warmupTime: Math.min(timeMs, 250),
      warmupIterations: 1,
      timestampProvider: 'hrtimeNow',
      retainSamples: true,
      throws: true,
    })
    const warnings = new Set<string>()
    bench.addEventListener('warning', (event) => {
      if (event.reason) warnings.add(event.reason)
    })
    const now = () => bench.now()
    if (batch === 1) {
      bench.add('variant', async ? async () => void (sink = await fn(state)) : () => void (sink = fn(state)), { async })
    } else if (async) {
      bench.add(
        'variant',
        async () => {
          const t0 = now()
          sink = await loop(fn, state, batch)
          const d = now() - t0
          return { overriddenDuration: d / batch, overriddenIterationCost: d }
        },
        { async: true },
      )
    } else {
      bench.add(
        'variant',
        () => {
          const t0 = now()
          sink = loop(fn, state, batch)
          const d = now() - t0
          return { overriddenDuration: d / batch, overriddenIterationCost: d }
        },
        { async: false },
      )
    }
    const profiler = new v8.GCProfiler()
    profiler.start()
    let gcStats
    try {
      await bench.run()
    } finally {
      gcStats = profiler.stop()
    }
    const task = bench.tasks[0]!
    const result = task.result
    if (result.state === 'errored') throw result.error
    if (result.state !== 'completed' || !result.latency.samples) throw new Error(`tinybench finished the round in state ${result.state}`)
    const gc = { count: gcStats.statistics.length, totalMs: gcStats.statistics.reduce((sum, s) => sum + s.cost, 0) / 1000 }
    if (!warmup) {
      this.gc.count += gc.count
      this.gc.totalMs += gc.totalMs
    }
    const samplesNs = Float64Array.from(result.latency.samples, (ms) => ms * 1e6)
    return { samplesNs, batch, gc, warnings: [...warnings] }
  }

  /**
   * Bytes allocated per op: heap growth between forced GCs over batches no GC interrupted
   * (checked with v8.GCProfiler); a batch a GC ran in is thrown away and the next one halved.
   */
  async memory(budgetMs: number): Promise<{ memory: MemoryStats | null; note?: string }> {
    const gc = (globalThis as { gc?: () => void }).gc
    if (!gc) return { memory: null, note: 'run without --expose-gc; bytes/op not measured' }
    const { estimateNs } = this.calibration!
    const loop = this.loop!
    const heap = () => process.memoryUsage().heapUsed
    const measure = async (n: number): Promise<{ bytes: number; clean: boolean }> => {
      gc()
      gc()
      const profiler = new v8.GCProfiler()
      profiler.start()
      const h0 = heap()
      sink = n > 0 ? await loop(this.fn, this.state, n) : undefined
      const h1 = heap()
      const stats = profiler.stop()
      return { bytes: h1 - h0, clean: stats.statistics.length === 0 }
    }
    // What reading the heap costs by itself, to subtract.
    const empty = await measure(0)
    const offset = empty.clean ? empty.bytes : 0
    const pilotOps = Math.max(1, Math.min(100, Math.floor(20e6 / estimateNs)))
    const pilot = await measure(pilotOps)
    const pilotPerOp = Math.max(8, (pilot.bytes - offset) / pilotOps)
    const byTime = Math.max(1, Math.floor((budgetMs * 1e6) / 8 / estimateNs))
    let n = Math.max(1, Math.min(byTime, Math.floor(TARGET_MEMORY_BYTES / pilotPerOp)))
    const batches: number[] = []
    let discarded = 0
    const deadline = Date.now() + budgetMs
    while (batches.length < 5 && Date.now() < deadline && discarded < 12) {
      const { bytes, clean } = await measure(n)
      if (!clean) {
        discarded++
        n = Math.max(1, Math.floor(n / 2))
        continue
      }
      batches.push(Math.max(0, (bytes - offset) / n))
    }
    if (batches.length === 0) return { memory: null, note: `a GC ran inside every memory batch (${discarded} tried); bytes/op not measured` }
    return { memory: { bytesPerOp: median(batches), batches, opsPerBatch: n, discarded } }
  }

  /**
   * Runs the variant's loop, in the batches calibration sized, until `durationMs` have passed; returns
   * how many operations ran. What profilers watch (`profile` request, `perfkit profile`'s runner).
   */
  async runFor(durationMs: number, yieldEveryMs?: number): Promise<{ ops: number; durationMs: number }> {
    const { batch } = this.calibration!
    const loop = this.loop!
    const { fn, state } = this
    const start = nowNs()
    const deadline = start + durationMs * 1e6
    // A sampler that runs on timers (Clinic doctor) sees nothing of a loop that never lets timers run.
    const yieldNs = yieldEveryMs === undefined ? Infinity : yieldEveryMs * 1e6
    let lastYield = start
    let ops = 0
    let now = start
    do {
      sink = await loop(fn, state, batch)
      ops += batch
      now = nowNs()
      if (now - lastYield >= yieldNs) {
        await new Promise((resolve) => setImmediate(resolve))
        lastYield = now = nowNs()
      }
    } while (now < deadline)
    return { ops, durationMs: (nowNs() - start) / 1e6 }
  }

  /** A pass with the span API switched on; returns the per-phase breakdown, or null when the code has no spans. */
  async trace(budgetMs: number, maxOps: number): Promise<Breakdown | null> {
    const start = nowNs()
    // A short probe first: code without spans (most micro variants) ends the pass there instead of
    // spending the whole budget tracing nothing.
    const probe = await this.traced(Math.min(maxOps, PROBE_OPS), start + PROBE_MS * 1e6)
    if (!probe.some((op) => Object.keys(op.phases).length > 0)) return null
    const rest = await this.traced(maxOps - probe.length, start + budgetMs * 1e6, probe.length)
    return summarizeBreakdown([...probe, ...rest])
  }

  /** Traces up to `maxOps` operations (at least 3 in all, counting `done` already traced) until the deadline. */
  private async traced(maxOps: number, deadline: number, done = 0): Promise<OpTrace[]> {
    const { fn, state } = this
    const { async } = this.calibration!
    let ops: OpTrace[] = []
    // One operation at a time: the tracer can follow nesting with a stack instead of async hooks.
    startTracing({ sequential: true })
    try {
      for (let i = 0; i < maxOps && (done + i < 3 || nowNs() < deadline); i++) {
        const value = traceOp(() => fn(state))
        sink = async ? await value : value
      }
    } finally {
      ops = stopTracing()
    }
    return ops
  }
}

/** The traced pass's probe for spans: this many ops, or this long, whichever comes first. */
const PROBE_OPS = 50
const PROBE_MS = 20

/** Cost of calling an empty function in a batched loop of its own, ns per call. */
function measureNoop(): number {
  const loop = compileLoop(false)
  const empty: Op = () => undefined
  const n = 100_000
  loop(empty, undefined, n)
  const costs: number[] = []
  for (let i = 0; i < 15; i++) {
    const t0 = nowNs()
    loop(empty, undefined, n)
    costs.push((nowNs() - t0) / n)
  }
  return median(costs)
}

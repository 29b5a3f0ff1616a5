/**
 * The micro provider's scheduler (parent side). Each variant lives in its own child process;
 * time is split into rounds; within a round the variants take turns in a randomised, balanced
 * order, one at a time so they never compete for a core; the round is the unit of comparison.
 * While a comparison is inconclusive and the time budget allows, more rounds are added.
 */
import { summarize, mean, median, sd } from '../stats/describe.ts'
import type {
  Flag,
  LatencyStats,
  MicroScenarioResult,
  RoundSummary,
  VariantResult,
  Breakdown,
  MemoryStats,
  ProcessStats,
} from '../result/schema.ts'
import { caseVariant, type ScenarioCase } from './cases.ts'
import type { Calibration } from './protocol.ts'
import { twoSpeeds } from '../stats/speeds.ts'
import { alive, HIGH_CV, judgeCase, judgedSettings, mergeProcessStats, NO_PROCESS, planRounds, processesOf, resultIdentity, twoSpeedsFlag, variantAddress, VariantChildren, withSides, type Child, type RoundLimits } from './scheduler.ts'
import { measuringCpu, STEADY_HEAP_ARGS, VariantProcess, type ChildFailure } from './variant-process.ts'
import type { EngineEvent, EngineSettings } from './types.ts'

/**
 * Six processes per variant, four rounds each, by default: a process has state its rounds cannot
 * sample (measured here: the same function at 3.6 µs in most processes and 4.5 µs for the whole life
 * of another), so the interval is built on per-process summaries, and six is the fewest whose 99 %
 * t-interval (t₅ = 4.03) can resolve ±5 % on this machine's ~3 % process-to-process spread.
 */
const ROUNDS: RoundLimits = {
  lives: { normal: 6, quick: 3 },
  roundsPerLife: { normal: 4, quick: 2 },
  maxLives: { normal: 12, quick: 3 },
  ms: { min: 10, max: 1000 },
}

interface VariantRun {
  name: string
  isBaseline: boolean
  process: VariantProcess | Child
  calibration?: Calibration
  rounds: RoundSummary[]
  samples: Float64Array[]
  warnings: Set<string>
  memory?: MemoryStats | null
  memoryNote?: string
  breakdown?: Breakdown | null
  counters?: Record<string, number> | null
  processStats?: ProcessStats
  failure?: ChildFailure
}

export async function runMicroCase(
  c: ScenarioCase,
  settings: EngineSettings,
  signal: AbortSignal,
  emit: (event: EngineEvent) => void,
): Promise<MicroScenarioResult> {
  const scenario = c.loaded.scenario
  const started = Date.now()
  const timeMs = c.loaded.options.timeMs && !settings.timeFromFlag ? c.loaded.options.timeMs : settings.timeMs
  const timeoutMs = c.loaded.options.timeoutMs ?? settings.timeoutMs
  const minEffect = c.loaded.options.minEffect ?? settings.minEffect
  const fixedRounds = settings.rounds ?? c.loaded.options.rounds
  const runs: VariantRun[] = c.variants.map((name) => ({
    name,
    isBaseline: name === caseVariant(c, scenario.baseline),
    process: NO_PROCESS,
    rounds: [],
    samples: [],
    warnings: new Set(),
  }))
  const plan = planRounds(c, settings, {
    timeMs,
    fixedRounds,
    processes: settings.processes ?? c.loaded.options.processes,
    variants: Math.max(1, runs.length),
    names: runs.map((r) => r.name),
    limits: ROUNDS,
  })
  const roundMs = plan.roundMs
  const roundDeadline = (run: VariantRun) => roundMs * 3 + timeoutMs + (run.calibration?.estimateNs ?? 0) / 1e6
  const children = new VariantChildren(runs, c, timeoutMs, signal, emit)
  const child = (run: VariantRun) => run.process as VariantProcess
  const cpu = measuringCpu()
  let looks = 1
  let alpha = settings.alpha

  try {
    ;({ looks, alpha } = await children.runLives(
      plan,
      {
        open: async (life) => {
          const live = runs.filter(alive)
          emit({ type: 'phase', scenario: c.id, phase: plan.lives > 1 ? `starting processes (${life + 1} of ${plan.lives})` : 'starting' })
          for (const run of live) {
            run.process = new VariantProcess({ label: `${c.id}/${run.name}#${life + 1}`, maxMemoryMB: c.loaded.options.maxMemoryMB, env: settings.childEnv, execArgv: STEADY_HEAP_ARGS })
          }
          await children.timed('start', () =>
            Promise.all(
              live.map((run) =>
                children.ask(run, () =>
                  child(run).request({ type: 'load', ...variantAddress(c, run.name) }, 'loaded', loadDeadline(timeoutMs), 'load'),
                ),
              ),
            ),
          )
          // Set-up one variant at a time: scenarios may share a dataset that the first set-up creates.
          for (const run of live) {
            if (life === 0) emit({ type: 'phase', scenario: c.id, variant: run.name, phase: 'setup' })
            await children.timed('setup', () => children.ask(run, () => child(run).request({ type: 'setup', params: c.params }, 'setup-done', timeoutMs, 'setup')))
          }
          // Loaded and set up with every core (PGlite compiles its WebAssembly on several threads);
          // warmed up and measured on one CPU from here on (measuringCpu says why).
          if (cpu !== undefined) for (const run of live) if (run.process.running) (run.process as VariantProcess).pin(cpu)
          for (const run of live) {
            if (life === 0) emit({ type: 'phase', scenario: c.id, variant: run.name, phase: 'warm-up' })
            await children.timed('warmup', async () => {
              const reply = await children.ask(run, () => child(run).request({ type: 'calibrate' }, 'calibrated', timeoutMs, 'calibration'))
              if (reply) run.calibration = reply
              const warmups: number[] = []
              while (!signal.aborted) {
                const reply = await children.ask(run, () => child(run).request({ type: 'round', index: -1, timeMs: roundMs, warmup: true }, 'round', roundDeadline(run), 'warm-up'))
                if (!reply || reply.samplesNs.length === 0) break
                warmups.push(median(Array.from(reply.samplesNs)))
                if (warmedUp(warmups)) break
              }
            })
          }
        },
        turn: async (run, round, position, life) => {
          const reply = await children.ask(run, () =>
            child(run).request({ type: 'round', index: round, timeMs: roundMs, warmup: false }, 'round', roundDeadline(run), `round ${round + 1}`),
          )
          if (!reply) return
          run.samples.push(reply.samplesNs)
          reply.warnings.forEach((w) => run.warnings.add(w))
          run.rounds.push({ ...summarizeRound(round, position, reply.samplesNs, reply.batch), process: life })
        },
        close: async (life, last) => {
          const passMs = settings.quick ? 300 : 1000
          for (const run of runs.filter(alive)) {
            if (last && !signal.aborted) {
              await children.timed('passes', async () => {
                emit({ type: 'phase', scenario: c.id, variant: run.name, phase: 'memory' })
                const memory = await children.ask(run, () => child(run).request({ type: 'memory', budgetMs: passMs }, 'memory', passMs * 4 + timeoutMs, 'memory pass'))
                if (memory) {
                  run.memory = memory.memory
                  run.memoryNote = memory.note
                }
                emit({ type: 'phase', scenario: c.id, variant: run.name, phase: 'trace' })
                const trace = await children.ask(run, () =>
                  child(run).request({ type: 'trace', budgetMs: passMs, maxOps: settings.quick ? 300 : 2000 }, 'trace', passMs * 4 + timeoutMs, 'traced pass'),
                )
                if (trace) run.breakdown = trace.breakdown
                const counters = await children.ask(run, () => child(run).request({ type: 'counters' }, 'counters', timeoutMs, 'counters'))
                if (counters) run.counters = counters.counters
              })
            }
            if (signal.aborted) continue
            const stats = await children.end(run, () => child(run).request({ type: 'finish' }, 'finished', timeoutMs, 'teardown'))
            if (stats) run.processStats = mergeProcessStats(run.processStats, stats)
          }
        },
      },
      (lookAlpha) => {
        const judged = judgeCase(c, runs, 'micro', settings, minEffect, lookAlpha)
        return [...judged.comparisons, ...judged.against]
      },
    ))
  } finally {
    await children.close()
  }

  const variants = runs.map((run) => toVariantResult(run, signal.aborted))
  const { comparisons, against } = judgeCase(c, runs, 'micro', settings, minEffect, alpha)
  const warnings = scenarioWarnings(variants)
  const everyVariantFailed = variants.every((v) => v.state === 'errored' || v.state === 'timeout')
  return withSides(c, {
    kind: 'micro',
    ...resultIdentity(c),
    state: signal.aborted ? 'interrupted' : everyVariantFailed ? 'errored' : 'completed',
    ...(everyVariantFailed && !signal.aborted ? { error: { message: 'every variant failed; see each variant for why' } } : {}),
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    timing: children.timing,
    warnings,
    budgets: [],
    claims: [],
    settings: { roundMs, ...judgedSettings(settings, minEffect, alpha, looks, runs) },
    variants,
    comparisons,
  }, against)
}

/** Warm-up rounds a process takes at most before its timed rounds. */
const MAX_WARMUP_ROUNDS = 12

/**
 * Whether a process's warm-up rounds (their medians, in order) have settled: the last two within 5 %
 * of each other and the last no more than 3 % faster than the best before it — code still being
 * optimised (PGlite's WebAssembly took a dozen rounds here) keeps getting faster. A process warms
 * up for at most MAX_WARMUP_ROUNDS rounds.
 */
export function warmedUp(medians: readonly number[]): boolean {
  if (medians.length >= MAX_WARMUP_ROUNDS) return true
  if (medians.length < 2) return false
  const last = medians[medians.length - 1]!
  const previous = medians[medians.length - 2]!
  const best = Math.min(...medians.slice(0, -1))
  return Math.abs(Math.log(last / previous)) <= Math.log(1.05) && last >= best * 0.97
}

/**
 * Starting a child and loading the scenario file (Node, tsx, the file's imports) is perfkit's own
 * start-up, not the scenario's work, and takes seconds on a loaded machine: it is not held to the
 * scenario's `timeout`, which covers setup, rounds and teardown.
 */
export function loadDeadline(timeoutMs: number): number {
  return Math.max(timeoutMs, 30_000)
}

export function summarizeRound(index: number, position: number, samplesNs: Float64Array, batch: number): RoundSummary {
  const s = summarize(Array.from(samplesNs))
  return { index, position, samples: s.n, ops: s.n * batch, medianNs: s.median, meanNs: s.mean, minNs: s.min, maxNs: s.max, p99Ns: s.p99 }
}

function latencyStats(run: VariantRun): LatencyStats | undefined {
  if (run.samples.length === 0) return undefined
  const all: number[] = []
  for (const chunk of run.samples) for (const v of chunk) all.push(v)
  const s = summarize(all)
  const medians = run.rounds.map((r) => r.medianNs)
  const cv = medians.length > 1 ? sd(medians) / mean(medians) : 0
  return {
    medianNs: s.median,
    meanNs: s.mean,
    p75Ns: s.p75,
    p99Ns: s.p99,
    p999Ns: s.p999,
    minNs: s.min,
    maxNs: s.max,
    sdNs: s.sd,
    cv,
    // 1 / the median, so the table's ops/s and time/op are one statistic.
    opsPerSec: s.median > 0 ? 1e9 / s.median : 0,
    samples: s.n,
    rounds: run.rounds.length,
    batch: run.calibration?.batch ?? 1,
  }
}

function variantFlags(run: VariantRun, stats: LatencyStats | undefined): Flag[] {
  const flags: Flag[] = []
  const cal = run.calibration
  if (stats && cal) {
    const floor = cal.noopNs * 1.5 + 0.25
    if (stats.medianNs <= floor) {
      flags.push({
        code: 'dead-code-elimination',
        message: `${fmt(stats.medianNs)} per op is indistinguishable from an empty function (${fmt(cal.noopNs)}): the work may have been optimised away or is below the timer's resolution — return the result from the variant`,
      })
    }
  }
  if (run.warnings.size > 0) {
    flags.push({ code: 'timer-saturation', message: `the timer saturated (${[...run.warnings].join(', ')}): samples are too short to resolve` })
  }
  if (stats && stats.cv > HIGH_CV) {
    flags.push({ code: 'high-variance', message: `round medians vary by ${(stats.cv * 100).toFixed(0)}% (CV): the machine or the variant is noisy` })
  }
  const speeds = twoSpeeds(run.rounds.map((r) => r.medianNs))
  if (speeds) flags.push(twoSpeedsFlag(speeds, fmt, processesOf(run.rounds)))
  if (run.memoryNote) flags.push({ code: 'gc-in-memory-pass', message: run.memoryNote })
  return flags
}

function fmt(ns: number): string {
  return ns < 1000 ? `${ns.toFixed(2)} ns` : `${(ns / 1000).toFixed(2)} µs`
}

function toVariantResult(run: VariantRun, interrupted: boolean): VariantResult {
  const stats = latencyStats(run)
  const base = {
    name: run.name,
    isBaseline: run.isBaseline,
    rounds: run.rounds,
    flags: variantFlags(run, stats),
    ...(run.processStats ? { process: run.processStats } : {}),
    ...(run.counters ? { counters: run.counters } : {}),
  }
  const failure = run.failure
  if (failure?.kind === 'timeout') return { ...base, state: 'timeout', timeoutMs: failure.timeoutMs ?? 0, phase: failure.phase }
  if (failure && failure.kind !== 'interrupted') {
    return { ...base, state: 'errored', phase: failure.phase, error: { message: failure.message, ...(failure.childStack ? { stack: failure.childStack } : {}) } }
  }
  if (interrupted || failure || !stats) return { ...base, state: 'interrupted' }
  return {
    ...base,
    state: 'completed',
    stats,
    ...(run.memory ? { memory: run.memory } : {}),
    ...(run.breakdown ? { breakdown: run.breakdown } : {}),
  }
}

function scenarioWarnings(variants: VariantResult[]): string[] {
  const warnings: string[] = []
  for (const v of variants) {
    for (const flag of v.flags) {
      if (flag.code === 'high-variance' || flag.code === 'two-speeds' || flag.code === 'dead-code-elimination' || flag.code === 'timer-saturation') warnings.push(`${v.name}: ${flag.message}`)
    }
  }
  return warnings
}


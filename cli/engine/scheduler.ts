/**
 * What the parent-side schedulers share. The micro and http schedulers (micro.ts, http.ts) both
 * keep one child process per variant, split time into rounds whose variants take turns in a
 * seeded, balanced order, and add rounds while a verdict is inconclusive; how one turn is measured
 * is each kind's own. Every scheduler, load's too, starts its result the same way.
 */
import type { Comparison } from '../result/schema.ts'
import { createRng, hashSeed, roundOrders } from '../stats/rng.ts'
import type { ScenarioCase } from './cases.ts'
import type { EngineEvent, EngineSettings } from './types.ts'
import { ChildFailure, type VariantProcess } from './variant-process.ts'

/** Auto-sampling adds rounds in pairs, so the balanced order stays balanced. */
const ROUND_CHUNK = 2
/** Share of the time budget the initial rounds are planned to use; the rest is for auto-sampling. */
const INITIAL_SHARE = 0.5
/** A failed variant gets this long, at most, to release what it holds before its process goes. */
const RELEASE_MS = 10_000
/** A round-to-round spread above this is reported as noisy. */
export const HIGH_CV = 0.1

export function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value))
}

/** What a scheduler keeps about each variant's child process. */
export interface VariantRun {
  name: string
  process: VariantProcess
  /** Set when the variant failed: it takes no further turns. */
  failure?: ChildFailure
}

export const alive = (run: VariantRun) => run.failure === undefined

/**
 * The children of one scenario case. A failure ends its variant (recorded, its rounds so far
 * kept), never the scenario; Ctrl-C interrupts them all.
 */
export class VariantChildren<R extends VariantRun> {
  private readonly onAbort = () => this.runs.forEach((r) => r.process.interrupt())

  constructor(
    readonly runs: R[],
    private readonly c: ScenarioCase,
    private readonly timeoutMs: number,
    private readonly signal: AbortSignal,
    private readonly emit: (event: EngineEvent) => void,
  ) {
    signal.addEventListener('abort', this.onAbort, { once: true })
  }

  /** Runs one step with a variant's child; a failure is recorded on the variant and answers undefined, as does a variant that failed before. */
  async ask<T>(run: R, step: () => Promise<T>): Promise<T | undefined> {
    if (!alive(run)) return undefined
    try {
      return await step()
    } catch (error) {
      run.failure = error instanceof ChildFailure ? error : new ChildFailure('errored', 'engine', (error as Error)?.message ?? String(error))
      if (run.failure.kind === 'errored' && run.process.running) {
        // Let the scenario release what it holds (connections, files) before the process goes.
        await run.process.request({ type: 'finish' }, 'finished', Math.min(this.timeoutMs, RELEASE_MS), 'teardown').catch(() => undefined)
      }
      run.process.kill()
      this.emit({ type: 'variant-failed', scenario: this.c.id, variant: run.name, state: run.failure.kind, message: run.failure.message })
      return undefined
    }
  }

  /**
   * Runs the timed rounds: the initial ones, then (unless the rounds are fixed) more in pairs while
   * some comparison is `inconclusive` and the time budget allows. `turn` measures one variant's turn.
   */
  async runRounds(
    plan: RoundPlan,
    turn: (run: R, round: number, position: number) => Promise<void>,
    comparisons: () => readonly Comparison[],
  ): Promise<void> {
    const timedStart = Date.now()
    let round = 0
    const runRound = async () => {
      const order = plan.orders[round]!
      for (let position = 0; position < order.length; position++) {
        const run = this.runs.find((r) => r.name === order[position])!
        if (!alive(run) || this.signal.aborted) continue
        this.emit({ type: 'round', scenario: this.c.id, variant: run.name, round: round + 1, rounds: Math.max(plan.initialRounds, round + 1) })
        await turn(run, round, position)
      }
      round++
    }
    while (round < plan.initialRounds && !this.signal.aborted) await runRound()
    if (plan.fixedRounds) return
    const roundCost = () => (Date.now() - timedStart) / Math.max(1, round)
    while (
      !this.signal.aborted &&
      round + ROUND_CHUNK <= plan.maxRounds &&
      Date.now() - timedStart + roundCost() * ROUND_CHUNK <= plan.timeMs &&
      comparisons().some((cmp) => cmp.verdict === 'inconclusive')
    ) {
      for (let i = 0; i < ROUND_CHUNK; i++) await runRound()
    }
  }

  /** Stops what is left (every child when interrupted, failed ones otherwise) and waits until every process is gone. */
  async close(): Promise<void> {
    this.signal.removeEventListener('abort', this.onAbort)
    if (this.signal.aborted) this.runs.forEach((r) => r.process.interrupt())
    else this.runs.forEach((r) => !alive(r) && r.process.kill())
    await Promise.all(this.runs.map((r) => r.process.closed()))
  }
}

/** A kind's bounds on rounds. */
export interface RoundLimits {
  /** Rounds measured before the first look at the verdicts. */
  initial: { normal: number; quick: number }
  /** Auto-sampling stops here. */
  max: number
  /** Bounds of one turn's length, ms. */
  ms: { min: number; max: number }
}

export interface RoundPlan {
  /** The case's time budget, ms. */
  timeMs: number
  initialRounds: number
  maxRounds: number
  /** The length of one variant's turn in a round, ms. */
  roundMs: number
  /** `--rounds` or the scenario's `rounds`: exactly that many, no auto-sampling. */
  fixedRounds?: number
  /** Each round's order of turns, by variant name. */
  orders: string[][]
}

/**
 * Plans the rounds of a case: how many, how long each turn is (`variants` share the time budget)
 * and each round's order, seeded by the case so a rerun takes the same turns.
 */
export function planRounds(
  c: ScenarioCase,
  settings: EngineSettings,
  plan: { timeMs: number; fixedRounds?: number; variants: number; names: string[]; limits: RoundLimits; minRoundMs?: number },
): RoundPlan {
  const { timeMs, fixedRounds, limits } = plan
  const initialRounds = fixedRounds ?? (settings.quick ? limits.initial.quick : limits.initial.normal)
  const minRoundMs = plan.minRoundMs ?? limits.ms.min
  const roundMs = fixedRounds
    ? clamp(timeMs / (plan.variants * fixedRounds), minRoundMs, limits.ms.max)
    : clamp((timeMs * INITIAL_SHARE) / (plan.variants * initialRounds), minRoundMs, limits.ms.max)
  const maxRounds = fixedRounds ?? limits.max
  const orders = roundOrders(plan.names, maxRounds, createRng(hashSeed(settings.seed, c.id)))
  return { timeMs, initialRounds, maxRounds, roundMs, ...(fixedRounds ? { fixedRounds } : {}), orders }
}

/** The fields every scenario result starts with: which scenario, from which file, with which parameters. */
export function resultIdentity(c: ScenarioCase) {
  const scenario = c.loaded.scenario
  return {
    id: c.id,
    name: scenario.name,
    title: scenario.title ?? scenario.name,
    ...(scenario.source ? { source: scenario.source } : {}),
    ...(scenario.description ? { description: scenario.description } : {}),
    file: c.loaded.relFile,
    baseline: scenario.baseline,
    params: c.params,
  }
}

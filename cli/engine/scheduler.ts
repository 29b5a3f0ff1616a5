/**
 * What the parent-side schedulers share. The micro and http schedulers (micro.ts, http.ts) both
 * spread each variant's rounds over several fresh processes ("lives": in each, every variant gets a
 * process of its own), split time into rounds whose variants take turns in a seeded, balanced
 * order, and add a life while a verdict is inconclusive, each look at its share of α; how one turn
 * is measured is each kind's own. Every scheduler, load's too, starts its result the same way.
 */
import type { AgainstVariant, CaseTiming, Comparison, Flag, HttpScenarioResult, MicroScenarioResult, ProcessStats } from '../result/schema.ts'
import { roundProcesses, roundTimes, type WithRounds } from '../gate/rounds.ts'
import { compareClustered } from '../stats/compare.ts'
import { median } from '../stats/describe.ts'
import type { Speed } from '../stats/speeds.ts'
import { alphaAtLook, MIN_PROCESSES } from '../stats/compare.ts'
import { createRng, hashSeed, roundOrders } from '../stats/rng.ts'
import { caseVariant, headVariants, type ScenarioCase } from './cases.ts'
import type { EngineEvent, EngineSettings } from './types.ts'
import { ChildFailure } from './variant-process.ts'

/** Share of the time budget the initial rounds are planned to use; the rest is for auto-sampling. */
const INITIAL_SHARE = 0.5
/** Auto-sampling adds no life once a case has taken this many time budgets in all. */
const AUTO_SAMPLING_CAP = 3
/** The first stage's lives may cost this many time budgets besides their rounds. */
const FIXED_SHARE = 2
/** A failed variant gets this long, at most, to release what it holds before its process goes. */
const RELEASE_MS = 10_000
/** A round-to-round spread above this is reported as noisy. */
export const HIGH_CV = 0.1

export function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value))
}

/**
 * What the scheduler needs of a variant's child process. VariantProcess is one; a unit test drives
 * the scheduler with a fake one (as hyperfine's MockExecutor does), without processes.
 */
export interface Child {
  readonly running: boolean
  /** Lets the variant release what it holds (its teardown) before the process goes. */
  release(timeoutMs: number): Promise<unknown>
  kill(): void
  /** Marks the child interrupted and kills it. */
  interrupt(): void
  closed(): Promise<void>
}

/** The process a variant has before its first life and after its last: none. */
export const NO_PROCESS: Child = {
  running: false,
  release: async () => undefined,
  kill: () => undefined,
  interrupt: () => undefined,
  closed: async () => undefined,
}

/** A variant's process figures over its lives: the peak of the peaks, the last heap, the GC summed. */
export function mergeProcessStats(before: ProcessStats | undefined, next: ProcessStats): ProcessStats {
  if (!before) return next
  return {
    peakRssBytes: Math.max(before.peakRssBytes, next.peakRssBytes),
    heapUsedBytes: next.heapUsedBytes,
    gc: { count: before.gc.count + next.gc.count, totalMs: before.gc.totalMs + next.gc.totalMs },
  }
}

/** The statistical settings every kind with rounds records: the minimum effect, α and the level its last look used, processes and looks. */
export function judgedSettings(settings: EngineSettings, minEffect: number, alpha: number, looks: number, runs: ReadonlyArray<{ rounds: ReadonlyArray<{ process?: number }> }>) {
  return {
    minEffect,
    alpha: settings.alpha,
    resamples: settings.resamples,
    level: 1 - alpha,
    processes: Math.max(0, ...runs.map((r) => processesOf(r.rounds))),
    looks,
  }
}

/** How many processes a variant's rounds came from. */
export function processesOf(rounds: ReadonlyArray<{ process?: number }>): number {
  return new Set(rounds.map((r) => r.process ?? 0)).size
}

/**
 * The flag for a variant whose rounds ran at two speeds (stats/speeds.ts): "two speeds seen:
 * 322 ns in 14 rounds, 600 ns in 6" — a state of the machine or of a process, not spread.
 */
export function twoSpeedsFlag(speeds: { fast: Speed; slow: Speed }, format: (value: number) => string, processes: number): Flag {
  const where = processes > 1 ? `; each process pair is one unit of the comparison, so such states widen the interval rather than decide it` : ''
  return {
    code: 'two-speeds',
    message: `two speeds seen: ${format(speeds.fast.value)} in ${speeds.fast.rounds} rounds, ${format(speeds.slow.value)} in ${speeds.slow.rounds}${where}`,
  }
}

/** What a scheduler keeps about each variant: its current process (a new one per life) and how it failed. */
export interface VariantRun {
  name: string
  process: Child
  /** Set when the variant failed: it takes no further turns and gets no further process. */
  failure?: ChildFailure
}

export const alive = (run: VariantRun) => run.failure === undefined

/**
 * One life of a case: every variant gets a fresh process, is brought to its first timed round, takes
 * its turns of the life's rounds, and is ended. The kind says how.
 */
export interface LifeHooks<R extends VariantRun> {
  /** Spawns life `life`'s process of every live variant (into `run.process`) and brings it to its first timed round: load, setup, calibration, warm-up. */
  open(life: number): Promise<void>
  /** Measures one variant's turn in a round. */
  turn(run: R, round: number, position: number, life: number): Promise<void>
  /** Ends life `life`'s processes; `last` when no life follows, so the passes after the timed rounds (memory, traced) belong here. */
  close(life: number, last: boolean): Promise<void>
}

/**
 * The children of one scenario case, life after life. A failure ends its variant (recorded, its
 * rounds so far kept), never the scenario; Ctrl-C interrupts them all.
 */
export class VariantChildren<R extends VariantRun> {
  private readonly onAbort = () => this.runs.forEach((r) => r.process.interrupt())
  readonly timing: CaseTiming = { start: 0, setup: 0, warmup: 0, rounds: 0, passes: 0, teardown: 0 }

  constructor(
    readonly runs: R[],
    private readonly c: ScenarioCase,
    private readonly timeoutMs: number,
    private readonly signal: AbortSignal,
    private readonly emit: (event: EngineEvent) => void,
    /** The clock the time budget is kept by (a test passes its own). */
    private readonly now: () => number = Date.now,
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
        await run.process.release(Math.min(this.timeoutMs, RELEASE_MS)).catch(() => undefined)
      }
      run.process.kill()
      this.emit({ type: 'variant-failed', scenario: this.c.id, variant: run.name, state: run.failure.kind, message: run.failure.message })
      return undefined
    }
  }

  /** Ends a variant's process of a life: its teardown (the protocol's `finish`), then waits until it is gone; answers its process figures. */
  end(run: R, finish: () => Promise<{ process: ProcessStats }>): Promise<ProcessStats | undefined> {
    return this.timed('teardown', async () => {
      const finished = await this.ask(run, finish)
      await run.process.closed()
      return finished?.process
    })
  }

  /** Times a step of the case under one heading of its timing. */
  async timed<T>(phase: keyof CaseTiming, step: () => Promise<T>): Promise<T> {
    const start = this.now()
    try {
      return await step()
    } finally {
      this.timing[phase] += this.now() - start
    }
  }

  /**
   * Runs the case's lives: the first stage, then (unless the rounds are fixed) a second stage while
   * some comparison is `inconclusive` and the budget allows. Each look is a test of its own:
   * `comparisons(alpha)` judges at that look's share of α (alphaAtLook). Answers the looks taken and
   * the α of the last, for the final comparisons.
   */
  async runLives(plan: RoundPlan, hooks: LifeHooks<R>, comparisons: (alpha: number) => ReadonlyArray<{ variant: string; verdict?: Comparison['verdict'] }>): Promise<{ looks: number; alpha: number }> {
    let round = 0
    let roundsMs = 0
    let lives = plan.lives
    // One look, or two (the second after a second stage of lives): fixed once the first life shows
    // what a life costs, before any verdict is looked at.
    let looks = plan.fixedRounds ? 1 : plan.looks
    let look = 0
    let secondStage = false
    const started = this.now()
    for (let life = 0; life < plan.maxLives && !this.signal.aborted; life++) {
      const opened = this.now()
      await hooks.open(life)
      const lifeStart = this.now()
      for (let r = 0; r < plan.roundsPerLife && round < (plan.fixedRounds ?? Infinity) && !this.signal.aborted && this.runs.some(alive); r++, round++) {
        const order = plan.orders[round]!
        for (let position = 0; position < order.length; position++) {
          const run = this.runs.find((x) => x.name === order[position])!
          if (!alive(run) || this.signal.aborted) continue
          this.emit({ type: 'round', scenario: this.c.id, variant: run.name, round: round + 1, rounds: Math.max(lives, life + 1) * plan.roundsPerLife })
          await this.timed('rounds', () => hooks.turn(run, round, position, life))
        }
      }
      const lifeRoundsMs = this.now() - lifeStart
      roundsMs += lifeRoundsMs
      if (life === 0 && plan.adaptiveLives) {
        // What one life costs besides its timed rounds (processes, setup, warm-up, teardown; the
        // teardown estimated by the start) decides how many lives the case can afford: their fixed
        // cost may take up to FIXED_SHARE budgets, and no fewer than MIN_PROCESSES are run.
        const fixedMs = (this.now() - opened - lifeRoundsMs) * 1.1
        lives = clamp(Math.floor((FIXED_SHARE * plan.timeMs) / Math.max(1, fixedMs)), Math.min(MIN_PROCESSES, plan.lives), plan.lives)
        // A case that cannot afford one life more than its first stage looks once, with all of α.
        if ((lives + 1) * (this.now() - opened) > AUTO_SAMPLING_CAP * plan.timeMs) looks = 1
      }
      const going = !this.signal.aborted && this.runs.some(alive)
      let more = going && life + 1 < lives
      if (!more && going && looks > 1 && life + 1 < plan.maxLives) {
        // A second stage while undecided: more lives, as many as the budget of timed rounds and
        // AUTO_SAMPLING_CAP budgets for the whole case allow, then one more look.
        if (!secondStage) {
          secondStage = comparisons(alphaAtLook(plan.alpha, looks)).some((cmp) => cmp.verdict === 'inconclusive')
          if (secondStage) look++
        }
        const perLifeRounds = roundsMs / (life + 1)
        const spent = this.now() - started
        more = secondStage && roundsMs + perLifeRounds <= plan.timeMs && spent + spent / (life + 1) <= AUTO_SAMPLING_CAP * plan.timeMs
      }
      await hooks.close(life, !more || this.signal.aborted)
      if (!more) break
    }
    return { looks: look + 1, alpha: alphaAtLook(plan.alpha, looks) }
  }

  /** Stops what is left (every child when interrupted, failed ones otherwise) and waits until every process is gone. */
  async close(): Promise<void> {
    this.signal.removeEventListener('abort', this.onAbort)
    if (this.signal.aborted) this.runs.forEach((r) => r.process.interrupt())
    else this.runs.forEach((r) => !alive(r) && r.process.kill())
    await Promise.all(this.runs.map((r) => r.process.closed()))
  }
}

/** A kind's bounds on lives and rounds. */
export interface RoundLimits {
  /** Processes per variant before the first look at the verdicts. */
  lives: { normal: number; quick: number }
  /** Rounds each process measures. */
  roundsPerLife: { normal: number; quick: number }
  /** Auto-sampling adds processes up to this many per variant. */
  maxLives: { normal: number; quick: number }
  /** Bounds of one turn's length, ms. */
  ms: { min: number; max: number }
}

export interface RoundPlan {
  /** The case's time budget for timed rounds, ms. */
  timeMs: number
  /** The false-alarm rate α the looks share. */
  alpha: number
  /** Processes per variant before the first look. */
  lives: number
  maxLives: number
  roundsPerLife: number
  /** Looks at the verdicts (1, or 2 with a second stage of lives): α is split evenly between them. */
  looks: number
  /**
   * `lives` is the most the case starts with: after the first life its fixed cost decides how many it
   * can afford (at least MIN_PROCESSES). False when the user set `processes` or fixed the rounds.
   */
  adaptiveLives: boolean
  /** The length of one variant's turn in a round, ms. */
  roundMs: number
  /** `--rounds` or the scenario's `rounds`: exactly that many, no auto-sampling. */
  fixedRounds?: number
  /** Each round's order of turns, by variant name, over every life. */
  orders: string[][]
}

/**
 * Plans the lives and rounds of a case: how many processes per variant, how many rounds each, how
 * long a turn is (`variants` share the time budget) and each round's order, seeded by the case so a
 * rerun takes the same turns. Rounds alternate ABBA within a life (an even number per life keeps
 * each life balanced).
 */
export function planRounds(
  c: ScenarioCase,
  settings: EngineSettings,
  plan: { timeMs: number; fixedRounds?: number; processes?: number; variants: number; names: string[]; limits: RoundLimits; minRoundMs?: number },
): RoundPlan {
  const { fixedRounds, limits } = plan
  // A paired case (--against) runs each variant twice, base and head: its budget grows with it, so
  // each variant's rounds are as long as in an ordinary run.
  const sides = c.against ? plan.names.length / Math.max(1, headVariants(c, plan.names.map((name) => ({ name }))).length) : 1
  const timeMs = plan.timeMs * sides
  const which = settings.quick ? 'quick' : 'normal'
  const chosen = plan.processes ?? settings.processes
  const asked = Math.max(1, chosen ?? limits.lives[which])
  const adaptiveLives = chosen === undefined && !fixedRounds
  // Fixed rounds are exactly that many in all: spread over the lives, none of which is left empty.
  const roundsPerLife = fixedRounds ? Math.max(1, Math.ceil(fixedRounds / asked)) : limits.roundsPerLife[which]
  const lives = fixedRounds ? Math.ceil(fixedRounds / roundsPerLife) : asked
  const maxLives = fixedRounds ? lives : Math.max(lives, limits.maxLives[which])
  const initialRounds = lives * roundsPerLife
  const minRoundMs = plan.minRoundMs ?? limits.ms.min
  const share = fixedRounds ? 1 : INITIAL_SHARE
  const roundMs = clamp((timeMs * share) / (plan.variants * initialRounds), minRoundMs, limits.ms.max)
  const orders = roundOrders(plan.names, maxLives * roundsPerLife, createRng(hashSeed(settings.seed, c.id)))
  return { timeMs, alpha: settings.alpha, lives, maxLives, roundsPerLife, looks: maxLives > lives ? 2 : 1, adaptiveLives, roundMs, ...(fixedRounds ? { fixedRounds } : {}), orders }
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

/** Where a case variant's child finds its scenario: the case's own module, or (paired cases) the tree the variant comes from. */
export function variantAddress(c: ScenarioCase, variant: string): { file: string; index: number; scenario: string; variant: string } {
  const source = c.against?.sources[variant]
  const loaded = source?.loaded ?? c.loaded
  return { file: loaded.file, index: loaded.index, scenario: loaded.scenario.name, variant: source?.variant ?? variant }
}

/**
 * Every comparison a case with rounds makes, at the look's `alpha`: each head variant against the
 * scenario's baseline variant (paired by round, each life's pair of processes one cluster), and,
 * in a paired case (--against), each variant's head against its base.
 */
export function judgeCase(
  c: ScenarioCase,
  runs: ReadonlyArray<WithRounds & { name: string; failure?: { kind: string; message: string } }>,
  kind: 'micro' | 'http',
  settings: Pick<EngineSettings, 'seed' | 'resamples'>,
  minEffect: number,
  alpha: number,
): { comparisons: Comparison[]; against: AgainstVariant[] } {
  const heads = headVariants(c, runs)
  const baseline = caseVariant(c, c.loaded.scenario.baseline)
  const base = heads.find((r) => r.name === baseline)
  const comparisons: Comparison[] = []
  if (base) {
    // Time per op or per request, by round; http rounds that answered nothing have none.
    const baseTimes = roundTimes(base, kind)
    const processOf = roundProcesses(base)
    for (const run of heads) {
      if (run === base) continue
      const pairs = [...roundTimes(run, kind)].filter(([index]) => baseTimes.has(index))
      if (pairs.length < 2) continue
      const core = compareClustered(
        pairs.map(([index]) => baseTimes.get(index)!),
        pairs.map(([, time]) => time),
        pairs.map(([index]) => processOf.get(index) ?? 0),
        { minEffect, alpha, seed: hashSeed(settings.seed, `${c.id}/${run.name}`), resamples: settings.resamples },
      )
      comparisons.push({ variant: run.name, baseline, ...core })
    }
  }
  return { comparisons, against: comparePairs(c, runs, kind, settings, minEffect, alpha) }
}

/**
 * A paired case's head ÷ base comparison per variant (--against): the two variants' rounds paired
 * by index, each life's pair of processes one cluster, at the look's `alpha`. Empty for other cases.
 */
export function comparePairs(
  c: ScenarioCase,
  runs: ReadonlyArray<WithRounds & { name: string; failure?: { kind: string; message: string } }>,
  kind: 'micro' | 'http',
  settings: Pick<EngineSettings, 'seed' | 'resamples'>,
  minEffect: number,
  alpha: number,
): AgainstVariant[] {
  if (!c.against) return []
  return c.against.pairs.map((pair): AgainstVariant => {
    const base = runs.find((r) => r.name === pair.base)
    const head = runs.find((r) => r.name === pair.head)
    if (!base || !head) return { variant: pair.variant, state: 'not-compared', reason: pair.reason ?? 'not measured on both sides' }
    const baseTimes = roundTimes(base, kind)
    const headTimes = [...roundTimes(head, kind)].filter(([index]) => baseTimes.has(index))
    if (headTimes.length < 2) {
      const failed = [base, head].find((r) => r.failure && r.failure.kind !== 'interrupted')
      const reason = failed ? `${failed.name} ${failed.failure!.kind}: ${failed.failure!.message.split('\n')[0]}` : `${headTimes.length} paired round${headTimes.length === 1 ? '' : 's'}: too few to compare`
      return { variant: pair.variant, state: 'not-compared', reason }
    }
    const processOf = roundProcesses(head)
    const b = headTimes.map(([index]) => baseTimes.get(index)!)
    const h = headTimes.map(([, time]) => time)
    const core = compareClustered(b, h, headTimes.map(([index]) => processOf.get(index) ?? 0), {
      minEffect,
      alpha,
      seed: hashSeed(settings.seed, `${c.id}/against/${pair.variant}`),
      resamples: settings.resamples,
    })
    const { ratio, ...rest } = core
    return { variant: pair.variant, state: 'compared', base: median(b), head: median(h), change: ratio, ...rest }
  })
}

/**
 * A paired case's result as every reader expects a result: the head's variants under their own
 * names in `variants` and `comparisons` (so budgets, claims, reporters and the saved-baseline gate
 * read it as an ordinary run), the base's in `against.base`, and head ÷ base in `against.variants`.
 * Other cases pass through unchanged.
 */
export function withSides<S extends MicroScenarioResult | HttpScenarioResult>(c: ScenarioCase, result: S, against: AgainstVariant[]): S {
  const paired = c.against
  if (!paired) return result
  const own = (name: string) => paired.sources[name]?.variant ?? name
  const rename = <V extends { name: string; isBaseline: boolean }>(v: V): V => ({ ...v, name: own(v.name), isBaseline: own(v.name) === result.baseline })
  const variants = result.variants as Array<S['variants'][number]>
  return {
    ...result,
    variants: variants.filter((v) => paired.sources[v.name]?.side !== 'base').map(rename),
    comparisons: result.comparisons.map((cmp) => ({ ...cmp, variant: own(cmp.variant), baseline: own(cmp.baseline) })),
    against: { base: variants.filter((v) => paired.sources[v.name]?.side === 'base').map(rename), variants: against, notes: paired.notes },
  }
}

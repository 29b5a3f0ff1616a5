/**
 * The shared scheduler driven through fake children (as hyperfine's MockExecutor drives its
 * scheduler): no processes, deterministic figures, so the stopping rule, the ABBA balance, the lives
 * and failure handling are checked exactly.
 */
import { describe, expect, it } from 'vitest'
import type { ScenarioCase } from '../../cli/engine/cases.ts'
import { planRounds, VariantChildren, type Child, type RoundLimits, type VariantRun } from '../../cli/engine/scheduler.ts'
import type { EngineEvent, EngineSettings } from '../../cli/engine/types.ts'
import { ChildFailure } from '../../cli/engine/variant-process.ts'
import { compareClustered } from '../../cli/stats/compare.ts'
import type { Comparison } from '../../cli/result/schema.ts'

class FakeChild implements Child {
  running = true
  released = 0
  interrupted = false
  release = async () => {
    this.released++
  }
  kill = () => {
    this.running = false
  }
  interrupt = () => {
    this.interrupted = true
    this.running = false
  }
  closed = async () => undefined
}

interface Run extends VariantRun {
  rounds: Array<{ index: number; position: number; process: number; value: number }>
  children: FakeChild[]
}

const LIMITS: RoundLimits = { lives: { normal: 3, quick: 3 }, roundsPerLife: { normal: 4, quick: 2 }, maxLives: { normal: 6, quick: 3 }, ms: { min: 1, max: 1000 } }
const SETTINGS: EngineSettings = { seed: 5, timeMs: 10_000, timeFromFlag: false, quick: false, minEffect: 0.05, alpha: 0.01, timeoutMs: 1000, resamples: 100, childEnv: {} }
const CASE = { id: 'fake' } as ScenarioCase

/**
 * A case of variants whose turns read `value(variant, life, round)`; `fail` makes one turn throw as a
 * crashed child would. Answers what happened.
 */
async function drive(options: {
  names: string[]
  value: (variant: string, life: number, round: number) => number
  fail?: { variant: string; round: number }
  abortAtRound?: number
  settings?: Partial<EngineSettings>
  limits?: RoundLimits
  /** Fake time each life's processes take to start, set up and warm up. */
  openMs?: number
}) {
  const controller = new AbortController()
  const events: EngineEvent[] = []
  const runs: Run[] = options.names.map((name) => ({ name, process: new FakeChild(), rounds: [], children: [] }))
  const settings = { ...SETTINGS, ...options.settings }
  const plan = planRounds(CASE, settings, { timeMs: settings.timeMs, ...(settings.rounds ? { fixedRounds: settings.rounds } : {}), variants: runs.length, names: options.names, limits: options.limits ?? LIMITS })
  // Every turn takes 100 ms of a fake clock.
  let clock = 0
  const children = new VariantChildren(runs, CASE, 1000, controller.signal, (e) => events.push(e), () => clock)
  const closes: Array<{ life: number; last: boolean }> = []
  const alphasSeen: number[] = []
  const compare = (alpha: number): Comparison[] => {
    alphasSeen.push(alpha)
    const base = runs[0]!
    return runs.slice(1).flatMap((run) => {
      const pairs = run.rounds.filter((r) => base.rounds.some((b) => b.index === r.index))
      if (pairs.length < 2) return []
      const b = pairs.map((r) => base.rounds.find((x) => x.index === r.index)!.value)
      const core = compareClustered(b, pairs.map((r) => r.value), pairs.map((r) => r.process), { minEffect: 0.05, alpha, seed: 1 })
      return [{ variant: run.name, baseline: base.name, ...core }]
    })
  }
  const { looks, alpha } = await children.runLives(
    plan,
    {
      open: async (life) => {
        clock += options.openMs ?? 0
        for (const run of runs) {
          if (run.failure) continue
          const child = new FakeChild()
          run.process = child
          run.children.push(child)
        }
      },
      turn: async (run, round, position, life) => {
        if (options.abortAtRound !== undefined && round === options.abortAtRound) controller.abort()
        clock += 100
        const value = await children.ask(run, async () => {
          if (options.fail?.variant === run.name && options.fail.round === round) throw new ChildFailure('crashed', `round ${round + 1}`, 'the process exited with code 1')
          return options.value(run.name, life, round)
        })
        if (value !== undefined) run.rounds.push({ index: round, position, process: life, value })
      },
      close: async (life, last) => {
        closes.push({ life, last })
      },
    },
    compare,
  )
  await children.close()
  return { runs, plan, looks, alpha, closes, events, alphasSeen, comparisons: compare(alpha) }
}

/** Identical variants, every process alike: decided `same` at the first look. */
const steady = (_variant: string, _life: number, round: number) => 1000 + (round % 3)

describe('the scheduler, through fake children', () => {
  it('runs the initial lives, each a fresh process per variant, and stops at the first look when every verdict is decided', async () => {
    const { runs, looks, alpha, closes, comparisons, alphasSeen } = await drive({ names: ['a', 'b'], value: steady })
    expect(comparisons[0]!.verdict).toBe('same')
    expect(looks).toBe(1)
    expect(alphasSeen[0]).toBe(0.005) // the first of four possible looks spends α/2
    expect(alpha).toBe(0.005)
    expect(closes).toEqual([{ life: 0, last: false }, { life: 1, last: false }, { life: 2, last: true }])
    for (const run of runs) {
      expect(run.children).toHaveLength(3)
      expect(run.rounds).toHaveLength(12)
      expect(new Set(run.rounds.map((r) => r.process))).toEqual(new Set([0, 1, 2]))
    }
  })

  it('balances turns ABBA: in each pair of rounds of a life a variant takes positions p and n − 1 − p', async () => {
    const { runs } = await drive({ names: ['a', 'b', 'c'], value: steady })
    for (const run of runs) {
      for (let index = 0; index < 12; index += 2) {
        const first = run.rounds.find((r) => r.index === index)!
        const second = run.rounds.find((r) => r.index === index + 1)!
        expect(first.process).toBe(second.process)
        expect(first.position + second.position).toBe(2)
      }
    }
    // Rounds of one index ran in one life for every variant: the pairs share a process pair.
    const life = (run: Run, index: number) => run.rounds.find((r) => r.index === index)!.process
    for (let index = 0; index < 12; index++) expect(new Set(runs.map((run) => life(run, index))).size).toBe(1)
  })

  it('while a verdict is inconclusive, a second stage of lives up to the most, then one more look; each look at α/2', async () => {
    // b's processes land ±6 % apart: the first look stays inconclusive.
    const offsets = [1.06, 0.94, 1.07, 0.93, 1.06, 0.95]
    const { runs, looks, alpha, closes, alphasSeen, plan, comparisons } = await drive({ names: ['a', 'b'], value: (v, life, round) => (v === 'b' ? offsets[life]! : 1) * (1000 + (round % 3)) })
    expect(plan.looks).toBe(2)
    expect(looks).toBe(2)
    expect(alphasSeen[0]).toBe(0.005)
    expect(alpha).toBe(0.005)
    expect(closes.map((c) => c.last)).toEqual([false, false, false, false, false, true])
    expect(runs[1]!.children).toHaveLength(6)
    expect(comparisons[0]!.alpha).toBe(0.005)
    expect(comparisons[0]!.verdict).toBe('inconclusive')
  })

  it('stops adding lives when the time budget would be exceeded', async () => {
    const offsets = [1.06, 0.94, 1.07, 0.93, 1.06, 0.95]
    // A life's rounds take 2 × 4 × 100 ms; after three lives (2.4 s) a fourth fits 3.3 s, a fifth does not.
    const { runs, looks } = await drive({ names: ['a', 'b'], value: (v, life, round) => (v === 'b' ? offsets[life]! : 1) * (1000 + round), settings: { timeMs: 3300 } })
    expect(looks).toBe(2)
    expect(runs[1]!.children).toHaveLength(4)
  })

  it('a case whose processes are expensive to start runs as many lives as its budget affords, never fewer than three', async () => {
    const six = { ...LIMITS, lives: { normal: 6, quick: 6 }, maxLives: { normal: 12, quick: 12 } }
    const cheap = await drive({ names: ['a', 'b'], value: steady, limits: six, openMs: 500 })
    expect(cheap.runs[0]!.children).toHaveLength(6)
    const dear = await drive({ names: ['a', 'b'], value: steady, limits: six, openMs: 6000 }) // fixed costs may take 2 × 10 s: 3 lives
    expect(dear.runs[0]!.children).toHaveLength(3)
    const dearest = await drive({ names: ['a', 'b'], value: steady, limits: six, openMs: 60_000 })
    expect(dearest.runs[0]!.children).toHaveLength(3)
    // No life more is affordable, so the one look spends all of α; a case that could grow keeps half for its second look.
    expect(dearest.alpha).toBe(0.01)
    expect(cheap.alpha).toBe(0.005)
    expect(cheap.looks).toBe(1)
    // --processes: exactly that many, whatever they cost.
    const chosen = await drive({ names: ['a', 'b'], value: steady, limits: six, openMs: 60_000, settings: { processes: 5 } })
    expect(chosen.runs[0]!.children).toHaveLength(5)
  })

  it('fixed rounds: exactly those rounds, spread over the lives, no auto-sampling', async () => {
    const offsets = [1.06, 0.94, 1.07]
    const { runs, looks } = await drive({ names: ['a', 'b'], value: (v, life) => (v === 'b' ? offsets[life]! : 1) * 1000, settings: { rounds: 6 } })
    expect(looks).toBe(1)
    expect(runs[0]!.rounds).toHaveLength(6)
    expect(runs[0]!.children).toHaveLength(3)
    // Never more rounds than asked, and no process left without a round.
    for (const [rounds, lives] of [[4, 2], [5, 3], [2, 2]] as const) {
      const fixed = await drive({ names: ['a', 'b'], value: steady, settings: { rounds } })
      expect(fixed.runs[0]!.rounds).toHaveLength(rounds)
      expect(fixed.runs[0]!.children).toHaveLength(lives)
    }
  })

  it('a failing variant keeps its rounds so far, takes no further turns and gets no further process; the others go on', async () => {
    const { runs, events, closes } = await drive({ names: ['a', 'b', 'c'], value: steady, fail: { variant: 'b', round: 5 } })
    const [a, b, c] = runs
    expect(b!.failure).toMatchObject({ kind: 'crashed', phase: 'round 6' })
    expect(b!.rounds.map((r) => r.index)).toEqual([0, 1, 2, 3, 4])
    expect(b!.children).toHaveLength(2)
    expect(a!.rounds).toHaveLength(12)
    expect(c!.rounds).toHaveLength(12)
    expect(events.filter((e) => e.type === 'variant-failed')).toEqual([{ type: 'variant-failed', scenario: 'fake', variant: 'b', state: 'crashed', message: 'the process exited with code 1' }])
    expect(closes.at(-1)).toEqual({ life: 2, last: true })
  })

  it('Ctrl-C interrupts the current processes and ends the case at once', async () => {
    const { runs, closes } = await drive({ names: ['a', 'b'], value: steady, abortAtRound: 5 })
    for (const run of runs) {
      expect(run.children).toHaveLength(2)
      expect(run.children.at(-1)!.interrupted).toBe(true)
      expect(run.rounds.length).toBeLessThanOrEqual(6)
    }
    expect(closes.at(-1)).toEqual({ life: 1, last: true })
  })
})

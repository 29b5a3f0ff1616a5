/**
 * --against without measuring: pairing the working tree's cases with the ref's scenarios (what may
 * differ between the trees), the paired result as readers see it, and the worktree's removal.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { LoadedScenario } from '../../cli/config/scenarios.ts'
import type { ScenarioKind } from '../../cli/config/types.ts'
import { buildCases } from '../../cli/engine/cases.ts'
import { comparePairs, withSides } from '../../cli/engine/scheduler.ts'
import { pairCases, resolveRef, Worktree } from '../../cli/gate/against.ts'
import { UsageError } from '../../cli/errors.ts'
import { exitCodeOf, gateFindings } from '../../cli/gate/outcome.ts'
import { againstLines } from '../../cli/report/console.ts'
import { gateLine } from '../../cli/report/gate.ts'
import { renderHtml } from '../../cli/report/html.ts'
import { renderJunit } from '../../cli/report/junit.ts'
import { renderMarkdown } from '../../cli/report/markdown.ts'
import type { AgainstCompared, AgainstVariant, MicroScenarioResult, RoundSummary } from '../../cli/result/schema.ts'
import { tempDir } from '../support/cli.ts'
import { brokerScenario, runInfo, runResult } from '../support/results.ts'

function scenario(name: string, variants: string[], options: { params?: Record<string, Array<string | number>>; kind?: ScenarioKind; tree?: string } = {}): LoadedScenario {
  const tree = options.tree ?? '/head'
  return {
    file: `${tree}/${name}.bench.ts`,
    relFile: `${name}.bench.ts`,
    index: 0,
    scenario: { name, baseline: variants[0]!, variants: Object.fromEntries(variants.map((v) => [v, () => 0])) } as unknown as LoadedScenario['scenario'],
    kind: options.kind ?? 'micro',
    variants,
    budgets: [],
    claims: [],
    params: Object.fromEntries(Object.entries(options.params ?? {}).map(([k, values]) => [k, { values }])),
    options: {},
  }
}

const pair = (head: LoadedScenario[], base: LoadedScenario[], filter?: string) =>
  pairCases(buildCases(head, { params: {}, ...(filter ? { filter } : {}) }), base, { ref: 'main', params: {}, ...(filter ? { filter } : {}) })

describe('pairing the working tree with the ref', () => {
  it('the same scenario on both sides: every variant measured as head:<v> and base:<v>, each from its own tree', () => {
    const head = scenario('s', ['a', 'b'])
    const base = scenario('s', ['a', 'b'], { tree: '/base' })
    const { cases, notes } = pair([head], [base])
    expect(notes).toEqual([])
    expect(cases[0]!.variants).toEqual(['head:a', 'head:b', 'base:a', 'base:b'])
    expect(cases[0]!.against!.sources['base:b']).toEqual({ side: 'base', loaded: base, variant: 'b' })
    expect(cases[0]!.against!.sources['head:b']).toEqual({ side: 'head', loaded: head, variant: 'b' })
    expect(cases[0]!.against!.pairs).toEqual([
      { variant: 'a', head: 'head:a', base: 'base:a' },
      { variant: 'b', head: 'head:b', base: 'base:b' },
    ])
  })

  it('a scenario on one side only: the head runs it as usual, the ref\'s is not run; one line each', () => {
    const { cases, notes } = pair([scenario('new', ['a', 'b'])], [scenario('old', ['a', 'b'])])
    expect(cases[0]!.against).toBeUndefined()
    expect(cases[0]!.variants).toEqual(['a', 'b'])
    expect(notes).toEqual([
      'new: only in the working tree (main has no scenario of that name): measured on the working tree only',
      'old: only in main (the working tree has no scenario of that name): not run',
    ])
  })

  it('a --filter leaves the ref\'s other scenarios unmentioned', () => {
    const { notes } = pair([scenario('new', ['a']), scenario('kept', ['a'])], [scenario('old', ['a']), scenario('kept', ['a'])], '^kept$')
    expect(notes).toEqual([])
  })

  it('a variant on one side only (a renamed one is both): not compared, with the reason and a hint', () => {
    const { cases } = pair([scenario('s', ['a', 'fast'])], [scenario('s', ['a', 'quick'])])
    const c = cases[0]!
    expect(c.variants).toEqual(['head:a', 'head:fast', 'base:a'])
    expect(c.against!.pairs).toEqual([
      { variant: 'a', head: 'head:a', base: 'base:a' },
      { variant: 'fast', head: 'head:fast', reason: 'only in the working tree (main has no variant fast)' },
      { variant: 'quick', reason: 'only in main (the working tree has no variant quick): not run' },
    ])
    expect(c.against!.notes).toEqual([
      'variant fast only in the working tree: measured on the head only — renamed from quick? a renamed variant is not compared',
      'variant quick only in main: not run',
    ])
  })

  it('parameter matrices that differ: the common cases are paired, the others said', () => {
    const { cases, notes } = pair([scenario('s', ['a', 'b'], { params: { n: [10, 100] } })], [scenario('s', ['a', 'b'], { params: { n: [100, 1000] } })])
    expect(cases.map((c) => [c.id, c.against !== undefined])).toEqual([
      ['s[n=10]', false],
      ['s[n=100]', true],
    ])
    expect(notes).toEqual([
      's[n=10]: main has no case with these parameters (its parameter matrix differs): measured on the working tree only',
      's[n=1000]: only in main (the parameter matrices differ): not run',
    ])
  })

  it('a load scenario (no rounds to pair) and a kind that changed: the head only, one line each', () => {
    const { cases, notes } = pair(
      [scenario('cells', ['a'], { kind: 'load', params: { concurrency: [1, 2] } }), scenario('changed', ['a'])],
      [scenario('cells', ['a'], { kind: 'load', params: { concurrency: [1, 2] } }), scenario('changed', ['a'], { kind: 'http' })],
    )
    expect(cases.every((c) => c.against === undefined)).toBe(true)
    expect(notes).toEqual([
      'cells: load cells run once per variant, with no rounds to pair with main: measured on the working tree only',
      'changed: a micro scenario here and a http scenario in main: measured on the working tree only',
    ])
  })
})

describe('a paired case\'s result', () => {
  const rounds = (times: number[]): RoundSummary[] =>
    times.map((t, i) => ({ index: i, position: 0, process: Math.floor(i / 2), samples: 10, ops: 10, medianNs: t, meanNs: t, minNs: t, maxNs: t, p99Ns: t }))

  it('head ÷ base per variant, paired by round; the head under its own names, the base beside it', () => {
    const { cases } = pair([scenario('s', ['a', 'b'])], [scenario('s', ['a', 'b'], { tree: '/base' })])
    const c = cases[0]!
    const same = [100, 101, 99, 100, 102, 98, 100, 101]
    const runs = [
      { name: 'head:a', rounds: rounds(same) },
      { name: 'head:b', rounds: rounds(same.map((t) => t * 1.3)) },
      { name: 'base:a', rounds: rounds(same) },
      { name: 'base:b', rounds: rounds(same) },
    ]
    const against = comparePairs(c, runs, 'micro', { seed: 1, resamples: 200 }, 0.05, 0.01)
    expect(against.map((v) => (v.state === 'compared' ? [v.variant, v.verdict, +v.change.estimate.toFixed(2)] : v))).toEqual([
      ['a', 'same', 1],
      ['b', 'slower', 1.3],
    ])
    const variant = (name: string) => ({ name, isBaseline: false, rounds: [], flags: [], state: 'interrupted' as const })
    const result = withSides(c, { kind: 'micro', baseline: 'a', variants: runs.map((r) => variant(r.name)), comparisons: [{ variant: 'head:b', baseline: 'head:a' }] } as unknown as MicroScenarioResult, against)
    expect(result.variants.map((v) => [v.name, v.isBaseline])).toEqual([
      ['a', true],
      ['b', false],
    ])
    expect(result.against!.base.map((v) => v.name)).toEqual(['a', 'b'])
    expect(result.comparisons[0]).toMatchObject({ variant: 'b', baseline: 'a' })
  })
})

describe('the worktree', () => {
  const repo = tempDir('perfkit-unit-worktree-')
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' }).trim()
  git('init', '-q')
  writeFileSync(path.join(repo, 'file.txt'), 'one\n')
  git('add', '.')
  git('-c', 'user.name=perfkit', '-c', 'user.email=perfkit@example.com', 'commit', '-qm', 'one')

  it('an unknown ref is a usage error naming it', () => {
    expect(() => resolveRef('nope', repo)).toThrow(UsageError)
    expect(() => resolveRef('nope', repo)).toThrow(/^--against nope: no such commit/)
    expect(() => resolveRef('--all', repo)).toThrow(/not a git ref/)
    expect(resolveRef('HEAD', repo)).toEqual({ commit: git('rev-parse', 'HEAD'), subject: 'one' })
  })

  it('is checked out detached, and removed with its links (not what they point at), once', () => {
    const target = path.join(repo, 'kept')
    mkdirSync(target)
    writeFileSync(path.join(target, 'inside.txt'), 'kept\n')
    const worktree = Worktree.create(repo, git('rev-parse', 'HEAD'), 'HEAD')
    expect(existsSync(path.join(worktree.dir, 'file.txt'))).toBe(true)
    worktree.link(target, path.join(worktree.dir, 'node_modules'))
    expect(git('worktree', 'list').split('\n')).toHaveLength(2)
    worktree.dispose()
    worktree.dispose()
    expect(existsSync(worktree.dir)).toBe(false)
    expect(existsSync(path.dirname(worktree.dir))).toBe(false)
    expect(existsSync(path.join(target, 'inside.txt'))).toBe(true)
    expect(git('worktree', 'list').split('\n')).toHaveLength(1)
  })
})

describe('the gate and the reporters on an --against result', () => {
  const compared = (variant: string, estimate: number, verdict: AgainstCompared['verdict']): AgainstCompared => ({
    variant,
    state: 'compared',
    base: 1000,
    head: 1000 * estimate,
    change: { estimate, low: estimate * 0.97, high: estimate * 1.03, level: 0.995 },
    pValue: verdict === 'slower' ? 0.0001 : 0.5,
    test: 'student-t-per-process',
    n: 6,
    rounds: 24,
    verdict,
    minEffect: 0.05,
    alpha: 0.005,
  })
  const resultWith = (variants: AgainstVariant[], failOn: Array<'inconclusive'> = []) => {
    const scenario = brokerScenario()
    // Only what --against adds decides the gate here: no failed variant, no budget.
    scenario.variants = scenario.variants.filter((v) => v.state === 'completed')
    scenario.budgets = []
    scenario.against = { base: [], variants, notes: ['variant x only in main: not run'] }
    const result = runResult([scenario], { run: { settings: { ...runInfo().settings, ...(failOn.length ? { failOn } : {}) } } })
    result.against = { ref: 'origin/main', commit: 'a'.repeat(40), subject: 'Base', head: { commit: 'b'.repeat(40), dirty: true }, dependencies: { mode: 'shared' }, notes: [] }
    return result
  }

  it('a head variant slower than its base fails the gate (exit 1) and is named in every output', () => {
    const result = resultWith([compared('direct', 1, 'same'), compared('broker', 1.3, 'slower'), { variant: 'x', state: 'not-compared', reason: 'only in main' }])
    expect(exitCodeOf(result)).toBe(1)
    expect(gateLine(gateFindings(result), { color: false }, false)).toMatch(/^gate: failed — 1 variant slower than on the base \(broker-vs-direct\[backend=pglite\]\/broker \+30%\) · against the base: 1 same, 0 faster, 1 not compared$/)
    const lines = againstLines(result.scenarios[0]!, { color: false }).join('\n')
    expect(lines).toMatch(/\n  broker\s+1\.00 µs\s+1\.30 µs\s+\+30% \[\+26%, \+34%\]\s+slower/)
    expect(lines).toMatch(/not compared: only in main/)
    expect(renderMarkdown(result)).toMatch(/^## perfkit: ❌ 1 variant slower than on the base/)
    expect(renderJunit(result)).toMatch(/<testcase name="against broker" classname="perfkit\.broker-vs-direct\[backend=pglite\]\.against" time="0">\s*<failure message="head ÷ base \+30%/)
    expect(renderHtml(result)).toMatch(/Head vs base/)
  })

  it('inconclusive against the base is a warning, a failure only with --fail-on inconclusive', () => {
    const variants = [compared('direct', 1, 'same'), compared('broker', 1.04, 'inconclusive')]
    expect(exitCodeOf(resultWith(variants))).toBe(0)
    expect(exitCodeOf(resultWith(variants, ['inconclusive']))).toBe(1)
  })
})

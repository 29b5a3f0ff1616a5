/**
 * What the gate concludes from a result: the findings every output lists, and the exit code.
 * One home, so the terminal, Markdown, JUnit and the exit code never disagree.
 *
 * A regression is a variant whose ratio to its scenario's baseline variant got slower: that ratio is
 * the layer's cost, and it survives a busy or different machine. A variant judged on its time alone
 * (the baseline variant) is reported with its verdict, but a time moves with the machine as much as
 * with the code, so it fails the gate only with `--fail-on time`.
 *
 * With `--against <ref>` a head variant slower than the same variant on the ref is a regression too.
 *
 * Exit codes: 130 interrupted · 3 something could not be measured · 1 a budget failed or a
 * regression was found (with `--fail-on inconclusive` also an inconclusive verdict, a budget that
 * could not be measured or one whose interval can't tell) · 0 otherwise.
 */
import { EXIT, UsageError } from '../errors.ts'
import { failedVariants } from '../result/outcome.ts'
import type { AgainstCompared, BudgetResult, RunResult, VariantRegressionCompared } from '../result/schema.ts'

/** What fails the gate besides failed budgets and regressions (see RunSettings.failOn). */
export type FailOn = 'time' | 'inconclusive'

const FAIL_ON_VALUES = ['regression', 'time', 'inconclusive'] as const

/**
 * `--fail-on` values, repeatable or comma-separated: `regression` (the default, always on), `time`,
 * `inconclusive`.
 */
export function parseFailOn(values: readonly string[] | undefined): FailOn[] {
  const picked = new Set<FailOn>()
  for (const value of (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim())) {
    if (!(FAIL_ON_VALUES as readonly string[]).includes(value)) {
      throw new UsageError(
        `--fail-on ${value}: use regression (the default), time (also fail when the baseline variant's own time got slower) or inconclusive (also fail when a verdict or budget could not be decided)`,
      )
    }
    if (value !== 'regression') picked.add(value as FailOn)
  }
  return [...picked]
}

export interface BudgetFinding {
  scenario: string
  budget: BudgetResult
}

export interface RegressionFinding {
  scenario: string
  variant: VariantRegressionCompared
}

/** A head variant judged against its base (`--against`). */
export interface AgainstFinding {
  scenario: string
  variant: AgainstCompared
}

export interface GateFindings {
  failOn: FailOn[]
  /** `undecided`: budgets whose interval straddles the threshold (can't tell). */
  budgets: { failed: BudgetFinding[]; unmeasured: BudgetFinding[]; undecided: BudgetFinding[]; passed: number }
  /** Variants judged slower than the baseline that fail the gate. */
  regressions: RegressionFinding[]
  /** Variants judged slower on their time alone, which fail the gate only with `--fail-on time`. */
  slowerTimes: RegressionFinding[]
  /** Variants whose verdict is inconclusive (those judged on time alone only with `--fail-on time`). */
  inconclusive: RegressionFinding[]
  improvements: RegressionFinding[]
  same: number
  /** Variants the baseline comparison could not judge (new, failed, another machine …). */
  notCompared: number
  /** `scenario/variant` of every variant that threw or timed out in this run. */
  failedVariants: string[]
  /**
   * `--against <ref>`: each head variant's change against the same variant on the ref. A `slower` one
   * is a regression (it fails the gate); `inconclusive` fails it only with `--fail-on inconclusive`; a
   * variant on one side only, or without enough paired rounds, is not compared (it never fails it).
   */
  against: { regressions: AgainstFinding[]; inconclusive: AgainstFinding[]; improvements: AgainstFinding[]; same: number; notCompared: number }
  /** The run was interrupted, or its result is unfinished. */
  unfinished: boolean
  interrupted: boolean
}

export function gateFindings(result: RunResult, failOn: readonly FailOn[] = result.run.settings.failOn ?? []): GateFindings {
  const findings: GateFindings = {
    failOn: [...failOn],
    budgets: { failed: [], unmeasured: [], undecided: [], passed: 0 },
    regressions: [],
    slowerTimes: [],
    inconclusive: [],
    improvements: [],
    same: 0,
    notCompared: 0,
    failedVariants: [],
    against: { regressions: [], inconclusive: [], improvements: [], same: 0, notCompared: 0 },
    unfinished: result.run.state !== 'completed',
    interrupted: result.run.state === 'interrupted',
  }
  for (const scenario of result.scenarios) {
    for (const budget of scenario.budgets) {
      if (budget.state === 'fail') findings.budgets.failed.push({ scenario: scenario.id, budget })
      else if (budget.state === 'missing') findings.budgets.unmeasured.push({ scenario: scenario.id, budget })
      else if (budget.state === 'cant-tell') findings.budgets.undecided.push({ scenario: scenario.id, budget })
      else findings.budgets.passed++
    }
    const failed = failedVariants(scenario)
    for (const variant of failed) findings.failedVariants.push(`${scenario.id}/${variant.name}`)
    if (scenario.state === 'errored' && failed.length === 0) findings.failedVariants.push(scenario.id)
  }
  for (const scenario of result.scenarios) {
    for (const variant of scenario.against?.variants ?? []) {
      if (variant.state === 'not-compared') {
        findings.against.notCompared++
        continue
      }
      const finding = { scenario: scenario.id, variant }
      if (variant.verdict === 'slower') findings.against.regressions.push(finding)
      else if (variant.verdict === 'inconclusive') findings.against.inconclusive.push(finding)
      else if (variant.verdict === 'faster') findings.against.improvements.push(finding)
      else findings.against.same++
    }
  }
  for (const scenario of result.baseline?.scenarios ?? []) {
    for (const variant of scenario.variants) {
      if (variant.state === 'not-compared') {
        findings.notCompared++
        continue
      }
      const finding = { scenario: scenario.id, variant }
      const counts = variant.decidedBy === 'ratio' || failOn.includes('time')
      switch (variant.verdict) {
        case 'slower':
          if (counts) findings.regressions.push(finding)
          else findings.slowerTimes.push(finding)
          break
        case 'inconclusive':
          if (counts) findings.inconclusive.push(finding)
          break
        case 'faster':
          findings.improvements.push(finding)
          break
        case 'same':
          findings.same++
          break
      }
    }
  }
  return findings
}

/** Whether the findings fail the gate (exit 1), leaving aside runs that could not complete. */
export function gateFailed(findings: GateFindings): boolean {
  if (findings.budgets.failed.length > 0 || findings.regressions.length > 0 || findings.against.regressions.length > 0) return true
  return (
    findings.failOn.includes('inconclusive') &&
    (findings.inconclusive.length > 0 || findings.against.inconclusive.length > 0 || findings.budgets.unmeasured.length > 0 || findings.budgets.undecided.length > 0)
  )
}

/**
 * 130 interrupted · 3 something could not be measured (or the result is unfinished) · 1 the gate
 * failed · 0 otherwise. `interruptedExit: false` (perfkit compare of an old, interrupted result) maps
 * an interrupted run to 3: it is an incomplete result, not an interruption of this command.
 */
export function exitCodeOf(result: RunResult, failOn?: readonly FailOn[], options: { interruptedExit?: boolean } = {}): number {
  const findings = gateFindings(result, failOn)
  if (findings.interrupted && options.interruptedExit !== false) return EXIT.interrupted
  if (findings.unfinished || findings.failedVariants.length > 0) return EXIT.incomplete
  return gateFailed(findings) ? EXIT.failed : EXIT.ok
}

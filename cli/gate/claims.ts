/** Claims from a seed document, set beside the figure perfkit measured on this machine. */
import type { ClaimOutcome, ClaimResult, ScenarioResult } from '../result/schema.ts'
import type { Claim } from '../config/types.ts'
import { evaluateBudgets, parseMetricReference, type Budget } from './budget.ts'

/**
 * A claim with a `check` holds when every variant its budget names passes, does not hold when one
 * fails, and can't tell when none fails but an interval straddles the threshold; a claim with only
 * a `metric` ('variant: metric') shows that figure unjudged. An unmeasurable figure is not judged.
 */
export function evaluateClaims(scenario: ScenarioResult, claims: ReadonlyArray<{ claim: Claim; check?: Budget }>): ClaimResult[] {
  const applies = (claim: Claim) => Object.entries(claim.when ?? {}).every(([key, value]) => scenario.params[key] === value)
  return claims.filter(({ claim }) => applies(claim)).map(({ claim, check }) => {
    const base = {
      text: claim.text,
      ...(claim.published ? { published: claim.published } : {}),
      ...(claim.check ? { check: claim.check } : claim.metric ? { metric: claim.metric } : {}),
    }
    const budget = check ?? (claim.metric ? parseMetricReference(claim.metric) : undefined)
    if (!budget) return { ...base, measuredText: '—', holds: null, outcome: 'not-judged' as const }
    const results = evaluateBudgets(scenario, [{ budget, origin: 'scenario' }])
    const measured = results.filter((r) => r.measured !== undefined)
    const measuredText = results.length === 0 ? '—' : results.map((r) => (results.length > 1 ? `${r.variant} ${r.measuredText}` : r.measuredText)).join(', ')
    const outcome: ClaimOutcome =
      !check || measured.length < results.length || results.length === 0
        ? 'not-judged'
        : results.some((r) => r.state === 'fail')
          ? 'does-not-hold'
          : results.some((r) => r.state === 'cant-tell')
            ? 'cant-tell'
            : 'holds'
    const holds = outcome === 'holds' ? true : outcome === 'does-not-hold' ? false : null
    return { ...base, ...(measured.length === 1 ? { measured: measured[0]!.measured } : {}), measuredText, holds, outcome }
  })
}

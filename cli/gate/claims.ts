/** Claims from a seed document, set beside the figure perfkit measured on this machine. */
import type { ClaimResult, ScenarioResult } from '../result/schema.ts'
import type { Claim } from '../config/types.ts'
import { evaluateBudgets, parseMetricReference, type Budget } from './budget.ts'

/**
 * A claim with a `check` holds when every variant its budget names passes; a claim with only a
 * `metric` ('variant: metric') shows that figure unjudged. An unmeasurable figure gives holds null.
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
    if (!budget) return { ...base, measuredText: '—', holds: null }
    const results = evaluateBudgets(scenario, [{ budget, origin: 'scenario' }])
    const measured = results.filter((r) => r.measured !== undefined)
    const measuredText = results.length === 0 ? '—' : results.map((r) => (results.length > 1 ? `${r.variant} ${r.measuredText}` : r.measuredText)).join(', ')
    const holds = !check || measured.length < results.length || results.length === 0 ? null : results.every((r) => r.state === 'pass')
    return { ...base, ...(measured.length === 1 ? { measured: measured[0]!.measured } : {}), measuredText, holds }
  })
}

/**
 * What counts as a failure in a result, the same for the exit code, the summary line and every
 * reporter: a variant that threw or hung means the run could not measure what it was asked to.
 * In a `load` scenario, running out of memory or past the deadline is a finding about the variant
 * at that level ("OOM at 10 000"), not a failure of the run.
 */
import type { AnyVariantResult, ScenarioResult } from './schema.ts'

export function isFailedVariant(scenario: Pick<ScenarioResult, 'kind'>, variant: Pick<AnyVariantResult, 'state'>): boolean {
  if (variant.state === 'errored') return true
  return variant.state === 'timeout' && scenario.kind !== 'load'
}

/** The variants of a scenario that could not be measured. */
export function failedVariants(scenario: ScenarioResult): AnyVariantResult[] {
  const variants: AnyVariantResult[] = scenario.variants
  return variants.filter((v) => isFailedVariant(scenario, v))
}

/**
 * Runs scenario cases one after another and hands back the growing RunResult after each, so the
 * caller can persist it: a crash or Ctrl-C late in a run loses nothing already measured.
 */
import { evaluateBudgets } from '../gate/budget.ts'
import { evaluateClaims } from '../gate/claims.ts'
import { RESULT_SCHEMA, type AgainstRun, type Environment, type LoadScenarioResult, type RunResult, type RunSettings, type ScenarioResult } from '../result/schema.ts'
import type { ScenarioCase } from './cases.ts'
import { runLoadCase } from './load.ts'
import { checkRequirements, type Skips } from './load-preflight.ts'
import { runMicroCase } from './micro.ts'
import type { EngineEvent, EngineSettings } from './types.ts'

export interface RunRequest {
  id: string
  cases: ScenarioCase[]
  settings: EngineSettings
  /** What goes into `run.settings` of the result. */
  recorded: RunSettings
  environment: Environment
  argv: string[]
  version: string
  signal: AbortSignal
  emit: (event: EngineEvent) => void
  /** Called with the whole result after every scenario and at the end. */
  persist: (result: RunResult) => void
  /** `--against <ref>`: what the base is, recorded in the result from the start. */
  against?: AgainstRun
}

export async function runScenarios(request: RunRequest): Promise<RunResult> {
  await checkCases(request.cases)
  // Servers the load variants need: skip the absent ones, or stop here if the user asked for one.
  const skips = await checkRequirements(request.cases, { configEnv: request.settings.childEnv, filter: request.recorded.filter })
  const result: RunResult = {
    schema: RESULT_SCHEMA,
    perfkit: request.version,
    run: { id: request.id, startedAt: new Date().toISOString(), state: 'running', argv: request.argv, settings: request.recorded },
    environment: request.environment,
    scenarios: [],
    ...(request.against ? { against: request.against } : {}),
  }
  request.persist(result)
  for (const [index, c] of request.cases.entries()) {
    if (request.signal.aborted) break
    request.emit({ type: 'scenario-start', scenario: c.id, index, total: request.cases.length, variants: c.variants })
    const scenario = await runCase(c, request, skips)
    scenario.budgets = evaluateBudgets(scenario, [
      ...c.loaded.budgets.map((budget) => ({ budget, origin: 'scenario' as const })),
      ...c.configBudgets.map((budget) => ({ budget, origin: 'config' as const })),
    ])
    scenario.claims = evaluateClaims(scenario, c.loaded.claims)
    result.scenarios.push(scenario)
    request.emit({ type: 'scenario-done', result: scenario })
    if (!request.signal.aborted) request.persist(result)
    const lastLevel = !request.cases.slice(index + 1).some((next) => next.loaded === c.loaded)
    if (scenario.kind === 'load' && lastLevel) {
      const results = result.scenarios.filter((s): s is LoadScenarioResult => s.kind === 'load' && s.name === scenario.name)
      request.emit({ type: 'sweep-done', scenario: scenario.name, results })
    }
  }
  result.run.state = request.signal.aborted ? 'interrupted' : 'completed'
  result.run.finishedAt = new Date().toISOString()
  request.persist(result)
  return result
}

async function runCase(c: ScenarioCase, request: RunRequest, skips: Skips): Promise<ScenarioResult> {
  switch (c.loaded.kind) {
    case 'micro':
      return runMicroCase(c, request.settings, request.signal, request.emit)
    case 'load':
      return runLoadCase(c, request.settings, skips, request.signal, request.emit)
    case 'http': {
      // autocannon and the histograms load only when an http scenario runs.
      const { runHttpCase } = await import('./http.ts')
      return runHttpCase(c, request.settings, request.signal, request.emit)
    }
  }
}

/** Checks, before anything runs, what only a case's parameters reveal (an http scenario's `request(params)`): a usage error, exit 2, not a late failure. */
async function checkCases(cases: readonly ScenarioCase[]): Promise<void> {
  for (const c of cases) {
    switch (c.loaded.kind) {
      case 'micro':
      case 'load':
        break
      case 'http': {
        const { checkHttpCase } = await import('./http.ts')
        checkHttpCase(c)
        break
      }
    }
  }
}

import type { PerfkitConfig, Scenario } from './types.ts'

/** Declares a scenario. An identity function: it exists so the editor can check the file's shape. */
export function defineScenario<State>(scenario: Scenario<State>): Scenario<State> {
  return scenario
}

/** Declares `perfkit.config.ts`. An identity function, for types. */
export function defineConfig(config: PerfkitConfig): PerfkitConfig {
  return config
}

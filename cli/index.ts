/**
 * perfkit's public API, for scenario files and `perfkit.config.ts`:
 *
 *   import { defineScenario, span } from 'perfkit'
 *
 * and for scripts that run perfkit themselves:
 *
 *   import { run } from 'perfkit'
 *   const result = await run({ quick: true })
 */
import type { RunOptions } from './api.ts'
import type { RunResult } from './result/schema.ts'

export { defineScenario, defineConfig } from './config/define.ts'
export type * from './config/types.ts'
export type * from './result/schema.ts'
export type { RunOptions, EngineEvent } from './api.ts'
export { span, spanStart, isTracing, traceOp } from './trace/index.ts'

/**
 * Measures the scenarios as `perfkit run` does and answers the same result object; never prints,
 * never exits (see cli/api.ts). Loaded on first call: every variant's process imports this module
 * through its scenario file and must not pay for the engine.
 */
export async function run(options: RunOptions = {}): Promise<RunResult> {
  const api = await import('./api.ts')
  return api.run(options)
}

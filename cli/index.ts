/**
 * perfkit's public API, for scenario files and `perfkit.config.ts`:
 *
 *   import { defineScenario, span } from 'perfkit'
 */
export { defineScenario, defineConfig } from './config/define.ts'
export type * from './config/types.ts'
export type * from './result/schema.ts'
export { span, spanStart, isTracing, traceOp } from '../fixtures/trace/index.ts'

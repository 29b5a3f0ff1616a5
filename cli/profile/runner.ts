/**
 * A variant's loop on its own, for profilers that run a whole process (0x, Clinic doctor): load the
 * scenario, set the variant up, run its loop for the given time, tear down, exit. No IPC; one JSON
 * argument (RunnerSpec). Started with tsx registered and --expose-gc, like the measuring children.
 *
 * A failure is one line on stderr (`perfkit-runner: …`) and exit code 1, which the driver reports.
 */
import { pathToFileURL } from 'node:url'
import type { MicroScenario, Params, Scenario, SetupContext } from '../config/types.ts'
import { redact } from '../errors.ts'
import { MicroMeasurer } from '../engine/micro-child.ts'

export interface RunnerSpec {
  file: string
  index: number
  scenario: string
  variant: string
  params: Params
  durationMs: number
  /** Let timers run this often (ms), so samplers that live on timers see the loop. @default never */
  yieldEveryMs?: number
}

let phase = 'load'

function fail(error: unknown): never {
  const message = error instanceof Error ? error.message || error.name : String(error)
  process.stderr.write(`perfkit-runner: ${phase}: ${redact(message).replace(/\s*\n\s*/g, ' | ')}\n`)
  process.exit(1)
}

process.on('unhandledRejection', fail)
process.on('uncaughtException', fail)

async function main(spec: RunnerSpec): Promise<void> {
  const module = (await import(pathToFileURL(spec.file).href)) as { default?: unknown }
  const exported = (Array.isArray(module.default) ? module.default[spec.index] : module.default) as Scenario | undefined
  if (!exported || exported.name !== spec.scenario) throw new Error(`scenario "${spec.scenario}" is no longer in ${spec.file}`)
  const fn = (exported as MicroScenario).variants[spec.variant]
  if (!fn) throw new Error(`variant "${spec.variant}" is no longer in scenario "${spec.scenario}"`)
  phase = 'setup'
  const controller = new AbortController()
  const context: SetupContext = { params: spec.params, variant: spec.variant, scenario: spec.scenario, signal: controller.signal }
  const state = exported.setup ? await exported.setup(context) : undefined
  const measurer = new MicroMeasurer(fn, state)
  phase = 'calibration'
  await measurer.calibrate()
  phase = 'loop'
  await measurer.runFor(spec.durationMs, spec.yieldEveryMs)
  phase = 'teardown'
  controller.abort()
  if (exported.teardown) await exported.teardown(state, context)
}

await main(JSON.parse(process.argv[2] ?? '{}') as RunnerSpec).catch(fail)
// End the way a finished program does ('beforeExit' lets samplers flush), even if the scenario left a
// handle open: then say beforeExit ourselves, and leave after a grace period.
setTimeout(() => {
  process.emit('beforeExit', 0)
  setTimeout(() => process.exit(0), 3000).unref()
}, 1000).unref()

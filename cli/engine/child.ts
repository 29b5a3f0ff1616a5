/**
 * Entry point of a variant's child process (started with tsx registered and --expose-gc).
 * It loads the scenario file, runs setup for one variant and then answers the parent's requests
 * one at a time. Ctrl-C is the parent's to handle: the child ignores SIGINT and is stopped by it.
 */
import { pathToFileURL } from 'node:url'
import { redact } from '../errors.ts'
import type { MicroScenario, Scenario, SetupContext } from '../config/types.ts'
import type { ChildMessage, ParentMessage } from './protocol.ts'
import { MicroMeasurer } from './micro-child.ts'

process.on('SIGINT', () => {})

let phase = 'load'
let scenario: Scenario | undefined
let variantName = ''
let state: unknown
let context: SetupContext | undefined
let measurer: MicroMeasurer | undefined
let setupDone = false
const controller = new AbortController()

function send(message: ChildMessage): void {
  process.send?.(message)
}

function describe(error: unknown): { message: string; stack?: string } {
  if (error instanceof Error) return { message: redact(error.message || error.name), stack: error.stack ? redact(error.stack) : undefined }
  return { message: redact(String(error)) }
}

function fail(error: unknown): void {
  send({ type: 'error', phase, ...describe(error) })
}

// Work a variant starts and never awaits can still fail; that is the variant's error.
process.on('unhandledRejection', (reason) => {
  fail(reason)
  process.exitCode = 1
})
process.on('uncaughtException', (error) => {
  fail(error)
  setTimeout(() => process.exit(1), 50)
})
process.on('disconnect', () => process.exit(0))

async function handle(message: ParentMessage): Promise<ChildMessage> {
  switch (message.type) {
    case 'load': {
      phase = 'load'
      const module = (await import(pathToFileURL(message.file).href)) as { default?: unknown }
      const exported = Array.isArray(module.default) ? module.default[message.index] : module.default
      scenario = exported as Scenario
      if (!scenario || scenario.name !== message.scenario) throw new Error(`scenario "${message.scenario}" is no longer in ${message.file}`)
      if (!(message.variant in scenario.variants)) throw new Error(`variant "${message.variant}" is no longer in scenario "${message.scenario}"`)
      variantName = message.variant
      return { type: 'loaded' }
    }
    case 'setup': {
      phase = 'setup'
      context = { params: message.params, variant: variantName, scenario: scenario!.name, signal: controller.signal }
      state = scenario!.setup ? await scenario!.setup(context) : undefined
      setupDone = true
      const fn = (scenario as MicroScenario).variants[variantName]!
      measurer = new MicroMeasurer(fn, state)
      return { type: 'setup-done' }
    }
    case 'calibrate':
      phase = 'calibration'
      return { type: 'calibrated', ...(await measurer!.calibrate()) }
    case 'round':
      phase = message.warmup ? 'warm-up' : `round ${message.index + 1}`
      return { type: 'round', ...(await measurer!.round(message.timeMs, message.warmup)) }
    case 'memory':
      phase = 'memory pass'
      return { type: 'memory', ...(await measurer!.memory(message.budgetMs)) }
    case 'trace':
      phase = 'traced pass'
      return { type: 'trace', breakdown: await measurer!.trace(message.budgetMs, message.maxOps) }
    case 'profile': {
      phase = 'profile'
      const { profileLoop } = await import('../profile/inspector.ts')
      return { type: 'profile', ...(await profileLoop(measurer!, message)) }
    }
    case 'counters':
      phase = 'counters'
      return { type: 'counters', counters: scenario!.counters ? sanitizeCounters(await scenario!.counters(state)) : null }
    case 'finish': {
      phase = 'teardown'
      controller.abort()
      if (setupDone && scenario!.teardown) await scenario!.teardown(state, context!)
      const usage = process.resourceUsage()
      const memory = process.memoryUsage()
      return {
        type: 'finished',
        process: { peakRssBytes: usage.maxRSS * 1024, heapUsedBytes: memory.heapUsed, gc: measurer ? { ...measurer.gc } : { count: 0, totalMs: 0 } },
      }
    }
    case 'start':
    case 'snapshot':
    case 'profile-window':
      throw new Error(`bug: the load message "${message.type}" reached a micro variant's process`)
  }
}

function sanitizeCounters(raw: unknown): Record<string, number> {
  const counters: Record<string, number> = {}
  if (typeof raw !== 'object' || raw === null) throw new Error('counters(state) must return an object of numbers')
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`counters(state).${key} is not a finite number`)
    counters[key] = value
  }
  return counters
}

process.on('message', (message: ParentMessage) => {
  handle(message).then(send, fail)
})


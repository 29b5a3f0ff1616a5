/**
 * Entry point of a load cell's child process: one variant at one level (started with tsx
 * registered, --expose-gc and the cell's heap ceiling). It loads the scenario file, runs setup,
 * builds the variant's system and drives it (load-driver.ts), answering the parent's requests one
 * at a time. Ctrl-C is the parent's to handle.
 */
import { pathToFileURL } from 'node:url'
import { redact } from '../errors.ts'
import type { LoadScenario, LoadStart, Scenario, SetupContext } from '../config/types.ts'
import type { ChildMessage, ParentMessage } from './protocol.ts'
import { LoadDriver, SkipSignal } from './load-driver.ts'

process.on('SIGINT', () => {})

let phase = 'load'
let scenario: LoadScenario | undefined
let variantName = ''
let state: unknown
let context: SetupContext | undefined
let driver: LoadDriver | undefined
let setupDone = false
const controller = new AbortController()

function send(message: ChildMessage): void {
  process.send?.(message)
}

function describe(error: unknown): { message: string; stack?: string } {
  if (error instanceof Error) return { message: redact(error.message || error.name), ...(error.stack ? { stack: redact(error.stack) } : {}) }
  return { message: redact(String(error)) }
}

function fail(error: unknown): void {
  send({ type: 'error', phase, ...describe(error) })
}

// Work the system starts and never awaits can still fail; that is the variant's error.
process.on('unhandledRejection', (reason) => {
  fail(reason)
  process.exitCode = 1
})
process.on('uncaughtException', (error) => {
  fail(error)
  setTimeout(() => process.exit(1), 50)
})
process.on('disconnect', () => process.exit(0))

function startOf(variant: unknown): LoadStart {
  return typeof variant === 'function' ? (variant as LoadStart) : (variant as { start: LoadStart }).start
}

async function countersOf(): Promise<Record<string, number>> {
  const counters: Record<string, number> = { ...driver?.counters() }
  if (scenario?.counters && setupDone) Object.assign(counters, await scenario.counters(state))
  for (const [key, value] of Object.entries(counters)) {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`counters: "${key}" is not a finite number`)
  }
  return counters
}

async function handle(message: ParentMessage): Promise<ChildMessage> {
  switch (message.type) {
    case 'load': {
      phase = 'load'
      const module = (await import(pathToFileURL(message.file).href)) as { default?: unknown }
      const exported = Array.isArray(module.default) ? module.default[message.index] : module.default
      const found = exported as Scenario | undefined
      if (!found || found.name !== message.scenario) throw new Error(`scenario "${message.scenario}" is no longer in ${message.file}`)
      if (found.kind !== 'load') throw new Error(`scenario "${message.scenario}" is no longer a load scenario`)
      if (!(message.variant in found.variants)) throw new Error(`variant "${message.variant}" is no longer in scenario "${message.scenario}"`)
      scenario = found
      variantName = message.variant
      return { type: 'loaded' }
    }
    case 'setup': {
      phase = 'setup'
      context = { params: message.params, variant: variantName, scenario: scenario!.name, signal: controller.signal }
      state = scenario!.setup ? await scenario!.setup(context) : undefined
      setupDone = true
      return { type: 'setup-done' }
    }
    case 'start': {
      phase = 'start'
      driver = new LoadDriver(startOf(scenario!.variants[variantName]), { ...context!, state }, message)
      try {
        await driver.begin()
      } catch (error) {
        if (error instanceof SkipSignal) return { type: 'started', skipped: error.reason }
        throw error
      }
      phase = 'warm-up'
      return { type: 'started' }
    }
    case 'profile-window': {
      phase = 'start'
      driver = new LoadDriver(startOf(scenario!.variants[variantName]), { ...context!, state }, { ...message, seriesEveryMs: message.durationMs })
      try {
        await driver.begin()
      } catch (error) {
        if (error instanceof SkipSignal) throw new Error(`the variant skipped itself: ${error.reason}`)
        throw error
      }
      phase = 'warm-up'
      await driver.until('window')
      phase = 'profile'
      const { startCpuProfile } = await import('../profile/inspector.ts')
      const profiler = await startCpuProfile(message.samplingIntervalUs)
      try {
        await driver.until('done')
      } catch (error) {
        await profiler.cancel()
        throw error
      }
      await profiler.stop(message.file)
      const figures = driver.figures()
      return { type: 'profile', ops: figures.completed, durationMs: figures.windowMs ?? message.durationMs }
    }
    case 'snapshot': {
      const snapshot = driver!.snapshot()
      phase = snapshot.phase === 'done' ? 'window' : snapshot.phase
      return {
        type: 'snapshot',
        phase: snapshot.phase,
        ...(snapshot.figures ? { figures: snapshot.figures } : {}),
        counters: await countersOf(),
        ...(snapshot.failure !== undefined ? { failure: describe(snapshot.failure) } : {}),
      }
    }
    case 'finish': {
      phase = 'teardown'
      controller.abort()
      await driver?.stop()
      if (setupDone && scenario!.teardown) await scenario!.teardown(state, context!)
      // A cell's memory and GC are in its figures (the window's); this is only the process's lifetime peak.
      const usage = process.resourceUsage()
      return { type: 'finished', process: { peakRssBytes: usage.maxRSS * 1024, heapUsedBytes: process.memoryUsage().heapUsed, gc: { count: 0, totalMs: 0 } } }
    }
    default:
      throw new Error(`bug: the message "${message.type}" reached a load cell's process`)
  }
}

process.on('message', (message: ParentMessage) => {
  handle(message).then(send, fail)
})

/**
 * Entry point of a load cell's child process: one variant at one level (started with tsx
 * registered, --expose-gc and the cell's heap ceiling). It loads the scenario file, runs setup,
 * builds the variant's system and drives it (load-driver.ts), answering the parent's requests one
 * at a time. Ctrl-C is the parent's to handle.
 */
import type { LoadScenario } from '../config/types.ts'
import { ChildRuntime, describeError, importScenario, processFigures, sanitizeCounters, ScenarioLife } from './child-runtime.ts'
import type { ChildMessage, ParentMessage } from './protocol.ts'
import { beginProfiled, LoadDriver, loadStartOf, SkipSignal } from './load-driver.ts'

const child = new ChildRuntime<ParentMessage, ChildMessage>('load')
child.reportStrayErrors()

let life: ScenarioLife<LoadScenario> | undefined
let driver: LoadDriver | undefined

async function countersOf(): Promise<Record<string, number>> {
  const counters: Record<string, number> = { ...driver?.counters() }
  if (life?.scenario.counters && life.isSetUp) Object.assign(counters, await life.scenario.counters(life.state))
  return sanitizeCounters(counters)
}

async function handle(message: ParentMessage): Promise<ChildMessage> {
  switch (message.type) {
    case 'load':
      child.phase = 'load'
      life = new ScenarioLife((await importScenario(message, 'load')) as LoadScenario, message.variant)
      return { type: 'loaded' }
    case 'setup':
      child.phase = 'setup'
      await life!.setup(message.params)
      return { type: 'setup-done' }
    case 'start': {
      child.phase = 'start'
      driver = new LoadDriver(loadStartOf(life!.scenario.variants[life!.variant]!), { ...life!.context!, state: life!.state }, message)
      try {
        await driver.begin()
      } catch (error) {
        if (error instanceof SkipSignal) return { type: 'started', skipped: error.reason }
        throw error
      }
      child.phase = 'warm-up'
      return { type: 'started' }
    }
    case 'profile-window': {
      child.phase = 'start'
      driver = new LoadDriver(loadStartOf(life!.scenario.variants[life!.variant]!), { ...life!.context!, state: life!.state }, { ...message, seriesEveryMs: message.durationMs })
      await beginProfiled(driver)
      child.phase = 'warm-up'
      await driver.until('window')
      child.phase = 'profile'
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
      child.phase = snapshot.phase === 'done' ? 'window' : snapshot.phase
      return {
        type: 'snapshot',
        phase: snapshot.phase,
        ...(snapshot.figures ? { figures: snapshot.figures } : {}),
        counters: await countersOf(),
        ...(snapshot.failure !== undefined ? { failure: describeError(snapshot.failure) } : {}),
      }
    }
    case 'finish': {
      child.phase = 'teardown'
      await life?.finish(() => driver?.stop())
      // A cell's memory and GC are in its figures (the window's); this is only the process's lifetime peak.
      return { type: 'finished', process: processFigures() }
    }
    default:
      throw new Error(`bug: the message "${message.type}" reached a load cell's process`)
  }
}

child.serve(handle)

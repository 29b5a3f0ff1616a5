/**
 * Entry point of a variant's child process (started with tsx registered and --expose-gc).
 * It loads the scenario file, runs setup for one variant and then answers the parent's requests
 * one at a time (child-runtime.ts). Ctrl-C is the parent's to handle: the child ignores SIGINT and is stopped by it.
 */
import type { MicroScenario } from '../config/types.ts'
import { ChildRuntime, importScenario, processFigures, sanitizeCounters, ScenarioLife } from './child-runtime.ts'
import type { ChildMessage, ParentMessage } from './protocol.ts'
import { MicroMeasurer } from './micro-child.ts'

const child = new ChildRuntime<ParentMessage, ChildMessage>('load')
child.reportStrayErrors()

let life: ScenarioLife | undefined
let measurer: MicroMeasurer | undefined

async function handle(message: ParentMessage): Promise<ChildMessage> {
  switch (message.type) {
    case 'load':
      child.phase = 'load'
      life = new ScenarioLife(await importScenario(message), message.variant)
      return { type: 'loaded' }
    case 'setup': {
      child.phase = 'setup'
      await life!.setup(message.params)
      const fn = (life!.scenario as MicroScenario).variants[life!.variant]!
      measurer = new MicroMeasurer(fn, life!.state)
      return { type: 'setup-done' }
    }
    case 'calibrate':
      child.phase = 'calibration'
      return { type: 'calibrated', ...(await measurer!.calibrate()) }
    case 'round':
      child.phase = message.warmup ? 'warm-up' : `round ${message.index + 1}`
      return { type: 'round', ...(await measurer!.round(message.timeMs, message.warmup)) }
    case 'memory':
      child.phase = 'memory pass'
      return { type: 'memory', ...(await measurer!.memory(message.budgetMs)) }
    case 'trace':
      child.phase = 'traced pass'
      return { type: 'trace', breakdown: await measurer!.trace(message.budgetMs, message.maxOps) }
    case 'profile': {
      child.phase = 'profile'
      const { profileLoop } = await import('../profile/inspector.ts')
      return { type: 'profile', ...(await profileLoop(measurer!, message)) }
    }
    case 'counters': {
      child.phase = 'counters'
      const { scenario, state } = life!
      return { type: 'counters', counters: scenario.counters ? sanitizeCounters(await scenario.counters(state)) : null }
    }
    case 'finish':
      child.phase = 'teardown'
      await life?.finish()
      return { type: 'finished', process: processFigures(measurer ? { ...measurer.gc } : undefined) }
    case 'start':
    case 'snapshot':
    case 'profile-window':
      throw new Error(`bug: the load message "${message.type}" reached a micro variant's process`)
  }
}

child.serve(handle)

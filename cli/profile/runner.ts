/**
 * A variant on its own, for profilers that run a whole process (0x, Clinic doctor): load the scenario,
 * set the variant up, exercise it for the given time, tear down, exit. No IPC; one JSON argument
 * (RunnerSpec). Started with tsx registered and --expose-gc, like the measuring children.
 *
 * - micro: the variant's loop;
 * - load: the variant's system driven by `level` producers (load-driver.ts) through a warm-up and a window;
 * - http: the variant's server on 127.0.0.1 — the thing under test — while perfkit drives it from its own
 *   process. No IPC reaches a process 0x or doctor starts, so they talk through files in `controlDir`:
 *   the runner writes `ready.json` (`{ port }`) once listening, perfkit writes `stop` when its load is done.
 *
 * A failure is one line on stderr (`perfkit-runner: …`) and exit code 1, which the driver reports.
 */
import { existsSync, renameSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { HttpScenario, LoadScenario, LoadStart, MicroScenario, Scenario, SetupContext } from '../config/types.ts'
import { redact } from '../errors.ts'
import { LoadDriver, SkipSignal } from '../engine/load-driver.ts'
import { MicroMeasurer } from '../engine/micro-child.ts'
import { resolveServerFactory, startServer } from '../engine/http-server.ts'
import { CONTROL_FILES, type RunnerSpec } from './runner-spec.ts'

/** How often an http runner looks for the `stop` file, ms. */
const STOP_POLL_MS = 50

let phase = 'load'

function fail(error: unknown): never {
  const message = error instanceof Error ? error.message || error.name : String(error)
  process.stderr.write(`perfkit-runner: ${phase}: ${redact(message).replace(/\s*\n\s*/g, ' | ')}\n`)
  process.exit(1)
}

process.on('unhandledRejection', fail)
process.on('uncaughtException', fail)

async function runMicro(scenario: MicroScenario, spec: Extract<RunnerSpec, { kind: 'micro' }>, state: unknown): Promise<void> {
  const measurer = new MicroMeasurer(scenario.variants[spec.variant]!, state)
  phase = 'calibration'
  await measurer.calibrate()
  phase = 'loop'
  await measurer.runFor(spec.durationMs, spec.yieldEveryMs)
}

async function runLoad(scenario: LoadScenario, spec: Extract<RunnerSpec, { kind: 'load' }>, context: SetupContext, state: unknown): Promise<void> {
  const variant = scenario.variants[spec.variant]!
  const start = (typeof variant === 'function' ? variant : variant.start) as LoadStart
  const driver = new LoadDriver(start, { ...context, state }, { level: spec.level, warmupMs: spec.warmupMs, durationMs: spec.durationMs, seriesEveryMs: spec.durationMs })
  phase = 'start'
  try {
    await driver.begin()
  } catch (error) {
    if (error instanceof SkipSignal) throw new Error(`the variant skipped itself: ${error.reason}`)
    throw error
  }
  phase = 'window'
  try {
    await driver.until('done')
  } finally {
    await driver.stop()
  }
}

async function runHttp(scenario: HttpScenario, spec: Extract<RunnerSpec, { kind: 'http' }>, context: SetupContext, state: unknown): Promise<void> {
  phase = 'start'
  const factory = await resolveServerFactory(scenario.variants[spec.variant]!, spec.file)
  const server = await startServer(factory, { ...context, state })
  const ready = path.join(spec.controlDir, CONTROL_FILES.ready)
  writeFileSync(`${ready}.tmp`, JSON.stringify({ port: server.port }))
  renameSync(`${ready}.tmp`, ready)
  phase = 'serving'
  const listening = Date.now()
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (existsSync(path.join(spec.controlDir, CONTROL_FILES.stop))) {
        clearInterval(timer)
        resolve()
      } else if (Date.now() - listening > spec.maxServeMs) {
        clearInterval(timer)
        reject(new Error(`no word from perfkit's load generator within ${spec.maxServeMs} ms`))
      }
    }, STOP_POLL_MS)
  })
  phase = 'teardown'
  await server.close()
}

async function main(spec: RunnerSpec): Promise<void> {
  const module = (await import(pathToFileURL(spec.file).href)) as { default?: unknown }
  const exported = (Array.isArray(module.default) ? module.default[spec.index] : module.default) as Scenario | undefined
  if (!exported || exported.name !== spec.scenario) throw new Error(`scenario "${spec.scenario}" is no longer in ${spec.file}`)
  if (!(spec.variant in exported.variants)) throw new Error(`variant "${spec.variant}" is no longer in scenario "${spec.scenario}"`)
  phase = 'setup'
  const controller = new AbortController()
  const context: SetupContext = { params: spec.params, variant: spec.variant, scenario: spec.scenario, signal: controller.signal }
  const state = exported.setup ? await exported.setup(context) : undefined
  if (spec.kind === 'load') await runLoad(exported as LoadScenario, spec, context, state)
  else if (spec.kind === 'http') await runHttp(exported as HttpScenario, spec, context, state)
  else await runMicro(exported as MicroScenario, spec, state)
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

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
import type { HttpScenario, LoadScenario, MicroScenario, SetupContext } from '../config/types.ts'
import { redact } from '../errors.ts'
import { importScenario, ScenarioLife } from '../engine/child-runtime.ts'
import { beginProfiled, LoadDriver, loadStartOf } from '../engine/load-driver.ts'
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
  const driver = new LoadDriver(loadStartOf(scenario.variants[spec.variant]!), { ...context, state }, { level: spec.level, warmupMs: spec.warmupMs, durationMs: spec.durationMs, seriesEveryMs: spec.durationMs })
  phase = 'start'
  await beginProfiled(driver)
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
  const life = new ScenarioLife(await importScenario(spec, spec.kind), spec.variant)
  phase = 'setup'
  const context = await life.setup(spec.params)
  if (spec.kind === 'load') await runLoad(life.scenario as LoadScenario, spec, context, life.state)
  else if (spec.kind === 'http') await runHttp(life.scenario as HttpScenario, spec, context, life.state)
  else await runMicro(life.scenario as MicroScenario, spec, life.state)
  phase = 'teardown'
  await life.finish()
}

await main(JSON.parse(process.argv[2] ?? '{}') as RunnerSpec).catch(fail)
// End the way a finished program does ('beforeExit' lets samplers flush), even if the scenario left a
// handle open: then say beforeExit ourselves, and leave after a grace period.
setTimeout(() => {
  process.emit('beforeExit', 0)
  setTimeout(() => process.exit(0), 3000).unref()
}, 1000).unref()

/**
 * CPU profile capture inside a variant's process, with the inspector's profiler switched on for the
 * measured window only: the set-up, the warm-up and the JIT's first compilations stay out of it.
 */
import { writeFile } from 'node:fs/promises'
import { Session } from 'node:inspector/promises'

export interface ProfileWindow {
  /** Operations the variant ran while profiled (micro: calls; load: events handled; http: requests answered). */
  ops: number
  /** Length of the profiled window, ms. */
  durationMs: number
}

export interface LoopRunner {
  runFor(durationMs: number): Promise<ProfileWindow>
}

/** The inspector's CPU profiler, running; `stop` writes the `.cpuprofile`, `cancel` drops it. */
export interface RunningCpuProfile {
  stop(file: string): Promise<void>
  cancel(): Promise<void>
}

/** Warm-up before the window: long enough for the optimising compiler to settle on the loop. */
const WARMUP_MS = { min: 100, max: 500 }

/**
 * Starts the CPU profiler in this process. Profiles are megabytes, so `stop` writes the file here
 * rather than sending the profile to the parent.
 */
export async function startCpuProfile(samplingIntervalUs: number): Promise<RunningCpuProfile> {
  const session = new Session()
  session.connect()
  try {
    await session.post('Profiler.enable')
    await session.post('Profiler.setSamplingInterval', { interval: samplingIntervalUs })
    await session.post('Profiler.start')
  } catch (error) {
    session.disconnect()
    throw error
  }
  return {
    async stop(file) {
      try {
        const { profile } = await session.post('Profiler.stop')
        await writeFile(file, JSON.stringify(profile))
      } finally {
        session.disconnect()
      }
    },
    async cancel() {
      await session.post('Profiler.stop').catch(() => undefined)
      session.disconnect()
    },
  }
}

/** Runs the variant's loop for `durationMs` under the CPU profiler and writes the `.cpuprofile` to `file`. */
export async function profileLoop(runner: LoopRunner, request: { durationMs: number; file: string; samplingIntervalUs: number }): Promise<ProfileWindow> {
  await runner.runFor(Math.max(WARMUP_MS.min, Math.min(WARMUP_MS.max, request.durationMs / 4)))
  const profiler = await startCpuProfile(request.samplingIntervalUs)
  let window: ProfileWindow
  try {
    window = await runner.runFor(request.durationMs)
  } catch (error) {
    await profiler.cancel()
    throw error
  }
  await profiler.stop(request.file)
  return window
}

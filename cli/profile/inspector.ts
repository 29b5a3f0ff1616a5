/**
 * CPU profile capture inside a variant's child process, with the inspector's profiler switched on for
 * the measured window only: the set-up, the warm-up and the JIT's first compilations stay out of it.
 */
import { writeFile } from 'node:fs/promises'
import { Session } from 'node:inspector/promises'

export interface ProfileWindow {
  /** Operations the variant ran while profiled. */
  ops: number
  /** Length of the profiled window, ms. */
  durationMs: number
}

export interface LoopRunner {
  runFor(durationMs: number): Promise<ProfileWindow>
}

/** Warm-up before the window: long enough for the optimising compiler to settle on the loop. */
const WARMUP_MS = { min: 100, max: 500 }

/** Runs the variant's loop for `durationMs` under the CPU profiler and writes the `.cpuprofile` to `file`. */
export async function profileLoop(runner: LoopRunner, request: { durationMs: number; file: string; samplingIntervalUs: number }): Promise<ProfileWindow> {
  await runner.runFor(Math.max(WARMUP_MS.min, Math.min(WARMUP_MS.max, request.durationMs / 4)))
  const session = new Session()
  session.connect()
  try {
    await session.post('Profiler.enable')
    await session.post('Profiler.setSamplingInterval', { interval: request.samplingIntervalUs })
    await session.post('Profiler.start')
    let window: ProfileWindow
    try {
      window = await runner.runFor(request.durationMs)
    } catch (error) {
      await session.post('Profiler.stop').catch(() => undefined)
      throw error
    }
    const { profile } = await session.post('Profiler.stop')
    await writeFile(request.file, JSON.stringify(profile))
    return window
  } finally {
    session.disconnect()
  }
}

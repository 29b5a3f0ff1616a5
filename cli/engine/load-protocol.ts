/**
 * The messages a load cell adds to the child protocol (protocol.ts). A cell's child is loaded and
 * set up like a micro variant's (`load`, `setup`, `finish`); then `start` begins the warm-up and the
 * window and returns at once, and the parent polls `snapshot` until the window is done — so a
 * child that dies mid-window (out of memory) still leaves its last figures behind.
 */
import type { LoadFigures } from '../result/schema.ts'

export type LoadParentMessage =
  | { type: 'start'; level: number; warmupMs: number; durationMs: number; seriesEveryMs: number }
  | { type: 'snapshot' }
  /**
   * Profiling (perfkit profile, run --profile): build the system, warm it up, then drive it for
   * `durationMs` with the inspector's CPU profiler on, and write the `.cpuprofile` to `file`. Answered
   * with `{ type: 'profile', ops, durationMs }`: the events handled in the window and its length.
   */
  | { type: 'profile-window'; level: number; warmupMs: number; durationMs: number; file: string; samplingIntervalUs: number }

export type LoadPhase = 'warm-up' | 'window' | 'done'

export interface LoadSnapshot {
  type: 'snapshot'
  phase: LoadPhase
  /** Figures of the window so far (absent during the warm-up). */
  figures?: LoadFigures
  /** What the system's `counters()` and the scenario's `counters(state)` returned. */
  counters?: Record<string, number>
  /** Set when the system failed (its emit threw, or it called `fail`): the cell is errored. */
  failure?: { message: string; stack?: string }
}

export type LoadChildMessage =
  /** The system was built and the producers started; `skipped` when the variant called `skip`. */
  | { type: 'started'; skipped?: string }
  | LoadSnapshot

/**
 * Messages between the parent (scheduler) and a variant's child process. One request is
 * outstanding per child at a time; every request gets exactly one reply or an `error`.
 */
import type { Params } from '../config/types.ts'
import type { Breakdown, MemoryStats, ProcessStats } from '../result/schema.ts'
import type { LoadChildMessage, LoadParentMessage } from './load-protocol.ts'

export type ParentMessage =
  | { type: 'load'; file: string; index: number; scenario: string; variant: string }
  | { type: 'setup'; params: Params }
  | { type: 'calibrate' }
  | { type: 'round'; index: number; timeMs: number; warmup: boolean }
  | { type: 'memory'; budgetMs: number }
  | { type: 'trace'; budgetMs: number; maxOps: number }
  | { type: 'counters' }
  /**
   * Profiling, never during timed rounds: warm up, then run the variant's loop for `durationMs` under the
   * inspector's CPU profiler and write the `.cpuprofile` to `file` (written by the child: profiles are
   * megabytes, too big to send back).
   */
  | { type: 'profile'; durationMs: number; file: string; samplingIntervalUs: number }
  | { type: 'finish' }
  | LoadParentMessage

export interface Calibration {
  /** Operations per timed sample. */
  batch: number
  /** Rough cost of one op from the warm-up, ns. */
  estimateNs: number
  /** Cost of an empty function in the same kind of loop, ns: the floor of what can be resolved. */
  noopNs: number
  async: boolean
}

export interface RoundReply {
  type: 'round'
  /** Per-op time of each sample, ns. */
  samplesNs: Float64Array
  batch: number
  gc: { count: number; totalMs: number }
  /** Timer-saturation reasons tinybench reported. */
  warnings: string[]
}

export type ChildMessage =
  | { type: 'loaded' }
  | { type: 'setup-done' }
  | ({ type: 'calibrated' } & Calibration)
  | RoundReply
  | { type: 'memory'; memory: MemoryStats | null; note?: string }
  | { type: 'trace'; breakdown: Breakdown | null }
  | { type: 'counters'; counters: Record<string, number> | null }
  | { type: 'profile'; ops: number; durationMs: number }
  | { type: 'finished'; process: ProcessStats }
  | { type: 'error'; phase: string; message: string; stack?: string; exitCode?: number }
  | LoadChildMessage

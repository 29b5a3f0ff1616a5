/**
 * Messages between the parent (scheduler) and a variant's child process. One request is
 * outstanding per child at a time; every request gets exactly one reply or an `error`.
 */
import type { Params } from '../config/types.ts'
import type { Breakdown, MemoryStats, ProcessStats } from '../result/schema.ts'

export type ParentMessage =
  | { type: 'load'; file: string; index: number; scenario: string; variant: string }
  | { type: 'setup'; params: Params }
  | { type: 'calibrate' }
  | { type: 'round'; index: number; timeMs: number; warmup: boolean }
  | { type: 'memory'; budgetMs: number }
  | { type: 'trace'; budgetMs: number; maxOps: number }
  | { type: 'counters' }
  | { type: 'finish' }

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
  | { type: 'finished'; process: ProcessStats }
  | { type: 'error'; phase: string; message: string; stack?: string; exitCode?: number }

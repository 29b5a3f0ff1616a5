/**
 * Messages between the http scheduler (parent) and a variant's server process (http-child.ts).
 * Same rules as the micro protocol: one request outstanding at a time, each answered once, and
 * failures reported as `{ type: 'error', phase, message }`, which VariantProcess turns into a
 * ChildFailure. The load itself never crosses this channel: it goes over HTTP on 127.0.0.1.
 */
import type { Params } from '../config/types.ts'
import type { Breakdown, ProcessStats } from '../result/schema.ts'

export type HttpParentMessage =
  /** Load the scenario file, run `setup`, build the variant's server and listen on 127.0.0.1:0. */
  | { type: 'start'; file: string; index: number; scenario: string; variant: string; params: Params }
  /** A window of load begins (`label`: 'warm-up', 'round 3' … — what a crash in it is reported as): reset the server-side counters. */
  | { type: 'round-start'; label: string }
  /** The window ended: report what the server saw. */
  | { type: 'round-end' }
  /** The traced pass: every request wrapped in `traceOp` until `trace-stop`. */
  | { type: 'trace-start' }
  | { type: 'trace-stop' }
  | { type: 'counters' }
  /**
   * Profiling (perfkit profile, run --profile), never during timed rounds: the inspector's CPU profiler
   * runs in the server from `profile-start` to `profile-stop`, which writes the `.cpuprofile` to `file`.
   */
  | { type: 'profile-start'; samplingIntervalUs: number }
  | { type: 'profile-stop'; file: string }
  /** Stop listening, close the server and run `teardown`. */
  | { type: 'finish' }

export interface ServerReady {
  type: 'ready'
  port: number
  /** From the start request to listening: loading the server module, `setup` and the factory, ms. */
  startMs: number
  /** Resident memory once listening, before any request. */
  rssBytes: number
}

/** What the server process saw during one measured window. */
export interface ServerWindow {
  type: 'round-end'
  /** Requests the server answered (finished responses) in the window. */
  handled: number
  /** CPU time of the server process over the window, as a fraction of one core. */
  cpu: number
  /** The same CPU time in nanoseconds (÷ handled = the server's CPU cost of one request). */
  cpuNs: number
  gc: { count: number; totalMs: number }
  /** Highest resident memory sampled during the window (every 20 ms and at its end). */
  peakRssBytes: number
  heapUsedBytes: number
}

export type HttpChildMessage =
  | ServerReady
  | { type: 'round-started' }
  | ServerWindow
  | { type: 'trace-started' }
  | { type: 'trace'; breakdown: Breakdown | null; requests: number }
  | { type: 'counters'; counters: Record<string, number> | null }
  | { type: 'profile-started' }
  /** The profiled window: requests the server answered in it, and its length, ms. */
  | { type: 'profile'; ops: number; durationMs: number }
  | { type: 'finished'; process: ProcessStats }
  | { type: 'error'; phase: string; message: string; stack?: string }

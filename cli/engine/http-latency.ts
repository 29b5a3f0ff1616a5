/**
 * Per-request latency at sub-microsecond resolution: every response's time, as autocannon's client
 * measured it with process.hrtime (its own percentiles round to whole milliseconds), recorded in
 * nanoseconds into an HdrHistogram that keeps three significant digits (0.1 %) at any magnitude.
 */
import { build, type Histogram } from 'hdr-histogram-js'
import type { LatencyPercentiles } from '../result/schema.ts'

/** A histogram of latencies in nanoseconds, 1 ns to any value (it resizes), 3 significant digits. */
export function latencyHistogram(): Histogram {
  return build({ lowestDiscernibleValue: 1, numberOfSignificantValueDigits: 3, autoResize: true })
}

/** Records one latency in nanoseconds (values below 1 ns count as 1). */
export function recordLatency(histogram: Histogram, ns: number): void {
  histogram.recordValue(Math.max(1, Math.round(ns)))
}

/** The histogram's percentiles in nanoseconds; all zero when it recorded nothing. */
export function latencyPercentiles(histogram: Histogram): LatencyPercentiles {
  const count = histogram.totalCount
  if (count === 0) return { count: 0, meanNs: 0, p50Ns: 0, p90Ns: 0, p99Ns: 0, p999Ns: 0, maxNs: 0 }
  return {
    count,
    meanNs: histogram.mean,
    p50Ns: histogram.getValueAtPercentile(50),
    p90Ns: histogram.getValueAtPercentile(90),
    p99Ns: histogram.getValueAtPercentile(99),
    p999Ns: histogram.getValueAtPercentile(99.9),
    maxNs: histogram.maxValue,
  }
}

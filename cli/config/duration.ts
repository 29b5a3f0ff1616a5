import type { Duration } from './types.ts'

const UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000 }

/**
 * Parses a duration into milliseconds: a number (already ms) or text such as `500ms`, `2s`, `1.5m`.
 * Returns undefined for anything else, so each caller can name its own flag or key in the error.
 */
export function parseDuration(value: Duration): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? value : undefined
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ns|us|µs|ms|s|m|min|h)?\s*$/.exec(value)
  if (!match) return undefined
  const amount = Number(match[1]) * UNITS[match[2] ?? 'ms']!
  return amount > 0 ? amount : undefined
}

export function formatDurationMs(ms: number): string {
  if (ms >= 60_000) return `${+(ms / 60_000).toFixed(1)}m`
  if (ms >= 1000) return `${+(ms / 1000).toFixed(2)}s`
  return `${+ms.toFixed(1)}ms`
}

/**
 * Number formatting shared by every reporter (HTML, terminal, Markdown).
 *
 * Pure functions that return plain text: no HTML, no colour codes, no locale (a report must read the
 * same on every machine). Figures keep three significant digits and carry their unit, scaled so the
 * number stays below 1000: `812 ns`, `1.23 µs`, `2.50 kB`, `1.23 M/s`.
 */
import type { AnyVariantResult, CaseTiming } from '../result/schema.ts'

/** What a formatter returns for a figure that does not exist (NaN, ±Infinity, undefined). */
export const MISSING = '—'

export interface Unit {
  /** The unit's symbol, e.g. `'µs'`. */
  symbol: string
  /** How many base units (ns, bytes …) one of this unit holds. */
  size: number
}

/** Time units for figures held in nanoseconds. */
export const DURATION_UNITS: readonly Unit[] = [
  { symbol: 'ns', size: 1 },
  { symbol: 'µs', size: 1e3 },
  { symbol: 'ms', size: 1e6 },
  { symbol: 's', size: 1e9 },
]

/** Decimal (SI) memory units for figures held in bytes: 1 kB = 1000 B. */
export const BYTE_UNITS: readonly Unit[] = [
  { symbol: 'B', size: 1 },
  { symbol: 'kB', size: 1e3 },
  { symbol: 'MB', size: 1e6 },
  { symbol: 'GB', size: 1e9 },
  { symbol: 'TB', size: 1e12 },
]

/** SI prefixes for counts and rates. */
export const COUNT_UNITS: readonly Unit[] = [
  { symbol: '', size: 1 },
  { symbol: 'k', size: 1e3 },
  { symbol: 'M', size: 1e6 },
  { symbol: 'G', size: 1e9 },
]

function isMissing(value: number | undefined | null): value is undefined | null {
  return value === undefined || value === null || !Number.isFinite(value)
}

/**
 * `value` with `digits` significant digits, never in exponent notation; trailing zeros are kept so
 * a column of figures lines up (`1.20`). Numbers with more integer digits than `digits` are rounded
 * to a whole number rather than losing digits (`12346`, not `12300`).
 */
export function formatNumber(value: number, digits = 3): string {
  if (isMissing(value)) return MISSING
  if (value === 0) return '0'
  // Round first: 9.996 must become 10.0 (three digits), not 10.00.
  const rounded = Number(value.toPrecision(digits))
  const magnitude = Math.floor(Math.log10(Math.abs(rounded)))
  if (magnitude >= digits - 1) return Math.round(value).toString()
  return rounded.toFixed(digits - 1 - magnitude)
}

/**
 * The unit in which `value` reads as a number in [1, 1000), the smallest unit for values below one
 * of it, the largest for values beyond. Used to pick one unit for a whole chart axis or column.
 */
export function pickUnit(value: number, units: readonly Unit[]): Unit {
  const magnitude = Math.abs(value)
  let chosen = units[0]
  if (!Number.isFinite(magnitude)) return chosen
  for (const unit of units) {
    // Compare the rounded figure so 999.7 ns becomes 1.00 µs, not "1000 ns".
    if (Number((magnitude / unit.size).toPrecision(3)) >= 1) chosen = unit
  }
  return chosen
}

function formatScaled(value: number, units: readonly Unit[], digits: number, separator: string): string {
  if (isMissing(value)) return MISSING
  const unit = pickUnit(value, units)
  const scaled = value / unit.size
  const smallest = unit === units[0]
  // Whole counts of the base unit (512 B, 40 ops) need no decimals.
  const text = smallest && Number.isInteger(scaled) ? scaled.toString() : formatNumber(scaled, digits)
  return unit.symbol === '' ? text : `${text}${separator}${unit.symbol}`
}

/** A duration given in nanoseconds: `812 ns`, `1.23 µs`, `45.6 ms`, `2.00 s`. */
export function formatDuration(ns: number | undefined, digits = 3): string {
  return formatScaled(ns as number, DURATION_UNITS, digits, ' ')
}

/** A duration given in milliseconds, formatted like {@link formatDuration}. */
export function formatMs(ms: number | undefined, digits = 3): string {
  return isMissing(ms) ? MISSING : formatDuration(ms * 1e6, digits)
}

/** A size in bytes, decimal units: `512 B`, `2.50 kB`, `1.23 MB`. Negative heap deltas keep their sign. */
export function formatBytes(bytes: number | undefined, digits = 3): string {
  return formatScaled(bytes as number, BYTE_UNITS, digits, ' ')
}

/** A count with an SI prefix: `999`, `1.23 k`, `4.56 M`. */
export function formatCount(count: number | undefined, digits = 3): string {
  return formatScaled(count as number, COUNT_UNITS, digits, ' ')
}

/** A whole count with thousands separated by commas: `2000` → `2,000`, `18421.4` → `18,421`. */
export function formatInteger(count: number | undefined): string {
  if (isMissing(count)) return MISSING
  return Math.round(count).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}

/** A rate per second: `456/s`, `12.3 k/s`, `1.23 M/s`. */
export function formatRate(perSecond: number | undefined, digits = 3): string {
  if (isMissing(perSecond)) return MISSING
  return `${formatCount(perSecond, digits)}/s`
}

/** A ratio such as variant time / baseline time: `1.23×`, `0.987×`, `12.3×`. */
export function formatRatio(ratio: number | undefined, digits = 3): string {
  if (isMissing(ratio)) return MISSING
  return `${formatNumber(ratio, digits)}×`
}

/** A ratio interval: `1.18×–1.29×`. */
export function formatRatioInterval(interval: { low: number; high: number } | undefined): string {
  if (!interval || isMissing(interval.low) || isMissing(interval.high)) return MISSING
  return `${formatRatio(interval.low)}–${formatRatio(interval.high)}`
}

export interface PercentOptions {
  /** Prefix positive values with `+` (for changes). @default false */
  signed?: boolean
}

/**
 * A fraction as a percentage: 0.05 → `5.0%`, 0.234 → `23%`, 0.0053 → `0.53%`. Decimals shrink as the
 * figure grows: two below 1 %, one below 10 %, none above.
 */
export function formatPercent(fraction: number | undefined, options: PercentOptions = {}): string {
  if (isMissing(fraction)) return MISSING
  const percent = fraction * 100
  const magnitude = Math.abs(percent)
  const decimals = magnitude === 0 ? 0 : magnitude < 1 ? 2 : magnitude < 10 ? 1 : 0
  let text = percent.toFixed(decimals)
  // -0.001 rounds to "-0.00": say 0 without a sign.
  if (Number(text) === 0) text = (0).toFixed(decimals)
  const sign = options.signed && Number(text) > 0 ? '+' : ''
  return `${sign}${text}%`
}

/** How much slower (+) or faster (−) a ratio is, as a signed percentage: 1.234 → `+23%`, 0.95 → `-5.0%`. */
export function formatChange(ratio: number | undefined): string {
  if (isMissing(ratio)) return MISSING
  return formatPercent(ratio - 1, { signed: true })
}

/** A p-value: `< 0.001`, `0.034`, `0.5`. */
export function formatPValue(p: number | undefined): string {
  if (isMissing(p)) return MISSING
  if (p < 0.001) return '< 0.001'
  return Number(p.toPrecision(2)).toString()
}

/** An ISO timestamp as `2025-03-04 12:34:56 UTC`; text that is not a date comes back unchanged. */
export function formatDate(iso: string | undefined): string {
  if (!iso) return MISSING
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`
}

/** A figure in the unit a chart's axis uses, to six significant digits (what a chart needs, no more). */
export function inUnit(value: number, unit: Unit): number {
  return Number((value / unit.size).toPrecision(6))
}

/** `3 scenarios`, `1 budget`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}

/** `git 1a2b3c4d5e (dirty)`: the commit a run measured. */
export function gitText(git: { commit: string; dirty: boolean }): string {
  return `git ${git.commit.slice(0, 10)}${git.dirty ? ' (dirty)' : ''}`
}

/**
 * Why a variant has no complete figures, in words (empty when it completed): the same sentence in the
 * terminal, Markdown and JUnit. A load cell still running after its window is a finding, said as such.
 */
export function variantStateText(variant: AnyVariantResult): string {
  switch (variant.state) {
    case 'completed':
      return ''
    case 'errored':
      return `errored in ${variant.phase}: ${variant.error.message}`
    case 'timeout':
      return 'level' in variant && (variant.phase === 'window' || variant.phase === 'warm-up')
        ? `still running ${formatDuration(variant.timeoutMs * 1e6)} after its window should have ended (in ${variant.phase})`
        : `timed out in ${variant.phase} after ${formatDuration(variant.timeoutMs * 1e6)}`
    case 'oom':
      return `out of memory after ${formatDuration(variant.afterMs * 1e6)}${variant.maxMemoryMB ? ` (ceiling ${variant.maxMemoryMB} MB)` : ''}`
    case 'skipped':
      return `skipped: ${variant.reason}`
    case 'interrupted':
      return 'interrupted'
  }
}

/** The words a case's timing (ScenarioResult.timing) is shown with, in the order its time is spent. */
export const TIMING_PHASES: ReadonlyArray<[keyof CaseTiming, string]> = [
  ['start', 'process start-up and scenario load'],
  ['setup', 'setup'],
  ['warmup', 'warm-up and calibration'],
  ['rounds', 'timed rounds'],
  ['passes', 'memory and traced passes'],
  ['teardown', 'teardown'],
]

import { describe, expect, it } from 'vitest'
import {
  BYTE_UNITS,
  DURATION_UNITS,
  MISSING,
  formatBytes,
  formatChange,
  formatCount,
  formatDate,
  formatDuration,
  formatInteger,
  formatMs,
  formatNumber,
  formatPValue,
  formatPercent,
  formatRate,
  formatRatio,
  formatRatioInterval,
  pickUnit,
} from '../../cli/report/format.ts'

describe('formatNumber', () => {
  it.each([
    [0, '0'],
    [1, '1.00'],
    [1.234, '1.23'],
    [12.345, '12.3'],
    [123.45, '123'],
    [0.5, '0.500'],
    [0.01234, '0.0123'],
    [9.996, '10.0'],
    [99.96, '100'],
    [12345.6, '12346'],
    [-1.234, '-1.23'],
  ])('%s → %s', (value, expected) => {
    expect(formatNumber(value)).toBe(expected)
  })

  it('honours the digits argument', () => {
    expect(formatNumber(3.14159, 5)).toBe('3.1416')
    expect(formatNumber(3.14159, 1)).toBe('3')
  })

  it.each([NaN, Infinity, -Infinity])('%s is missing', (value) => {
    expect(formatNumber(value)).toBe(MISSING)
  })
})

describe('formatDuration (nanoseconds in)', () => {
  it.each([
    [0, '0 ns'],
    [0.42, '0.420 ns'],
    [812, '812 ns'],
    [812.4, '812 ns'],
    [999.6, '1.00 µs'],
    [1234, '1.23 µs'],
    [160_000, '160 µs'],
    [45_600_000, '45.6 ms'],
    [2e9, '2.00 s'],
    [1_500e9, '1500 s'],
    [-2500, '-2.50 µs'],
  ])('%s ns → %s', (ns, expected) => {
    expect(formatDuration(ns)).toBe(expected)
  })

  it('is missing for undefined and non-finite values', () => {
    expect(formatDuration(undefined)).toBe(MISSING)
    expect(formatDuration(NaN)).toBe(MISSING)
  })

  it('formatMs takes milliseconds', () => {
    expect(formatMs(2.5)).toBe('2.50 ms')
    expect(formatMs(0.04)).toBe('40.0 µs')
    expect(formatMs(undefined)).toBe(MISSING)
  })
})

describe('formatBytes (decimal units)', () => {
  it.each([
    [0, '0 B'],
    [512, '512 B'],
    [30.5, '30.5 B'],
    [2500, '2.50 kB'],
    [2487.3, '2.49 kB'],
    [999_999, '1.00 MB'],
    [1_234_567, '1.23 MB'],
    [512e6, '512 MB'],
    [8.6e9, '8.60 GB'],
    [-2048, '-2.05 kB'],
  ])('%s B → %s', (bytes, expected) => {
    expect(formatBytes(bytes)).toBe(expected)
  })
})

describe('formatCount and formatRate', () => {
  it.each([
    [0, '0'],
    [999, '999'],
    [12.5, '12.5'],
    [1234, '1.23 k'],
    [6_250_000, '6.25 M'],
    [3e9, '3.00 G'],
  ])('count %s → %s', (n, expected) => {
    expect(formatCount(n)).toBe(expected)
  })

  it('formats whole counts with thousands separators', () => {
    expect(formatInteger(0)).toBe('0')
    expect(formatInteger(999)).toBe('999')
    expect(formatInteger(2000)).toBe('2,000')
    expect(formatInteger(18_421.4)).toBe('18,421')
    expect(formatInteger(-1_234_567)).toBe('-1,234,567')
    expect(formatInteger(undefined)).toBe(MISSING)
  })

  it('rates end in /s', () => {
    expect(formatRate(456)).toBe('456/s')
    expect(formatRate(12_345)).toBe('12.3 k/s')
    expect(formatRate(undefined)).toBe(MISSING)
  })
})

describe('ratios, changes and percentages', () => {
  it.each([
    [1, '1.00×'],
    [1.234, '1.23×'],
    [0.9871, '0.987×'],
    [12.34, '12.3×'],
    [160.4, '160×'],
  ])('ratio %s → %s', (r, expected) => {
    expect(formatRatio(r)).toBe(expected)
  })

  it('formats an interval as low–high', () => {
    expect(formatRatioInterval({ low: 1.18, high: 1.294 })).toBe('1.18×–1.29×')
    expect(formatRatioInterval({ low: NaN, high: 1 })).toBe(MISSING)
    expect(formatRatioInterval(undefined)).toBe(MISSING)
  })

  it.each([
    [0, '0%'],
    [0.0053, '0.53%'],
    [0.05, '5.0%'],
    [0.234, '23%'],
    [0.99, '99%'],
    [1.5, '150%'],
    [-0.052, '-5.2%'],
  ])('percent %s → %s', (fraction, expected) => {
    expect(formatPercent(fraction)).toBe(expected)
  })

  it('signs changes and never shows -0', () => {
    expect(formatPercent(0.05, { signed: true })).toBe('+5.0%')
    expect(formatPercent(-0.00001, { signed: true })).toBe('0.00%')
    expect(formatChange(1.234)).toBe('+23%')
    expect(formatChange(0.95)).toBe('-5.0%')
    expect(formatChange(1)).toBe('0%')
  })
})

describe('formatPValue', () => {
  it.each([
    [0.0001, '< 0.001'],
    [0.001, '0.001'],
    [0.0342, '0.034'],
    [0.5, '0.5'],
    [1, '1'],
  ])('%s → %s', (p, expected) => {
    expect(formatPValue(p)).toBe(expected)
  })
})

describe('formatDate', () => {
  it('prints UTC without milliseconds', () => {
    expect(formatDate('2025-03-04T12:34:56.789Z')).toBe('2025-03-04 12:34:56 UTC')
    expect(formatDate('2025-03-04T13:34:56+01:00')).toBe('2025-03-04 12:34:56 UTC')
  })

  it('returns text that is not a date unchanged', () => {
    expect(formatDate('yesterday-ish')).toBe('yesterday-ish')
    expect(formatDate(undefined)).toBe(MISSING)
  })
})

describe('pickUnit', () => {
  it('picks the unit that keeps the figure in [1, 1000)', () => {
    expect(pickUnit(0, DURATION_UNITS).symbol).toBe('ns')
    expect(pickUnit(999, DURATION_UNITS).symbol).toBe('ns')
    expect(pickUnit(1000, DURATION_UNITS).symbol).toBe('µs')
    expect(pickUnit(3.2e12, DURATION_UNITS).symbol).toBe('s')
    expect(pickUnit(2.5e6, BYTE_UNITS).symbol).toBe('MB')
    expect(pickUnit(NaN, BYTE_UNITS).symbol).toBe('B')
  })
})

describe('one statistic per row: the micro table', () => {
  it('shows ops/s as 1 / the median it shows as time/op, and the rounds with their processes', async () => {
    const { microScenario, completedVariant } = await import('../support/results.ts')
    const { renderScenario } = await import('../../cli/report/console.ts')
    const s = microScenario({ name: 'consistent', baseline: 'a', variants: [completedVariant({ name: 'a', medianNs: 36_500 }), completedVariant({ name: 'b', medianNs: 40_000 })] })
    const text = renderScenario(s, { color: false })
    for (const v of s.variants) {
      if (v.state !== 'completed') continue
      expect(v.stats.opsPerSec).toBeCloseTo(1e9 / v.stats.medianNs, 6)
      const row = text.split('\n').find((line) => line.trimStart().startsWith(`${v.name}`) && line.includes('µs'))!
      expect(row).toContain(formatDuration(v.stats.medianNs))
      expect(row).toContain(formatCount(1e9 / v.stats.medianNs))
    }
  })
})

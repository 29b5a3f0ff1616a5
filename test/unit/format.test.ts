import { describe, expect, it } from 'vitest'
import { formatBytes, formatCount, formatDuration, formatPercent, formatRatio } from '../../cli/report/format.ts'

describe('format', () => {
  it('scales durations from nanoseconds', () => {
    expect(formatDuration(1.234)).toBe('1.23 ns')
    expect(formatDuration(999)).toBe('999 ns')
    expect(formatDuration(1500)).toBe('1.50 µs')
    expect(formatDuration(160_224)).toBe('160 µs')
    expect(formatDuration(2.55e6)).toBe('2.55 ms')
    expect(formatDuration(12.3e9)).toBe('12.3 s')
    expect(formatDuration(Number.NaN)).toBe('—')
  })
  it('scales bytes, counts, ratios and percents', () => {
    expect(formatBytes(512)).toBe('512 B')
    expect(formatBytes(2470)).toBe('2.47 kB')
    expect(formatBytes(180e6)).toBe('180 MB')
    expect(formatCount(950)).toBe('950')
    expect(formatCount(12_345)).toBe('12.3k')
    expect(formatCount(4_560_000)).toBe('4.56M')
    expect(formatRatio(1.234)).toBe('1.23×')
    expect(formatPercent(0.123)).toBe('12%')
    expect(formatPercent(0.0123)).toBe('1.2%')
  })
})

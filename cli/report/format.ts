/** Number formatting shared by every reporter. Pure; no markup. */

/** Nanoseconds → `12.3 ns`, `4.56 µs`, `7.89 ms`, `1.23 s`, with three significant digits. */
export function formatDuration(ns: number): string {
  if (!Number.isFinite(ns)) return '—'
  const abs = Math.abs(ns)
  if (abs < 1e3) return `${sig(ns)} ns`
  if (abs < 1e6) return `${sig(ns / 1e3)} µs`
  if (abs < 1e9) return `${sig(ns / 1e6)} ms`
  return `${sig(ns / 1e9)} s`
}

/** Bytes → `512 B`, `2.4 kB`, `180 MB` (decimal units). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '—'
  const abs = Math.abs(bytes)
  if (abs < 1e3) return `${Math.round(bytes)} B`
  if (abs < 1e6) return `${sig(bytes / 1e3)} kB`
  if (abs < 1e9) return `${sig(bytes / 1e6)} MB`
  return `${sig(bytes / 1e9)} GB`
}

/** A ratio → `1.23×`. */
export function formatRatio(ratio: number): string {
  if (!Number.isFinite(ratio)) return '—'
  return `${ratio >= 10 ? ratio.toFixed(1) : ratio.toFixed(2)}×`
}

/** A fraction → `12.3%`. */
export function formatPercent(fraction: number): string {
  if (!Number.isFinite(fraction)) return '—'
  const pct = fraction * 100
  return `${Math.abs(pct) >= 10 ? pct.toFixed(0) : pct.toFixed(1)}%`
}

/** A count or rate → `950`, `12.3k`, `4.56M`. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return '—'
  const abs = Math.abs(n)
  if (abs < 1e3) return `${+n.toFixed(abs < 10 ? 2 : 0)}`
  if (abs < 1e6) return `${sig(n / 1e3)}k`
  if (abs < 1e9) return `${sig(n / 1e6)}M`
  return `${sig(n / 1e9)}G`
}

function sig(value: number): string {
  const abs = Math.abs(value)
  if (abs >= 100) return value.toFixed(0)
  if (abs >= 10) return value.toFixed(1)
  return value.toFixed(2)
}

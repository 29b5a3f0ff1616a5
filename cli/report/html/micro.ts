/**
 * Sections of a micro scenario: verdicts, ratio chart, latency distribution and percentiles, latency
 * breakdown, memory and GC, counters. Each is one function from the scenario to markup (EMPTY when the
 * scenario has nothing for it); `MICRO_SECTIONS` lists them in page order.
 */
import type { Comparison, MicroScenarioResult, VariantCompleted, VariantResult } from '../../result/schema.ts'
import {
  DURATION_UNITS,
  MISSING,
  formatBytes,
  formatChange,
  formatDuration,
  formatInteger,
  formatMs,
  formatPercent,
  formatRate,
  formatRatio,
  formatRatioInterval,
  pickUnit,
  type Unit,
  inUnit,
} from '../format.ts'
import { breakdownChart, phaseNames, roundsChart, UNATTRIBUTED } from './charts.ts'
import { block, budgetsSection, claimsSection, countersTable, flamegraphSection, pValueText, sortByRank, stateBadge, variantLabel, variantProblem, verdictBadge, warningsSection, type Section } from './common.ts'
import { VERDICT_COLOURS, variantColours, withAlpha } from './context.ts'
import { EMPTY, html, table, type SafeHtml } from './markup.ts'

type Micro = MicroScenarioResult

const STATE_ORDER: Record<VariantResult['state'], number> = { completed: 0, errored: 1, timeout: 2, interrupted: 3 }

/**
 * The order every table and chart lists variants in: the baseline, then compared variants from the
 * fastest ratio to the slowest, then completed variants without a comparison (by median), then the
 * ones that did not complete.
 */
export function orderVariants(s: Micro): VariantResult[] {
  const ratio = new Map(s.comparisons.map((c) => [c.variant, c.ratio.estimate]))
  const rank = (v: VariantResult): [number, number] => {
    if (v.isBaseline || v.name === s.baseline) return [0, 0]
    if (v.state === 'completed') return ratio.has(v.name) ? [1, ratio.get(v.name)!] : [2, v.stats.medianNs]
    return [3 + (STATE_ORDER[v.state] ?? 9), 0]
  }
  return sortByRank(s.variants, rank)
}

function completed(variants: readonly VariantResult[]): VariantCompleted[] {
  return variants.filter((v): v is VariantCompleted => v.state === 'completed')
}

function level(c: Comparison): string {
  return formatPercent(c.ratio.level)
}

/** One sentence per comparison: what a reader came to learn. */
function headline(c: Comparison): SafeHtml {
  const figures = `${formatRatio(c.ratio.estimate)}; ${level(c)} interval ${formatRatioInterval(c.ratio)}, ${pValueText(c.pValue)}`
  const band = `±${formatPercent(c.minEffect)}`
  switch (c.verdict) {
    case 'slower':
      return html`<strong>${c.variant}</strong> is <strong class="t-slower">${formatPercent(c.ratio.estimate - 1)} slower</strong> than ${c.baseline} (${figures}).`
    case 'faster':
      return html`<strong>${c.variant}</strong> is <strong class="t-faster">${formatPercent(1 - c.ratio.estimate)} faster</strong> than ${c.baseline} (${figures}).`
    case 'same':
      return html`<strong>${c.variant}</strong> is <strong class="t-same">the same</strong> as ${c.baseline} within ${band} (${figures}).`
    default:
      return html`<strong>${c.variant}</strong> <strong class="t-inconclusive">cannot yet be told apart</strong> from ${c.baseline}: ${inconclusiveReason(c)} (${figures}). More rounds (a longer <code>--time</code>) would decide.`
  }
}

/** Why a comparison is inconclusive: its interval straddles an edge of the band, or the test is not significant. */
function inconclusiveReason(c: Comparison): string {
  const band = `±${formatPercent(c.minEffect)}`
  const crosses = (edge: number) => c.ratio.low < edge && c.ratio.high > edge
  if (crosses(1 + c.minEffect) || crosses(1 - c.minEffect)) return `the interval straddles the edge of the ${band} band`
  if (c.pValue >= c.alpha) return `the rank test is not significant at α = ${c.alpha}`
  return 'the interval and the rank test disagree'
}

function variantName(v: VariantResult): SafeHtml {
  return html`${variantLabel(v)}${v.flags.length ? html` <span class="flag" title="${v.flags.map((f) => f.code).join(', ')}">⚑</span>` : ''}`
}

/** The decision table: time, throughput, ratio and verdict per variant, failures with their message. */
export const verdictSection: Section<Micro> = (s) => {
  const ordered = orderVariants(s)
  if (ordered.length === 0) return block('Results', html`<p class="empty">This scenario has no variants.</p>`)
  const comparisons = new Map(s.comparisons.map((c) => [c.variant, c]))
  const stats = (v: VariantResult) => (v.state === 'completed' ? v.stats : undefined)
  const levelText = formatPercent(s.settings.level)
  const tableHtml = table<VariantResult>(
    [
      { header: 'Variant', cell: variantName },
      { header: 'Time/op', cell: (v) => formatDuration(stats(v)?.medianNs), numeric: true, help: 'Median time per operation over all samples' },
      { header: 'p99', cell: (v) => formatDuration(stats(v)?.p99Ns), numeric: true },
      { header: 'Throughput', cell: (v) => formatRate(stats(v)?.opsPerSec), numeric: true, help: 'Operations per second' },
      {
        header: 'vs baseline',
        numeric: true,
        help: 'Variant time ÷ baseline time, from paired round medians',
        cell: (v) => (v.isBaseline ? (v.state === 'completed' ? html`<span class="muted">1×</span>` : MISSING) : comparisons.has(v.name) ? html`${formatRatio(comparisons.get(v.name)!.ratio.estimate)} <span class="muted">(${formatChange(comparisons.get(v.name)!.ratio.estimate)})</span>` : MISSING),
      },
      { header: `${levelText} interval`, numeric: true, cell: (v) => formatRatioInterval(comparisons.get(v.name)?.ratio) },
      {
        header: 'Verdict',
        cell: (v) => {
          if (v.isBaseline) return html`<span class="badge muted">baseline</span>`
          const c = comparisons.get(v.name)
          if (!c) return html`<span class="muted">${v.state === 'completed' ? 'no baseline to compare' : 'not compared'}</span>`
          return html`${verdictBadge(c.verdict)} <span class="pvalue">${pValueText(c.pValue)}</span>`
        },
      },
      { header: 'Memory/op', cell: (v) => (v.state === 'completed' && v.memory ? formatBytes(v.memory.bytesPerOp) : MISSING), numeric: true, help: 'Heap bytes allocated per operation' },
      { header: 'State', cell: (v) => stateBadge(v.state) },
    ],
    ordered,
    { className: 'verdicts', detail: (v) => variantProblem(v), rowClass: (v) => `variant-${v.state}` },
  )
  const lines = orderVariants(s).flatMap((v) => (comparisons.has(v.name) ? [headline(comparisons.get(v.name)!)] : []))
  const baseline = s.variants.find((v) => v.name === s.baseline)
  const notes: SafeHtml[] = []
  if (completed(s.variants).length === 0) notes.push(html`<p class="callout warn">No variant completed, so this scenario has no timings to compare.</p>`)
  else if (!baseline) notes.push(html`<p class="callout warn">The baseline <strong>${s.baseline}</strong> is not among the variants, so nothing was compared.</p>`)
  else if (baseline.state !== 'completed') notes.push(html`<p class="callout warn">The baseline <strong>${s.baseline}</strong> did not complete (${baseline.state}), so no variant could be compared with it.</p>`)
  const summary = lines.length ? html`<ul class="headlines">${lines.map((l) => html`<li>${l}</li>`)}</ul>` : EMPTY
  return block(
    'Results',
    html`${summary}${notes}${tableHtml}`,
    `"Slower" and "faster" need p < ${s.settings.alpha} and a ${levelText} interval that excludes 1× and reaches past ±${formatPercent(s.settings.minEffect)} (the minimum effect); "same" needs the whole interval inside ±${formatPercent(s.settings.minEffect)}. Time/op is per operation${ordered.some((v) => v.state === 'completed' && v.stats.batch > 1) ? ', batched operations divided out' : ''}.`,
  )
}

function durationUnitFor(values: number[]): Unit {
  return pickUnit(Math.max(...values, 0), DURATION_UNITS)
}


/** Variant/baseline ratios as intervals around 1, with the ± minimum-effect band shaded. */
export const ratioChartSection: Section<Micro> = (s, ctx) => {
  const order = orderVariants(s).map((v) => v.name)
  const comparisons = [...s.comparisons].sort((a, b) => order.indexOf(a.variant) - order.indexOf(b.variant))
  if (comparisons.length === 0) return EMPTY
  const minEffect = s.settings.minEffect
  const low = Math.min(1 - minEffect, ...comparisons.map((c) => c.ratio.low))
  const high = Math.max(1 + minEffect, ...comparisons.map((c) => c.ratio.high))
  const logarithmic = high / low > 4
  const pad = logarithmic ? 1.15 : (high - low) * 0.08
  const colours = comparisons.map((c) => VERDICT_COLOURS[c.verdict] ?? '#334155')
  const figure = ctx.chart({
    label: `Ratio of each variant's time to ${s.baseline}'s, with ${formatPercent(s.settings.level)} intervals`,
    height: 70 + 44 * comparisons.length,
    caption: html`Each bar is the ${formatPercent(s.settings.level)} interval of <em>variant time ÷ ${s.baseline} time</em>, the diamond its estimate. Left of the dashed line at 1× is faster; the shaded band is ±${formatPercent(minEffect)}, the smallest change that counts.`,
    config: {
      type: 'bar',
      data: {
        labels: comparisons.map((c) => c.variant),
        datasets: [
          {
            type: 'bar',
            label: `${formatPercent(s.settings.level)} interval`,
            data: comparisons.map((c) => [c.ratio.low, c.ratio.high]),
            backgroundColor: colours.map((c) => withAlpha(c, 0.3)),
            borderColor: colours,
            borderWidth: 1.5,
            borderSkipped: false,
            barPercentage: 0.55,
            categoryPercentage: 0.9,
            grouped: false,
            order: 2,
          },
          {
            type: 'line',
            label: 'estimate',
            data: comparisons.map((c) => c.ratio.estimate),
            showLine: false,
            pointStyle: 'rectRot',
            pointRadius: 7,
            pointHoverRadius: 8,
            pointBackgroundColor: colours,
            pointBorderColor: '#0f172a',
            pointBorderWidth: 1,
            order: 1,
          },
        ],
      },
      options: {
        indexAxis: 'y',
        scales: {
          x: {
            type: logarithmic ? 'logarithmic' : 'linear',
            // Bars start at zero by default; a ratio axis is read around 1.
            beginAtZero: false,
            suggestedMin: logarithmic ? low / pad : Math.max(0, low - pad),
            suggestedMax: logarithmic ? high * pad : high + pad,
            title: { display: true, text: `variant time ÷ ${s.baseline} time (×)` },
          },
          y: { grid: { display: false } },
        },
        plugins: {
          legend: { display: false },
          perfkitBand: { axis: 'x', from: 1 - minEffect, to: 1 + minEffect, at: 1 },
        },
      },
    },
    tooltips: [
      comparisons.map((c) => [`${level(c)} interval ${formatRatioInterval(c.ratio)}`, `${pValueText(c.pValue)} (${c.test}, n = ${c.n})`]),
      comparisons.map((c) => `${formatRatio(c.ratio.estimate)} (${formatChange(c.ratio.estimate)}): ${c.verdict}`),
    ],
  })
  return block('Ratio to baseline', figure)
}

/** Per-round medians as box plots, and each variant's percentile curve. */
export const latencySection: Section<Micro> = (s, ctx) => {
  const ordered = orderVariants(s)
  const withRounds = ordered.filter((v) => v.rounds.length > 0)
  const done = completed(ordered)
  if (withRounds.length === 0 && done.length === 0) return EMPTY
  const colours = variantColours(ordered)
  const parts: SafeHtml[] = []

  if (withRounds.length > 0) {
    const unit = durationUnitFor(withRounds.flatMap((v) => v.rounds.map((r) => r.medianNs)))
    parts.push(
      roundsChart(ctx, {
        label: 'Distribution of per-round median time per operation, per variant',
        caption: html`One point per round: the round's median time per op (${unit.symbol}). The box spans the middle half of the rounds, the line inside is their median; a tight box means the rounds agreed.`,
        variants: withRounds,
        colours,
        series: 'per-round median',
        values: (v) => v.rounds.map((r) => inUnit(r.medianNs, unit)),
        axis: `median time per op per round (${unit.symbol})`,
        tooltips: (v) => {
          const medians = v.rounds.map((r) => r.medianNs).sort((a, b) => a - b)
          return [`${v.rounds.length} round${v.rounds.length === 1 ? '' : 's'}`, `middle round ${formatDuration(medians[medians.length >> 1])}`, `range ${formatDuration(medians[0])} – ${formatDuration(medians[medians.length - 1])}`]
        },
      }),
    )
  }

  if (done.length > 0) {
    const points = [
      { label: 'min', get: (v: VariantCompleted) => v.stats.minNs },
      { label: 'p50', get: (v: VariantCompleted) => v.stats.medianNs },
      { label: 'p75', get: (v: VariantCompleted) => v.stats.p75Ns },
      { label: 'p99', get: (v: VariantCompleted) => v.stats.p99Ns },
      { label: 'p99.9', get: (v: VariantCompleted) => v.stats.p999Ns },
      { label: 'max', get: (v: VariantCompleted) => v.stats.maxNs },
    ]
    const values = done.flatMap((v) => points.map((p) => p.get(v))).filter((x) => Number.isFinite(x) && x > 0)
    const smallest = Math.min(...values)
    const largest = Math.max(...values)
    const logarithmic = smallest > 0 && largest / smallest > 8
    // A log axis reads best in the unit of its middle; a linear one in the unit of its top.
    const unit = logarithmic ? pickUnit(Math.sqrt(smallest * largest), DURATION_UNITS) : durationUnitFor(values)
    parts.push(
      ctx.chart({
        label: 'Latency percentiles per variant, from minimum to maximum',
        height: 300,
        caption: html`Time per op at each percentile of the samples (${unit.symbol}${logarithmic ? ', logarithmic axis' : ''}). Curves that rise late have a long tail.`,
        config: {
          type: 'line',
          data: {
            labels: points.map((p) => p.label),
            datasets: done.map((v) => ({
              label: v.name,
              data: points.map((p) => inUnit(p.get(v), unit)),
              borderColor: colours.get(v.name),
              backgroundColor: colours.get(v.name),
              pointRadius: 3.5,
              borderWidth: 2,
              tension: 0,
            })),
          },
          options: {
            scales: {
              y: { type: logarithmic ? 'logarithmic' : 'linear', beginAtZero: !logarithmic, title: { display: true, text: `time per op (${unit.symbol})` } },
              x: { title: { display: true, text: 'percentile' } },
            },
            plugins: { legend: { position: 'bottom' } },
          },
        },
        tooltips: done.map((v) => points.map((p) => `${v.name} ${p.label}: ${formatDuration(p.get(v))}`)),
      }),
    )
  }

  const percentileTable = done.length
    ? table<VariantCompleted>(
        [
          { header: 'Variant', cell: variantName },
          { header: 'min', cell: (v) => formatDuration(v.stats.minNs), numeric: true },
          { header: 'p50', cell: (v) => formatDuration(v.stats.medianNs), numeric: true },
          { header: 'mean', cell: (v) => formatDuration(v.stats.meanNs), numeric: true },
          { header: 'p75', cell: (v) => formatDuration(v.stats.p75Ns), numeric: true },
          { header: 'p99', cell: (v) => formatDuration(v.stats.p99Ns), numeric: true },
          { header: 'p99.9', cell: (v) => formatDuration(v.stats.p999Ns), numeric: true },
          { header: 'max', cell: (v) => formatDuration(v.stats.maxNs), numeric: true },
          { header: 'sd', cell: (v) => formatDuration(v.stats.sdNs), numeric: true },
          { header: 'cv of rounds', cell: (v) => formatPercent(v.stats.cv), numeric: true, help: 'Spread of the per-round medians (standard deviation ÷ mean)' },
          { header: 'rounds', cell: (v) => String(v.stats.rounds), numeric: true },
          { header: 'samples', cell: (v) => formatInteger(v.stats.samples), numeric: true },
          { header: 'ops/sample', cell: (v) => String(v.stats.batch), numeric: true, help: 'Operations batched into one timed sample' },
        ],
        done,
        { className: 'percentiles' },
      )
    : EMPTY
  return block('Latency distribution', html`<div class="charts-2">${parts}</div>${percentileTable}`)
}

/** Where the time goes: each variant's traced phases plus the unattributed rest, as stacked bars. */
export const breakdownSection: Section<Micro> = (s, ctx) => {
  const traced = completed(orderVariants(s)).filter((v) => v.breakdown && v.breakdown.phases.length + (v.breakdown.restMeanNs > 0 ? 1 : 0) > 0)
  if (traced.length === 0) return EMPTY
  const figure = breakdownChart(ctx, {
    label: 'Latency breakdown: mean time per operation in each traced phase, stacked per variant',
    height: 90 + 46 * traced.length,
    caption: (unit) => html`Mean self time per op in each traced phase (${unit.symbol}); grey is time inside the op no phase accounts for. From a separate traced pass, so totals can differ slightly from the timed figures.${traced.some((v) => v.breakdown!.overlapping) ? html` ${traced.filter((v) => v.breakdown!.overlapping).map((v) => v.name).join(', ')}: phases ran concurrently, so their bars add up to more than the op took.` : EMPTY}`,
    axis: 'mean time per op',
    bars: traced.map((v) => ({ label: v.name, breakdown: v.breakdown! })),
  })
  const cell = (mean: number | undefined, share: number | undefined) => (mean === undefined ? MISSING : html`${formatDuration(mean)} <span class="muted">${formatPercent(share)}</span>`)
  const rows = [...phaseNames(traced.map((v) => v.breakdown!)), UNATTRIBUTED, 'total traced']
  const breakdownTable = table<string>(
    [
      { header: 'Phase', cell: (name) => (name === UNATTRIBUTED || name === 'total traced' ? html`<em>${name}</em>` : name) },
      ...traced.map((v) => ({
        header: v.name,
        numeric: true,
        cell: (name: string) => {
          const b = v.breakdown!
          if (name === 'total traced') return html`${formatDuration(b.totalMeanNs)} <span class="muted">${formatInteger(b.ops)} ops</span>`
          if (name === UNATTRIBUTED) return b.overlapping ? html`<span class="muted" title="phases ran concurrently: their times overlap">overlap</span>` : cell(b.restMeanNs, b.restShare)
          const phase = b.phases.find((p) => p.name === name)
          return cell(phase?.meanNs, phase?.share)
        },
      })),
    ],
    rows,
    { className: 'breakdown' },
  )
  return block('Latency breakdown', html`${figure}${breakdownTable}`)
}

/** Bytes per op, peak RSS and GC per variant. */
export const memorySection: Section<Micro> = (s) => {
  const rows = orderVariants(s).filter((v) => (v.state === 'completed' && v.memory) || v.process)
  if (rows.length === 0) return EMPTY
  const memory = (v: VariantResult) => (v.state === 'completed' ? v.memory : undefined)
  const body = table<VariantResult>(
    [
      { header: 'Variant', cell: variantName },
      { header: 'Memory/op', cell: (v) => formatBytes(memory(v)?.bytesPerOp), numeric: true, help: 'Heap growth per op between forced GCs, over GC-free batches' },
      { header: 'Batches', cell: (v) => (memory(v) ? `${memory(v)!.batches.length} × ${formatInteger(memory(v)!.opsPerBatch)} ops` : MISSING), numeric: true },
      { header: 'Discarded', cell: (v) => (memory(v) ? String(memory(v)!.discarded) : MISSING), numeric: true, help: 'Batches thrown away because a GC ran inside them' },
      { header: 'Peak RSS', cell: (v) => formatBytes(v.process?.peakRssBytes), numeric: true },
      { header: 'Heap used', cell: (v) => formatBytes(v.process?.heapUsedBytes), numeric: true },
      { header: 'GC runs', cell: (v) => (v.process ? String(v.process.gc.count) : MISSING), numeric: true },
      { header: 'GC time', cell: (v) => formatMs(v.process?.gc.totalMs), numeric: true },
    ],
    rows,
    { className: 'memory' },
  )
  return block('Memory and GC', body, 'Peak RSS, heap and GC are per variant child process, over the whole measurement.')
}

/** What each variant counted while it ran (conflicts, retries, cache hits …). */
export const countersSection: Section<Micro> = (s) => block('Counters', countersTable(orderVariants(s), { header: 'Variant', cell: variantName }))

/** A micro scenario's sections, in page order (after the scenario header). */
export const MICRO_SECTIONS: Section<Micro>[] = [
  verdictSection,
  ratioChartSection,
  latencySection,
  breakdownSection,
  memorySection,
  countersSection,
  claimsSection,
  budgetsSection,
  warningsSection,
  flamegraphSection,
]

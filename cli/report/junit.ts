/**
 * The JUnit XML reporter, for CI systems that show test results: one test suite per scenario, one
 * test case per budget (per variant it applies to), per variant compared with the baseline, per
 * variant compared with the `--against` ref, and one per variant that could not be measured.
 *
 * A failed budget or a regression is a `<failure>`; a variant that threw or timed out an `<error>`;
 * what could not be decided (an unmeasured budget, an inconclusive verdict, a variant not compared)
 * is `<skipped>` with the reason — or a `<failure>` under `--fail-on inconclusive`, as the exit code.
 * Pure: result in, text out; every string is escaped for XML.
 */
import { gateFindings, type GateFindings } from '../gate/outcome.ts'
import { failedVariants } from '../result/outcome.ts'
import type { AgainstVariant, BudgetResult, RunResult, ScenarioRegression, ScenarioResult, VariantRegression } from '../result/schema.ts'
import { formatChange, variantStateText } from './format.ts'
import { changeText, noiseText } from './gate.ts'

/** Characters XML 1.0 cannot hold at all (controls, lone surrogates, U+FFFE/F) are dropped. */
const NOT_XML = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu

/** Text safe in XML element content and in double-quoted attributes (line breaks kept as references). */
export function escapeXml(value: unknown): string {
  return String(value)
    .replace(NOT_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;')
}

type Outcome = { kind: 'pass' } | { kind: 'failure' | 'error' | 'skipped'; message: string; type?: string; detail?: string }

interface TestCase {
  name: string
  classname: string
  outcome: Outcome
  /** Shown by CI as the test's output. */
  output?: string
}

function budgetCase(scenario: ScenarioResult, b: BudgetResult, findings: GateFindings): TestCase {
  const target = b.expression.trimStart().startsWith('*') ? ` [${b.variant}]` : ''
  const base = { name: `budget ${b.expression}${target}`, classname: `perfkit.${scenario.id}.budgets`, output: `measured ${b.measuredText}${b.message ? ` — ${b.message}` : ''}` }
  switch (b.state) {
    case 'pass':
      return { ...base, outcome: { kind: 'pass' } }
    case 'fail':
      return { ...base, outcome: { kind: 'failure', type: 'budget', message: `${b.variant}: ${b.metric} measured ${b.measuredText}, outside "${b.expression}"`, ...(b.message ? { detail: b.message } : {}) } }
    case 'cant-tell': {
      const message = `${b.variant}: ${b.metric} measured ${b.measuredText}: can't tell whether "${b.expression}" holds (the interval straddles the threshold)`
      return { ...base, outcome: findings.failOn.includes('inconclusive') ? { kind: 'failure', type: 'cant-tell', message } : { kind: 'skipped', message } }
    }
    case 'missing': {
      const message = `${b.variant}: ${b.metric} could not be measured${b.message ? ` (${b.message})` : ''}`
      return { ...base, outcome: findings.failOn.includes('inconclusive') ? { kind: 'failure', type: 'unmeasured', message } : { kind: 'skipped', message } }
    }
  }
}

function regressionCase(s: ScenarioRegression, v: VariantRegression, findings: GateFindings): TestCase {
  const base = { name: `regression ${v.variant}`, classname: `perfkit.${s.id}.regression` }
  // A variant that failed in this run already has its <error> case; here it is only not compared.
  if (v.state === 'not-compared') return { ...base, outcome: { kind: 'skipped', message: `not compared: ${v.reason}` } }
  const reading = v.decidedBy === 'ratio' ? v.ratio! : v.time
  const judged = v.decidedBy === 'ratio' ? `its ratio to ${s.baselineVariant}` : 'its time'
  const summary = `${judged}: ${changeText(reading)} head ÷ base, ${v.verdict}`
  const output = [
    `time ${changeText(v.time)} (${v.time.verdict})`,
    ...(v.ratio ? [`ratio to ${s.baselineVariant} ${changeText(v.ratio)} (${v.ratio.verdict})`] : []),
    noiseText(s),
    ...(v.note ? [v.note] : []),
  ].join('\n')
  const counts = (list: GateFindings['regressions']) => list.some((f) => f.scenario === s.id && f.variant === v)
  if (counts(findings.regressions)) return { ...base, output, outcome: { kind: 'failure', type: 'regression', message: summary, detail: output } }
  if (counts(findings.slowerTimes)) return { ...base, output, outcome: { kind: 'skipped', message: `${summary} — judged on its time alone, which fails the gate only with --fail-on time` } }
  if (v.verdict === 'inconclusive') {
    const strict = findings.failOn.includes('inconclusive') && counts(findings.inconclusive)
    return { ...base, output, outcome: strict ? { kind: 'failure', type: 'inconclusive', message: summary, detail: output } : { kind: 'skipped', message: summary } }
  }
  return { ...base, output, outcome: { kind: 'pass' } }
}

/** `--against`: one test case per variant, head ÷ base; slower is a failure, as in the exit code. */
function againstCase(scenario: ScenarioResult, v: AgainstVariant, findings: GateFindings): TestCase {
  const base = { name: `against ${v.variant}`, classname: `perfkit.${scenario.id}.against` }
  if (v.state === 'not-compared') return { ...base, outcome: { kind: 'skipped', message: `not compared: ${v.reason}` } }
  const summary = `head ÷ base ${formatChange(v.change.estimate)} [${formatChange(v.change.low)}, ${formatChange(v.change.high)}], ${v.verdict}`
  const output = `${summary} (p = ${v.pValue.toPrecision(2)}, ${v.test}, n = ${v.n})`
  if (v.verdict === 'slower') return { ...base, output, outcome: { kind: 'failure', type: 'regression', message: summary, detail: output } }
  if (v.verdict === 'inconclusive') {
    return { ...base, output, outcome: findings.failOn.includes('inconclusive') ? { kind: 'failure', type: 'inconclusive', message: summary, detail: output } : { kind: 'skipped', message: summary } }
  }
  return { ...base, output, outcome: { kind: 'pass' } }
}

function scenarioCases(scenario: ScenarioResult, regression: ScenarioRegression | undefined, findings: GateFindings): TestCase[] {
  const cases: TestCase[] = []
  for (const v of failedVariants(scenario)) {
    cases.push({ name: `variant ${v.name}`, classname: `perfkit.${scenario.id}.variants`, outcome: { kind: 'error', type: v.state, message: variantStateText(v) } })
  }
  if (scenario.state === 'errored' && scenario.error && cases.length === 0) {
    cases.push({ name: 'scenario', classname: `perfkit.${scenario.id}`, outcome: { kind: 'error', type: 'errored', message: scenario.error.message } })
  }
  cases.push(...scenario.budgets.map((b) => budgetCase(scenario, b, findings)))
  if (regression) cases.push(...regression.variants.map((v) => regressionCase(regression, v, findings)))
  cases.push(...(scenario.against?.variants ?? []).map((v) => againstCase(scenario, v, findings)))
  return cases
}

function caseXml(c: TestCase): string {
  const open = `    <testcase name="${escapeXml(c.name)}" classname="${escapeXml(c.classname)}" time="0"`
  const output = c.output ? `\n      <system-out>${escapeXml(c.output)}</system-out>` : ''
  const o = c.outcome
  if (o.kind === 'pass') return output ? `${open}>${output}\n    </testcase>` : `${open}/>`
  const type = o.type ? ` type="${escapeXml(o.type)}"` : ''
  const element = o.kind === 'skipped' ? `<skipped message="${escapeXml(o.message)}"/>` : `<${o.kind} message="${escapeXml(o.message)}"${type}>${escapeXml(o.detail ?? o.message)}</${o.kind}>`
  return `${open}>\n      ${element}${output}\n    </testcase>`
}

function count(cases: readonly TestCase[]) {
  return {
    tests: cases.length,
    failures: cases.filter((c) => c.outcome.kind === 'failure').length,
    errors: cases.filter((c) => c.outcome.kind === 'error').length,
    skipped: cases.filter((c) => c.outcome.kind === 'skipped').length,
  }
}

function attributes(counts: ReturnType<typeof count>, seconds: number): string {
  return `tests="${counts.tests}" failures="${counts.failures}" errors="${counts.errors}" skipped="${counts.skipped}" time="${seconds.toFixed(3)}"`
}

export function renderJunit(result: RunResult): string {
  const findings = gateFindings(result)
  const suites = result.scenarios.map((scenario) => {
    const regression = result.baseline?.scenarios.find((s) => s.id === scenario.id)
    const cases = scenarioCases(scenario, regression, findings)
    return { scenario, cases }
  })
  const all = suites.flatMap((s) => s.cases)
  const totalSeconds = result.scenarios.reduce((sum, s) => sum + s.durationMs, 0) / 1000
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="perfkit" ${attributes(count(all), totalSeconds)}>`,
    ...suites.map(({ scenario, cases }) => {
      const open = `  <testsuite name="${escapeXml(scenario.id)}" ${attributes(count(cases), scenario.durationMs / 1000)} timestamp="${escapeXml(scenario.startedAt)}" file="${escapeXml(scenario.file)}">`
      return cases.length ? [open, ...cases.map(caseXml), '  </testsuite>'].join('\n') : `${open}</testsuite>`
    }),
    '</testsuites>',
  ]
  return `${lines.join('\n')}\n`
}

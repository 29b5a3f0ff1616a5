/**
 * Profiling a scenario case's variants, after (never during) the timed measurement:
 *
 * - `cpuprofile` (the robust path): each variant's child process runs for a few seconds with the
 *   inspector's CPU profiler on for that window only; perfkit keeps the raw `.cpuprofile` and renders it
 *   as an interactive flame graph, and each variant's differential flame graph against the baseline.
 * - `0x`: the variant in a process of its own under 0x (V8's `--prof`: the whole process, native
 *   frames included), 0x's own flame graph.
 * - `clinic-doctor`: the same process under Clinic doctor (event loop, GC, CPU, handles) and its report.
 *
 * What "the variant" is depends on the kind (kinds.ts): a micro variant's loop, a load variant's system
 * at one level of its sweep, an http variant's server while perfkit's load generator drives it.
 *
 * A profiler that cannot start or finish is recorded as `failed` with a one-line reason; the others go on.
 * Files go to `<runDir>/profiles/<case>/`; the results hold their paths relative to `runDir`.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { ScenarioCase } from '../engine/cases.ts'
import { ChildFailure } from '../engine/variant-process.ts'
import { redact } from '../errors.ts'
import type { ProfileKind, ProfileResult, ProfileTool } from '../result/schema.ts'
import { formatDuration, formatInteger, formatMs, formatPercent } from '../report/format.ts'
import { diffFrameTrees } from './diff.ts'
import type { DoctorSpec } from './doctor-driver.ts'
import { renderDifferentialPage, renderProfilePage } from './flamegraph.ts'
import type { RunnerSpec } from './runner-spec.ts'
import { profilerFor, type Captured, type KindProfiler, type OpNames } from './kinds.ts'
import { DEFAULT_PROFILE_MS } from './tools.ts'
import type { ZeroXSpec } from './zero-x-driver.ts'

export interface ProfileOptions {
  /** Which profilers to run. @default ['cpuprofile'] */
  tools?: readonly ProfileTool[]
  /** How long each variant runs under the profiler (its loop, load window or server window), ms. @default 3000 */
  durationMs?: number
  /** The run's folder (where result.json is); profiles go under `profiles/`. */
  runDir: string
  /** Deadline for loading, set-up and teardown of a variant, ms. @default 60000 */
  timeoutMs?: number
  /** Extra environment for the variants' processes (backend URLs). @default {} */
  env?: Record<string, string>
  /** Sampling interval of the inspector's profiler, µs. @default 200 */
  samplingIntervalUs?: number
  signal?: AbortSignal
  /** What is being profiled now, for progress lines. */
  onProgress?: (message: string) => void
}

const here = fileURLToPath(import.meta.url)
const EXT = path.extname(here)
const RUNNER = path.join(path.dirname(here), `runner${EXT}`)
const ZERO_X_DRIVER = path.join(path.dirname(here), `zero-x-driver${EXT}`)
const DOCTOR_DRIVER = path.join(path.dirname(here), `doctor-driver${EXT}`)
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href
/** Rendering a 0x or doctor report bundles its viewer with browserify: slow, more so on a busy machine. */
const RENDER_GRACE_MS = 180_000

/** A folder or file name from a scenario id or variant name: letters, digits and `._=-` only. */
export function slug(text: string): string {
  const cleaned = text.replace(/\[/g, '_').replace(/[\],]/g, (ch) => (ch === ',' ? '_' : '')).replace(/[^A-Za-z0-9._=-]+/g, '-').replace(/^[-.]+|-+$/g, '')
  return cleaned.slice(0, 80) || 'x'
}

/** One file name per variant, distinct even when two names slug alike. */
function variantFiles(variants: readonly string[]): Map<string, string> {
  const used = new Set<string>()
  const files = new Map<string, string>()
  for (const name of variants) {
    let base = slug(name)
    for (let i = 2; used.has(base); i++) base = `${slug(name)}-${i}`
    used.add(base)
    files.set(name, base)
  }
  return files
}

function firstLine(text: string): string {
  return redact(text.trim().split('\n').filter(Boolean).pop() ?? '').slice(0, 400)
}

/** Profiles every variant of one case with every tool asked for. */
export async function profileCase(c: ScenarioCase, options: ProfileOptions): Promise<ProfileResult[]> {
  const tools = options.tools ?? ['cpuprofile']
  const samplingIntervalUs = options.samplingIntervalUs ?? 200
  const profiler = profilerFor(c, {
    durationMs: options.durationMs ?? DEFAULT_PROFILE_MS,
    timeoutMs: options.timeoutMs ?? 60_000,
    env: options.env ?? {},
    samplingIntervalUs,
    ...(options.signal ? { signal: options.signal } : {}),
  })
  const { names } = profiler
  const caseDir = path.join('profiles', slug(c.id))
  const absDir = path.join(options.runDir, caseDir)
  mkdirSync(absDir, { recursive: true })
  const files = variantFiles(c.variants)
  const rel = (file: string) => path.join(caseDir, file).split(path.sep).join('/')
  const results: ProfileResult[] = []
  const written = (variant: string, tool: ProfileTool, kind: ProfileKind, file: string) => results.push({ state: 'written', variant, tool, kind, path: rel(file) })
  const failed = (variant: string, tool: ProfileTool, message: string) => results.push({ state: 'failed', variant, tool, message })
  const baseline = c.loaded.scenario.baseline

  if (tools.includes('cpuprofile')) {
    const captured = new Map<string, Captured>()
    for (const variant of c.variants) {
      if (options.signal?.aborted) break
      const file = files.get(variant)!
      options.onProgress?.(`profiling ${c.id}/${variant} (inspector)`)
      try {
        const capture = await profiler.capture(variant, path.join(absDir, `${file}.cpuprofile`))
        captured.set(variant, capture)
        written(variant, 'cpuprofile', 'cpuprofile', `${file}.cpuprofile`)
        const links = [{ label: 'raw .cpuprofile (Chrome DevTools, speedscope)', href: `${file}.cpuprofile` }]
        if (variant !== baseline) links.push({ label: `differential vs ${baseline}`, href: `${file}.diff.html` }, { label: `${baseline}'s flame graph`, href: `${files.get(baseline)}.html` })
        writeFileSync(
          path.join(absDir, `${file}.html`),
          renderProfilePage(capture.tree, { title: variant, subtitle: `${c.id} · inspector CPU profile of the measured window · ${new Date().toISOString().slice(0, 19).replace('T', ' ')} UTC`, facts: profileFacts(capture, names, samplingIntervalUs), links, ops: capture.ops }),
        )
        written(variant, 'cpuprofile', 'flamegraph', `${file}.html`)
      } catch (error) {
        failed(variant, 'cpuprofile', describeFailure(error))
      }
    }
    const base = captured.get(baseline)
    for (const variant of c.variants) {
      const mine = captured.get(variant)
      if (variant === baseline || !mine || !base) continue
      const file = files.get(variant)!
      const diff = diffFrameTrees(mine.tree, base.tree, { variantOps: mine.ops, baselineOps: base.ops })
      const facts: Array<[string, string]> = [
        [`${baseline}`, `${formatInteger(base.ops)} ${names.plural} in ${formatMs(base.windowMs)} (${timePerOp(base)}/${names.one})`],
        [`${variant}`, `${formatInteger(mine.ops)} ${names.plural} in ${formatMs(mine.windowMs)} (${timePerOp(mine)}/${names.one})`],
      ]
      if (diff.unit === 'ns/op') facts.push(['normalised', names.normalised])
      writeFileSync(
        path.join(absDir, `${file}.diff.html`),
        renderDifferentialPage(diff, {
          title: `${variant} vs ${baseline}`,
          subtitle: `${c.id} · change in self time per ${names.one}, ${baseline} → ${variant}`,
          facts,
          links: [
            { label: `${variant}'s flame graph`, href: `${file}.html` },
            { label: `${baseline}'s flame graph`, href: `${files.get(baseline)}.html` },
          ],
          variant,
          baseline,
        }),
      )
      written(variant, 'cpuprofile', 'differential', `${file}.diff.html`)
    }
  }

  for (const tool of REPORT_TOOLS) {
    if (!tools.includes(tool.name)) continue
    for (const variant of c.variants) {
      if (options.signal?.aborted) break
      const file = `${files.get(variant)!}.${tool.suffix}.html`
      options.onProgress?.(`profiling ${c.id}/${variant} (${tool.label})`)
      const outcome = await runReportTool(tool, c, profiler, variant, path.join(absDir, file), options)
      if (outcome === true) written(variant, tool.name, tool.kind, file)
      else failed(variant, tool.name, outcome)
    }
  }
  return results
}

/** The window's length over the operations it ran. */
function timePerOp(capture: Captured): string {
  return formatDuration((capture.windowMs * 1e6) / Math.max(1, capture.ops))
}

function profileFacts(capture: Captured, names: OpNames, samplingIntervalUs: number): Array<[string, string]> {
  const durationUs = capture.tree.durationUs
  return [
    ['window', formatMs(capture.windowMs)],
    ...capture.facts,
    [names.plural, formatInteger(capture.ops)],
    [`time per ${names.one}`, timePerOp(capture)],
    ['samples', `${formatInteger(capture.tree.samples)} every ${samplingIntervalUs} µs`],
    ['idle', formatPercent(durationUs > 0 ? capture.tree.idleUs / durationUs : 0)],
    ['Node', process.version],
  ]
}

function describeFailure(error: unknown): string {
  if (error instanceof ChildFailure) {
    const kind = error.kind === 'timeout' ? 'timed out' : error.kind === 'crashed' ? 'crashed' : error.kind === 'interrupted' ? 'was interrupted' : 'failed'
    return `${kind} in ${error.phase}: ${firstLine(error.message)}`
  }
  return firstLine(error instanceof Error ? error.message : String(error))
}

function runnerArgv(c: ScenarioCase, spec: RunnerSpec): string[] {
  const memory = c.loaded.options.maxMemoryMB ? [`--max-old-space-size=${c.loaded.options.maxMemoryMB}`] : []
  return ['--import', TSX_LOADER, '--expose-gc', ...memory, RUNNER, JSON.stringify(spec)]
}

/**
 * Runs a driver script in its own process and scratch folder; true when it succeeded, else why not.
 * `alongside` is what perfkit does while it runs (an http server's load); it stops when the driver ends.
 */
async function runDriver(entry: string, spec: unknown, cwd: string, options: ProfileOptions, tool: string, alongside?: (closed: AbortSignal) => Promise<void>): Promise<true | string> {
  const closed = new AbortController()
  let alongsideFailure: string | undefined
  const beside = alongside?.(closed.signal).catch((error: unknown) => {
    alongsideFailure = `perfkit's load generator failed: ${firstLine(error instanceof Error ? error.message : String(error))}`
  })
  const outcome = await spawnDriver(entry, spec, cwd, options, tool)
  closed.abort()
  await beside
  return outcome === true && alongsideFailure ? alongsideFailure : outcome
}

function spawnDriver(entry: string, spec: unknown, cwd: string, options: ProfileOptions, tool: string): Promise<true | string> {
  const timeoutMs = (options.durationMs ?? DEFAULT_PROFILE_MS) + (options.timeoutMs ?? 60_000) * 2 + RENDER_GRACE_MS
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', TSX_LOADER, entry, JSON.stringify(spec)], {
      cwd,
      env: { ...process.env, ...options.env, NO_INSIGHT: '1', PERFKIT_CHILD: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-8000)))
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      child.kill('SIGKILL')
    }, timeoutMs)
    const onAbort = () => child.kill('SIGKILL')
    options.signal?.addEventListener('abort', onAbort, { once: true })
    child.on('error', (error) => resolve(`${tool} could not start: ${error.message}`))
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      options.signal?.removeEventListener('abort', onAbort)
      if (timedOut) return resolve(`${tool} did not finish within ${formatMs(timeoutMs)}`)
      if (options.signal?.aborted) return resolve(`${tool} was interrupted`)
      // Both tools render a report even when the program they watched failed: the runner's own line decides.
      const runnerLine = stderr.split('\n').find((line) => line.startsWith('perfkit-runner: '))
      if (runnerLine) return resolve(`the variant failed in ${redact(runnerLine.slice('perfkit-runner: '.length))}`)
      if (code === 0) return resolve(true)
      resolve(firstLine(stderr) || (signal ? `${tool} was killed by ${signal}` : `${tool} exited with code ${code}`))
    })
  })
}

/** Clinic doctor's report loads its web font from clinicjs.org; a report perfkit writes asks no network address. */
export function withoutRemoteFonts(page: string): string {
  return page.replace(/urls:\s*\[\s*"https?:\/\/[^"\]]*"\s*\]/g, 'urls:[]')
}

/**
 * Clinic doctor's viewer wraps each code snippet of its advice by inserting a holder before the first
 * `.snippet` *descendant* of the snippet's parent; where a parent holds two snippets, the second pass
 * finds the first one's copy inside its holder, not a child, and the page throws (seen when doctor's
 * analysis is "unknown", as on a busy machine). Insert before the snippet itself.
 */
export function withSnippetFix(page: string): string {
  return page.replaceAll('d3.select(this.parentNode).insert("span",".snippet")', 'd3.select(this.parentNode).insert("span",(()=>this))')
}

/**
 * A profiler that runs the variant in a process of its own and writes a report of its own (0x, Clinic
 * doctor): its driver script, the spec it takes, and how perfkit finishes the page it wrote.
 */
interface ReportTool {
  name: Exclude<ProfileTool, 'cpuprofile'>
  kind: ProfileKind
  /** In messages: `0x`, `clinic doctor`. */
  label: string
  /** `<variant>.<suffix>.html`. */
  suffix: string
  /** What the report is, for "finished without writing its …". */
  what: string
  driver: string
  /** Doctor samples on timers: a micro loop lets them run every few milliseconds (load and http yield anyway). */
  yieldEveryMs?: number
  spec(run: { argv: string[]; workingDir: string; outputHtml: string; title: string }): ZeroXSpec | DoctorSpec
  polish?(page: string): string
}

const REPORT_TOOLS: readonly ReportTool[] = [
  {
    name: '0x',
    kind: 'flamegraph',
    label: '0x',
    suffix: '0x',
    what: 'flame graph',
    driver: ZERO_X_DRIVER,
    spec: ({ argv, workingDir, outputHtml, title }) => ({ argv, workingDir, outputHtml, title }),
  },
  {
    name: 'clinic-doctor',
    kind: 'doctor',
    label: 'clinic doctor',
    suffix: 'doctor',
    what: 'report',
    driver: DOCTOR_DRIVER,
    yieldEveryMs: 5,
    spec: ({ argv, workingDir, outputHtml }) => ({ argv, dataDir: path.join(workingDir, 'data'), outputHtml }),
    polish: (page) => withSnippetFix(withoutRemoteFonts(page)),
  },
]

/** Runs one variant under a report tool in a scratch folder; true when its report is written, else why not. */
async function runReportTool(tool: ReportTool, c: ScenarioCase, profiler: KindProfiler, variant: string, outputHtml: string, options: ProfileOptions): Promise<true | string> {
  const workingDir = mkdtempSync(path.join(tmpdir(), `perfkit-${tool.suffix}-`))
  try {
    const argv = runnerArgv(c, profiler.runnerSpec(variant, workingDir, tool.yieldEveryMs ? { yieldEveryMs: tool.yieldEveryMs } : {}))
    const spec = tool.spec({ argv, workingDir, outputHtml, title: `${c.id} / ${variant}` })
    const outcome = await runDriver(tool.driver, spec, workingDir, options, tool.label, profiler.alongside?.bind(profiler, workingDir))
    if (outcome !== true) {
      rmSync(outputHtml, { force: true })
      return outcome
    }
    if (!existsSync(outputHtml)) return `${tool.label} finished without writing its ${tool.what}`
    if (tool.polish) writeFileSync(outputHtml, tool.polish(readFileSync(outputHtml, 'utf8')))
    return true
  } finally {
    rmSync(workingDir, { recursive: true, force: true })
  }
}

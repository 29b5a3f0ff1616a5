/** `perfkit run`: parse flags, load and validate every scenario, run, write results, pick the exit code. */
import path from 'node:path'
import { planRun } from '../config/plan.ts'
import { parseParamFlags } from '../engine/cases.ts'
import { captureEnvironment } from '../engine/environment.ts'
import { runPlan, runId } from '../api.ts'
import { EXIT } from '../errors.ts'
import { baselinesDir, readBaseline, requireCommonScenario, resolveBaseline } from '../gate/baseline.ts'
import { exitCodeOf } from '../gate/outcome.ts'
import { compareWithBaseline } from '../gate/regression.ts'
import { displayPath, pointLatest, serializeResult, writeFileAtomic } from '../result/io.ts'
import type { RunResult } from '../result/schema.ts'
import { renderEnvironment, renderScenario, renderSummary, renderSweep } from '../report/console.ts'
import { renderGate } from '../report/gate.ts'
import { renderHtml } from '../report/html.ts'
import { Progress } from '../report/progress.ts'
import { checkStdout, writeGateOutputs } from './outputs.ts'
import { DEFAULT_PROFILE_MS, parseTools } from '../profile/tools.ts'

export interface RunFlags {
  filter?: string
  param: string[]
  time?: string
  rounds?: string
  processes?: string
  quick?: boolean
  out?: string
  json?: string
  seed?: string
  timeout?: string
  config?: string
  /** Profile each variant after measuring. */
  profile?: boolean
  /** Profilers for --profile (implies it). @default ['cpuprofile'] */
  profileTool?: string[]
  verbose?: boolean
  /** A baseline name (reports/baselines/<name>.json) or result file to compare the run with. */
  baseline?: string
  /** A git ref whose code is measured beside the working tree's, paired by round (cli/gate/against.ts). */
  against?: string
  failOn?: string[]
  markdown?: string
  junit?: string
}


export { runId } from '../api.ts'

export async function runCommand(patterns: string[], flags: RunFlags): Promise<number> {
  const plan = await planRun(patterns, { ...flags, params: parseParamFlags(flags.param) })
  const { config, discovery, params, cases, settings } = plan
  const profileTools = flags.profile || flags.profileTool?.length ? parseTools(flags.profileTool ?? [], '--profile-tool') : undefined
  checkStdout(flags)
  // The baseline is read and matched before anything runs: a wrong one must not cost a run.
  let baseline: { ref: ReturnType<typeof resolveBaseline>; result: RunResult } | undefined
  if (flags.baseline !== undefined) {
    const ref = resolveBaseline(flags.baseline, baselinesDir(config.root, config.outDir))
    const result = readBaseline(ref)
    requireCommonScenario(cases.map((c) => ({ id: c.id, name: c.loaded.scenario.name })), result, ref)
    baseline = { ref, result }
  }
  // --against: the ref's code in a temporary worktree, its cases paired with these (removed in the finally below, and on exit).
  const against = flags.against === undefined ? undefined : await (await import('../gate/against.ts')).prepareAgainst(flags.against, {
    packageRoot: config.root,
    discovery,
    cases,
    params,
    ...(flags.filter !== undefined ? { filter: flags.filter } : {}),
    note: (line) => process.stderr.write(`${line}\n`),
  })

  const id = runId()
  const outRoot = path.resolve(config.root, config.outDir)
  const runDir = flags.out ? path.resolve(flags.out) : path.join(outRoot, id)
  const resultFile = path.join(runDir, 'result.json')
  const reportFile = path.join(runDir, 'index.html')
  const jsonToStdout = flags.json === '-'
  const out = jsonToStdout || flags.markdown === '-' ? process.stderr : process.stdout
  const color = Boolean(out.isTTY) && !process.env.NO_COLOR && process.env.TERM !== 'dumb'
  const progress = new Progress(process.stderr, Boolean(process.stderr.isTTY) && process.env.TERM !== 'dumb')

  const persist = (snapshot: RunResult) => {
    writeFileAtomic(resultFile, serializeResult(snapshot))
    writeFileAtomic(reportFile, renderHtml(snapshot))
    if (!flags.out) pointLatest(outRoot, runDir)
  }

  const controller = new AbortController()
  let interrupts = 0
  const onSigint = () => {
    interrupts++
    if (interrupts === 1) {
      progress.note('perfkit: interrupting — stopping the variants and writing what was measured (Ctrl-C again to quit at once)')
      controller.abort()
    } else process.exit(EXIT.interrupted)
  }
  process.on('SIGINT', onSigint)
  process.on('SIGTERM', onSigint)

  const environment = captureEnvironment(config.root)
  out.write(`${renderEnvironment(environment, { color })}\n\n`)
  let result: RunResult
  try {
    result = await runPlan(plan, {
      ...(against ? { cases: against.cases, against: against.record } : {}),
      argv: process.argv.slice(2),
      environment,
      signal: controller.signal,
      emit: (event) => {
        progress.handle(event)
        if (event.type === 'scenario-done') out.write(`${renderScenario(event.result, { color, verbose: Boolean(flags.verbose) })}\n\n`)
        if (event.type === 'sweep-done') out.write(`${renderSweep(event.results, { color })}\n\n`)
      },
      persist,
    })
    if (profileTools && !controller.signal.aborted) {
      // After every measurement, never during one: the profilers run the variants again.
      const { profileCase } = await import('../profile/index.ts')
      const { casesToProfile } = await import('../profile/kinds.ts')
      // A load or http sweep is profiled at its lowest level only (--param picks another).
      for (const c of casesToProfile(cases)) {
        const scenario = result.scenarios.find((s) => s.id === c.id)
        const measured = new Set<string>(scenario?.variants.filter((v) => v.state === 'completed').map((v) => v.name))
        if (!scenario || controller.signal.aborted || measured.size === 0) continue
        scenario.profiles = await profileCase({ ...c, variants: c.variants.filter((v) => measured.has(v)) }, {
          tools: profileTools,
          durationMs: settings.quick ? DEFAULT_PROFILE_MS / 3 : DEFAULT_PROFILE_MS,
          runDir,
          timeoutMs: settings.timeoutMs,
          env: settings.childEnv,
          signal: controller.signal,
          onProgress: (message) => progress.note(`perfkit: ${message}`),
        })
        for (const p of scenario.profiles) if (p.state === 'failed') progress.note(`perfkit: ${p.tool} could not profile ${c.id}/${p.variant}: ${p.message}`)
        persist(result)
      }
    }
  } finally {
    process.off('SIGINT', onSigint)
    process.off('SIGTERM', onSigint)
    progress.clear()
    against?.dispose()
  }

  if (baseline) {
    result.baseline = compareWithBaseline(result, baseline.result, { name: baseline.ref.name, file: displayPath(baseline.ref.file) })
    persist(result)
  }
  if (flags.json && !jsonToStdout) writeFileAtomic(path.resolve(flags.json), serializeResult(result))
  if (jsonToStdout) process.stdout.write(serializeResult(result))
  out.write(`${renderSummary(result, { color })}\n\n${renderGate(result, { color })}\n`)
  const written = writeGateOutputs(result, flags)
  process.stderr.write(`results: ${displayPath(resultFile)}\nreport:  ${displayPath(reportFile)}\n`)
  for (const line of written) process.stderr.write(`${line}\n`)
  // Ctrl-C while profiling: everything measured is written, the profiles are partial.
  if (controller.signal.aborted) return EXIT.interrupted
  return exitCodeOf(result)
}

/** `perfkit compare <base> <head>`: two saved results, per variant head ÷ base with a verdict; the gate's exit code. */
import path from 'node:path'
import { loadConfig } from '../config/config.ts'
import { baselinesDir, readBaseline, requireCommonScenario, resolveBaseline } from '../gate/baseline.ts'
import { exitCodeOf, parseFailOn } from '../gate/outcome.ts'
import { compareWithBaseline } from '../gate/regression.ts'
import { displayPath, readResult, resultFileOf, serializeResult, writeFileAtomic } from '../result/io.ts'
import type { RunResult } from '../result/schema.ts'
import { renderGate } from '../report/gate.ts'
import { checkStdout, writeGateOutputs } from './outputs.ts'

export interface CompareFlags {
  failOn?: string[]
  json?: string
  markdown?: string
  junit?: string
  config?: string
}

export async function compareCommand(baseSpec: string, headSpec: string, flags: CompareFlags): Promise<number> {
  const failOn = parseFailOn(flags.failOn)
  checkStdout(flags)
  const baseRef = resolveBaseline(baseSpec, await baselineFolder(baseSpec, flags.config))
  const base = readBaseline(baseRef)
  const head = readResult(resultFileOf(headSpec), 'result file')
  requireCommonScenario(head.scenarios, base, baseRef)

  const { failOn: _recorded, ...settings } = head.run.settings
  const result: RunResult = {
    ...head,
    run: { ...head.run, settings: { ...settings, ...(failOn.length ? { failOn } : {}) } },
    baseline: compareWithBaseline(head, base, { name: baseRef.name, file: displayPath(baseRef.file) }),
  }

  const out = flags.json === '-' || flags.markdown === '-' ? process.stderr : process.stdout
  const color = Boolean(out.isTTY) && !process.env.NO_COLOR && process.env.TERM !== 'dumb'
  out.write(`${renderGate(result, { color, budgets: true })}\n`)
  if (flags.json === '-') process.stdout.write(serializeResult(result))
  else if (flags.json !== undefined) writeFileAtomic(path.resolve(flags.json), serializeResult(result))
  for (const line of writeGateOutputs(result, flags)) process.stderr.write(`${line}\n`)
  // An old result that was interrupted is an incomplete result here (3), not an interruption of compare.
  return exitCodeOf(result, failOn, { interruptedExit: false })
}

/** Where baseline names resolve; the config is only loaded when the base is given by name. */
async function baselineFolder(spec: string, configFile: string | undefined): Promise<string> {
  const probe = resolveBaseline(spec, '')
  if (!probe.byName) return ''
  const config = await loadConfig(configFile)
  return baselinesDir(config.root, config.outDir)
}

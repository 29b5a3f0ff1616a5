/**
 * `perfkit profile <scenario>`: run each variant for a few seconds under a profiler and write flame
 * graphs — the variant's own and, against the baseline, the differential one — with the raw
 * `.cpuprofile` beside them (and 0x's or Clinic doctor's report with --tool). A load or http sweep is
 * profiled at one level.
 */
import path from 'node:path'
import { loadConfig } from '../config/config.ts'
import { parseDuration } from '../config/duration.ts'
import { loadScenarios } from '../config/scenarios.ts'
import { buildCases, parseParamFlags } from '../engine/cases.ts'
import { discoverScenarioFiles } from '../engine/discovery.ts'
import { EXIT, UsageError } from '../errors.ts'
import { displayPath } from '../result/io.ts'
import type { ProfileResult } from '../result/schema.ts'
import { profileCase } from '../profile/index.ts'
import { casesToProfile } from '../profile/kinds.ts'
import { DEFAULT_PROFILE_MS, parseTools } from '../profile/tools.ts'
import { backendEnv } from '../config/plan.ts'
import { runId } from './run.ts'

export interface ProfileFlags {
  variant: string[]
  tool: string[]
  duration?: string
  param: string[]
  out?: string
  timeout?: string
  config?: string
  verbose?: boolean
}

export async function profileCommand(name: string, patterns: string[], flags: ProfileFlags): Promise<number> {
  const tools = parseTools(flags.tool)
  const durationMs = flags.duration === undefined ? DEFAULT_PROFILE_MS : parseDuration(flags.duration)
  if (durationMs === undefined || durationMs <= 0) throw new UsageError(`--duration ${flags.duration}: not a duration; use e.g. 3s or 500ms`)
  const config = await loadConfig(flags.config)
  let timeoutMs = config.timeoutMs
  if (flags.timeout !== undefined) {
    const parsed = parseDuration(flags.timeout)
    if (parsed === undefined) throw new UsageError(`--timeout ${flags.timeout}: not a duration; use e.g. 30s`)
    timeoutMs = parsed
  }
  const files = await discoverScenarioFiles(patterns.length ? patterns : config.scenarios, patterns.length ? process.cwd() : config.root, patterns.length ? 'argument' : 'config')
  const scenarios = (await loadScenarios(files)).filter((s) => s.scenario.name === name)
  if (scenarios.length === 0) throw new UsageError(`no scenario named "${name}"; \`perfkit list\` shows the scenarios found`)
  const loaded = scenarios[0]!
  for (const variant of flags.variant) {
    if (!loaded.variants.includes(variant)) throw new UsageError(`--variant ${variant}: scenario "${name}" has no such variant; use one of ${loaded.variants.join(', ')}`)
  }
  const params = parseParamFlags(flags.param)
  // A load or http sweep is profiled at one level: its lowest, unless --param names one.
  const cases = casesToProfile(buildCases(scenarios, { params })).map((c) => ({
    ...c,
    // The baseline is always profiled: each variant's differential flame graph is drawn against it.
    variants: flags.variant.length ? c.variants.filter((v) => v === loaded.scenario.baseline || flags.variant.includes(v)) : c.variants,
  }))

  const runDir = flags.out ? path.resolve(flags.out) : path.join(path.resolve(config.root, config.outDir), `${runId()}-profile`)
  const controller = new AbortController()
  const onSigint = () => controller.abort()
  process.on('SIGINT', onSigint)
  process.on('SIGTERM', onSigint)
  const all: ProfileResult[] = []
  try {
    for (const c of cases) {
      const results = await profileCase(c, {
        tools,
        durationMs,
        runDir,
        timeoutMs,
        env: backendEnv(config.backends),
        signal: controller.signal,
        onProgress: (message) => process.stderr.write(`${message}\n`),
      })
      for (const r of results) {
        if (r.state === 'written') process.stdout.write(`${displayPath(path.join(runDir, r.path))}\n`)
        else process.stderr.write(`perfkit: ${r.tool} could not profile ${c.id}/${r.variant}: ${r.message}\n`)
      }
      all.push(...results)
    }
  } finally {
    process.off('SIGINT', onSigint)
    process.off('SIGTERM', onSigint)
  }
  if (controller.signal.aborted) return EXIT.interrupted
  return all.some((r) => r.state === 'failed') ? EXIT.incomplete : EXIT.ok
}

/** The profilers perfkit drives, by the names `--tool` and `--profile` accept. */
import { createRequire } from 'node:module'
import { UsageError } from '../errors.ts'
import type { ProfileTool } from '../result/schema.ts'

/** How long each variant runs under a profiler (`perfkit profile --duration`, `run --profile`), ms; `run --quick --profile` takes a third. */
export const DEFAULT_PROFILE_MS = 3000

export const PROFILE_TOOLS: readonly ProfileTool[] = ['cpuprofile', '0x', 'clinic-doctor']

/** `--tool 0x,clinic-doctor` or a repeated flag; every name checked; `cpuprofile` when none is given. */
export function parseTools(values: readonly string[], flag = '--tool'): ProfileTool[] {
  const tools = values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean)
  for (const tool of tools) {
    if (!(PROFILE_TOOLS as readonly string[]).includes(tool)) throw new UsageError(`${flag} ${tool}: unknown profiler; use one of ${PROFILE_TOOLS.join(', ')}`)
  }
  for (const tool of tools) requireInstalled(tool as ProfileTool, flag)
  return tools.length ? ([...new Set(tools)] as ProfileTool[]) : ['cpuprofile']
}

/**
 * 0x and Clinic doctor are optional (optional peer dependencies, not installed with perfkit: Clinic
 * alone pulled in about 50 MB of TensorFlow). Each is loaded from where perfkit is installed, only
 * when asked for; a missing one is one line saying how to install it, before anything runs.
 */
export const OPTIONAL_TOOL_PACKAGES: Readonly<Partial<Record<ProfileTool, string>>> = { '0x': '0x', 'clinic-doctor': '@clinic/doctor' }

/** Whether the package a profiler needs can be loaded from perfkit's own folder. */
export function isToolInstalled(tool: ProfileTool, resolve: (id: string) => string = createRequire(import.meta.url).resolve): boolean {
  const pkg = OPTIONAL_TOOL_PACKAGES[tool]
  if (!pkg) return true
  try {
    resolve(pkg)
    return true
  } catch {
    return false
  }
}

function requireInstalled(tool: ProfileTool, flag: string): void {
  if (isToolInstalled(tool)) return
  const pkg = OPTIONAL_TOOL_PACKAGES[tool]!
  throw new UsageError(`${flag} ${tool}: ${pkg} is not installed (it is optional); install it beside perfkit with \`npm install --save-dev ${pkg}\`, or use ${flag} cpuprofile`)
}

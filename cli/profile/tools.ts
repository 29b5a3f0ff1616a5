/** The profilers perfkit drives, by the names `--tool` and `--profile` accept. */
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
  return tools.length ? ([...new Set(tools)] as ProfileTool[]) : ['cpuprofile']
}

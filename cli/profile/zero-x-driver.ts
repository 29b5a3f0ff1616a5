/**
 * Runs 0x on the variant runner, in a process of its own: 0x installs signal and exit handlers, writes
 * and tidies files in its working directory and relays the program's stdout, none of which belongs in
 * perfkit's own process. One JSON argument (ZeroXSpec); prints nothing on success, one line on failure.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'

export interface ZeroXSpec {
  /** Node flags, the runner and its argument. */
  argv: string[]
  /** 0x's working directory (its API does not default it from the code). */
  workingDir: string
  /** Where the HTML goes. */
  outputHtml: string
  title: string
}

const require = createRequire(import.meta.url)
const spec = JSON.parse(process.argv[2] ?? '{}') as ZeroXSpec

/** V8 ticks (samples) in an isolate log. */
function ticksIn(file: string): number {
  return readFileSync(file, 'utf8').match(/^tick,/gm)?.length ?? 0
}

/**
 * 0x renders the first isolate log of the process it finds, but tsx's module hooks run on a thread of
 * their own, whose isolate writes a log too: often the flame graph showed the loader, not the variant.
 * Pick the isolate that ran the most samples — the one that ran the variant. (`getIsolateLog` is
 * public on 0x's v8 platform module, which its own code calls through.)
 */
function preferBusiestIsolate(): void {
  const platform = require('0x/platform/v8.js') as { getIsolateLog: (workingDir: string, pid: number) => string | undefined }
  const first = platform.getIsolateLog
  platform.getIsolateLog = (workingDir, pid) => {
    const pattern = new RegExp(`isolate-(0x)?([0-9A-Fa-f]{2,16})(-${pid})?-${pid}-v8.log`)
    const logs = readdirSync(workingDir).filter((file) => pattern.test(file))
    if (logs.length < 2) return first(workingDir, pid)
    return logs.map((file) => ({ file, ticks: ticksIn(path.join(workingDir, file)) })).sort((a, b) => b.ticks - a.ticks)[0]!.file
  }
}

try {
  preferBusiestIsolate()
  const zeroEks = require('0x') as (options: Record<string, unknown>) => Promise<string | null>
  await zeroEks({
    argv: spec.argv,
    workingDir: spec.workingDir,
    outputDir: `${spec.workingDir}/{pid}.0x`,
    outputHtml: spec.outputHtml,
    name: 'flamegraph',
    title: spec.title,
    silent: true,
  })
} catch (error) {
  process.stderr.write(`0x: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exitCode = 1
}

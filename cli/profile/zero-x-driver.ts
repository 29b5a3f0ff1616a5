/**
 * Runs 0x on the variant runner, in a process of its own: 0x installs signal and exit handlers, writes
 * and tidies files in its working directory and relays the program's stdout, none of which belongs in
 * perfkit's own process. One JSON argument (ZeroXSpec); prints nothing on success, one line on failure.
 */
import { createRequire } from 'node:module'

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
try {
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

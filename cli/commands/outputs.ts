/**
 * The gate's outputs beside the terminal, shared by `perfkit run` and `perfkit compare`: Markdown
 * (`--markdown <file|->`, and appended to `$GITHUB_STEP_SUMMARY` when that is set) and JUnit XML
 * (`--junit <file>`).
 */
import { appendFileSync } from 'node:fs'
import path from 'node:path'
import { UsageError } from '../errors.ts'
import { displayPath, writeFileAtomic } from '../result/io.ts'
import type { RunResult } from '../result/schema.ts'
import { renderJunit } from '../report/junit.ts'
import { renderMarkdown } from '../report/markdown.ts'

export interface GateOutputFlags {
  json?: string
  markdown?: string
  junit?: string
}

/** Only one output may take stdout. */
export function checkStdout(flags: GateOutputFlags): void {
  const toStdout = (['json', 'markdown'] as const).filter((key) => flags[key] === '-')
  if (toStdout.length > 1) throw new UsageError(`--${toStdout.join(' - and --')} -: only one output can go to stdout; write the other to a file`)
  if (flags.junit === '-') throw new UsageError('--junit -: give a file for the JUnit XML, e.g. --junit reports/junit.xml')
}

/** Writes the Markdown and JUnit outputs asked for; returns the files written, for the closing lines. */
export function writeGateOutputs(result: RunResult, flags: GateOutputFlags): string[] {
  const written: string[] = []
  const markdown = flags.markdown !== undefined || process.env.GITHUB_STEP_SUMMARY ? renderMarkdown(result) : ''
  if (flags.markdown === '-') process.stdout.write(markdown)
  else if (flags.markdown !== undefined) {
    writeFileAtomic(path.resolve(flags.markdown), markdown)
    written.push(`markdown: ${displayPath(flags.markdown)}`)
  }
  const summary = process.env.GITHUB_STEP_SUMMARY
  if (summary) {
    try {
      appendFileSync(summary, markdown)
      written.push('markdown: appended to $GITHUB_STEP_SUMMARY')
    } catch (error) {
      process.stderr.write(`perfkit: could not append to $GITHUB_STEP_SUMMARY (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); the results are written anyway\n`)
    }
  }
  if (flags.junit !== undefined) {
    writeFileAtomic(path.resolve(flags.junit), renderJunit(result))
    written.push(`junit:   ${displayPath(flags.junit)}`)
  }
  return written
}

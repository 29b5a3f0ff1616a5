/** `perfkit report <result.json>`: rebuild a run's report (HTML by default) from its result file. */
import path from 'node:path'
import { EXIT, UsageError } from '../errors.ts'
import { readResult, writeFileAtomic } from '../result/io.ts'
import { getReporter, reporterNames } from '../report/index.ts'

export interface ReportFlags {
  format: string
  out?: string
}

export async function reportCommand(file: string, flags: ReportFlags): Promise<number> {
  const reporter = getReporter(flags.format)
  if (!reporter) throw new UsageError(`--format ${flags.format}: unknown format; use one of ${reporterNames().join(', ')}`)
  const result = readResult(path.resolve(file))
  const text = await reporter.render(result)
  if (flags.out === '-') {
    process.stdout.write(text)
    return EXIT.ok
  }
  const defaultName = reporter.name === 'html' ? 'index.html' : `report.${reporter.extension}`
  const target = path.resolve(flags.out ?? path.join(path.dirname(path.resolve(file)), defaultName))
  writeFileAtomic(target, text)
  process.stderr.write(`report: ${path.relative(process.cwd(), target) || target}\n`)
  return EXIT.ok
}

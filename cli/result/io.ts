/** Reading and writing result files: atomically, and validated on the way in. */
import { existsSync, lstatSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { UsageError } from '../errors.ts'
import { RESULT_SCHEMA, type RunResult } from './schema.ts'

/** A path as messages show it: relative to the working directory, or as given when that is where it is. */
export function displayPath(file: string): string {
  return path.relative(process.cwd(), path.resolve(file)) || file
}

/** A result file given as itself or as the run folder that holds it (`reports/<run>` → its result.json). */
export function resultFileOf(spec: string, cwd = process.cwd()): string {
  const file = path.resolve(cwd, spec)
  return existsSync(file) && statSync(file).isDirectory() ? path.join(file, 'result.json') : file
}

/** Writes through a temporary file and a rename, so a crash never leaves half a file. */
export function writeFileAtomic(file: string, content: string): void {
  mkdirSync(path.dirname(file), { recursive: true })
  const temp = `${file}.${process.pid}.tmp`
  writeFileSync(temp, content)
  renameSync(temp, file)
}

export function serializeResult(result: RunResult): string {
  return `${JSON.stringify(result, null, 2)}\n`
}

/** Points `<outRoot>/latest` at the run folder (a relative symlink, replaced atomically). */
export function pointLatest(outRoot: string, runDir: string): void {
  const link = path.join(outRoot, 'latest')
  const temp = `${link}.${process.pid}.tmp`
  try {
    rmSync(temp, { force: true })
    symlinkSync(path.relative(outRoot, runDir), temp, 'dir')
    renameSync(temp, link)
  } catch {
    // A filesystem without symlinks: fall back to a file naming the run.
    try {
      if (lstatSync(link, { throwIfNoEntry: false })?.isDirectory()) return
      writeFileAtomic(link, `${path.relative(outRoot, runDir)}\n`)
    } catch {
      // Not worth failing a run over.
    }
  }
}

/** Reads a result file; a missing, unreadable or foreign file is a one-line UsageError. */
export function readResult(file: string, what = 'result file'): RunResult {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new UsageError(`${file}: ${code === 'ENOENT' ? 'no such file' : `cannot read it (${code})`}; give the path of a ${what} (result.json)`)
  }
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    throw new UsageError(`${file}: not JSON (${(error as Error).message}); give the path of a perfkit ${what}`)
  }
  const schema = (data as { schema?: unknown } | null)?.schema
  if (typeof schema !== 'string' || !schema.startsWith('perfkit/result@')) {
    throw new UsageError(`${file}: not a perfkit ${what} (no "schema": "${RESULT_SCHEMA}")`)
  }
  if (schema !== RESULT_SCHEMA) {
    throw new UsageError(`${file}: schema ${schema} is not one this perfkit reads (${RESULT_SCHEMA}); re-run it with this version`)
  }
  const result = data as RunResult
  if (!Array.isArray(result.scenarios) || typeof result.run !== 'object' || typeof result.environment !== 'object') {
    throw new UsageError(`${file}: a ${RESULT_SCHEMA} file missing its run, environment or scenarios; it is damaged — re-run`)
  }
  return result
}

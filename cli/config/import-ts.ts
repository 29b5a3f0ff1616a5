import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { UsageError } from '../errors.ts'

/**
 * Imports a TypeScript (or JavaScript) module without a build step, through tsx.
 * tsx is loaded only here, so commands that never read a scenario or config start fast.
 * Failures become one-line UsageErrors naming the file (and line, for a syntax error).
 */
export async function importUserModule(file: string, what: string): Promise<Record<string, unknown>> {
  const rel = path.relative(process.cwd(), file) || file
  const { tsImport } = await import('tsx/esm/api')
  try {
    return unwrapCommonJs((await tsImport(pathToFileURL(file).href, import.meta.url)) as Record<string, unknown>)
  } catch (error) {
    throw new UsageError(describeImportError(error, file, rel, what), { cause: error })
  }
}

/**
 * A `.ts` file in a package without `"type": "module"` is compiled to CommonJS, and importing it
 * gives `{ default: module.exports }` with the file's own `export default` one level down
 * (`{ default: { default: … } }`). Unwrap that, so such a file reads as it was written.
 */
export function unwrapCommonJs(namespace: Record<string, unknown>): Record<string, unknown> {
  const inner = namespace.default as Record<string, unknown> | undefined
  if (typeof inner !== 'object' || inner === null || Array.isArray(inner) || !('default' in inner)) return namespace
  const keys = Object.keys(inner).filter((k) => k !== '__esModule')
  return keys.length === 1 || inner.__esModule === true ? inner : namespace
}

function describeImportError(error: unknown, file: string, rel: string, what: string): string {
  const message = error instanceof Error ? error.message : String(error)
  // esbuild: "Transform failed with 1 error:\n/abs/file.ts:3:18: ERROR: Expected ")" but found "=>""
  const syntax = /^(.*?):(\d+):(\d+): ERROR: (.*)$/m.exec(message)
  if (syntax) {
    const where = path.relative(process.cwd(), syntax[1]!) || syntax[1]
    return `${where}:${syntax[2]}:${syntax[3]}: syntax error: ${syntax[4]} (fix the ${what} and run again)`
  }
  const code = (error as { code?: string }).code
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
    return `${rel}: cannot load the ${what}: ${firstLine(message)} (check the import path, or install the package)`
  }
  const location = locate(error, file)
  return `${location ?? rel}: the ${what} threw while loading: ${firstLine(message)}`
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.trim()
}

/** The first stack frame inside the user's file, as `file:line:column`. */
function locate(error: unknown, file: string): string | undefined {
  const stack = error instanceof Error ? error.stack : undefined
  if (!stack) return undefined
  const href = pathToFileURL(file).href
  for (const line of stack.split('\n')) {
    const match = /\(?((?:file:\/\/)?[^\s()]+):(\d+):(\d+)\)?\s*$/.exec(line)
    if (!match) continue
    const where = match[1]!.startsWith('file://') ? match[1] : pathToFileURL(match[1]!).href
    if (where!.split('?')[0] === href) return `${path.relative(process.cwd(), file)}:${match[2]}:${match[3]}`
  }
  return undefined
}

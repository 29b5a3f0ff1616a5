import { existsSync, statSync } from 'node:fs'
import path from 'node:path'
import { UsageError } from '../errors.ts'

/** The default scenario globs, relative to the project root. */
export const DEFAULT_SCENARIO_GLOBS = ['scenarios/**/*.bench.ts']

/**
 * Turns the files and globs a user gave (or the configured globs) into scenario files, sorted.
 * Every pattern must match at least one file: a typo should not silently run nothing.
 */
export async function discoverScenarioFiles(patterns: readonly string[], root: string, origin: 'argument' | 'config'): Promise<string[]> {
  const { glob, isDynamicPattern } = await import('tinyglobby')
  const found = new Set<string>()
  for (const pattern of patterns) {
    const matches: string[] = []
    if (!isDynamicPattern(pattern)) {
      const file = path.resolve(root, pattern)
      if (existsSync(file) && statSync(file).isFile()) matches.push(file)
      else if (existsSync(file) && statSync(file).isDirectory()) {
        matches.push(...(await glob('**/*.bench.{ts,mts,js,mjs}', { cwd: file, absolute: true, ignore: ['**/node_modules/**'] })))
      }
    } else {
      matches.push(...(await glob(pattern, { cwd: root, absolute: true, ignore: ['**/node_modules/**'] })))
    }
    if (matches.length === 0) {
      const where = origin === 'config' ? 'the `scenarios` globs of perfkit.config.ts' : 'the command line'
      throw new UsageError(`no scenario file matches "${pattern}" (from ${where}); check the path, or run \`perfkit list\` to see the scenarios found`)
    }
    for (const file of matches) found.add(path.normalize(file))
  }
  return [...found].sort()
}

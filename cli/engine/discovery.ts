import { existsSync, statSync } from 'node:fs'
import path from 'node:path'
import { UsageError } from '../errors.ts'

/** The file names perfkit takes for scenario files. */
export const SCENARIO_FILE_GLOB = '**/*.bench.{ts,mts,js,mjs}'

/**
 * The default scenario globs, relative to the project root: every `*.bench.{ts,mts,js,mjs}` file —
 * in `scenarios/`, `bench/`, `benchmarks/` or beside the code it measures — outside the folders that
 * hold installed, built or generated files ({@link DEFAULT_IGNORE}).
 */
export const DEFAULT_SCENARIO_GLOBS: readonly string[] = [SCENARIO_FILE_GLOB]

/**
 * Folders the default globs never look in: installed packages, build output (a compiled
 * `x.bench.js` would run twice), coverage, and perfkit's own reports. Dot-folders are skipped too.
 */
export const DEFAULT_IGNORE: readonly string[] = ['**/node_modules/**', '**/dist/**', '**/build/**', '**/coverage/**', '**/reports/**']

/** Whether `patterns` are perfkit's defaults (the config named no `scenarios`), by content. */
export function isDefaultGlobs(patterns: readonly string[]): boolean {
  return patterns.length === DEFAULT_SCENARIO_GLOBS.length && patterns.every((p, i) => p === DEFAULT_SCENARIO_GLOBS[i])
}

/**
 * Turns the files and globs a user gave (or the configured globs) into scenario files, sorted.
 *
 * Patterns the user wrote (on the command line or as the config's `scenarios`) must each match at
 * least one file: a typo should not silently run nothing. perfkit's default globs are looked for
 * together, and only when they find nothing at all is that an error — naming the folder looked in,
 * the globs, and the command that writes a first scenario.
 */
export async function discoverScenarioFiles(patterns: readonly string[], root: string, origin: 'argument' | 'config'): Promise<string[]> {
  const { glob, isDynamicPattern } = await import('tinyglobby')
  if (origin === 'config' && isDefaultGlobs(patterns)) {
    const files = await glob([...patterns], { cwd: root, absolute: true, ignore: [...DEFAULT_IGNORE] })
    if (files.length === 0) throw new UsageError(noScenariosMessage(root, patterns))
    return [...new Set(files.map((f) => path.normalize(f)))].sort()
  }
  const found = new Set<string>()
  for (const pattern of patterns) {
    const matches: string[] = []
    if (!isDynamicPattern(pattern)) {
      const file = path.resolve(root, pattern)
      if (existsSync(file) && statSync(file).isFile()) matches.push(file)
      else if (existsSync(file) && statSync(file).isDirectory()) {
        matches.push(...(await glob(SCENARIO_FILE_GLOB, { cwd: file, absolute: true, ignore: ['**/node_modules/**'] })))
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

/** One line: where the default globs looked, and how to make a first scenario. */
export function noScenariosMessage(root: string, patterns: readonly string[]): string {
  const skipped = DEFAULT_IGNORE.map((g) => g.replace(/^\*\*\/|\/\*\*$/g, '')).join(', ')
  return `no scenario files found: looked in ${root} for ${patterns.join(', ')} (outside ${skipped}); create a first one with \`npx perfkit init\`, or name files on the command line`
}

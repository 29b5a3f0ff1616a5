/**
 * `perfkit.config.ts`: named with --config, or found by walking up from the working directory to the
 * package root (the nearest folder with a package.json), as vitest does; loaded through tsx,
 * validated into a ResolvedConfig with every default applied. Flags override it later.
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import { UsageError } from '../errors.ts'
import { BudgetSyntaxError, parseBudget, type Budget } from '../gate/budget.ts'
import { DEFAULT_SCENARIO_GLOBS } from '../engine/discovery.ts'
import { parseDuration } from './duration.ts'
import { importUserModule } from './import-ts.ts'

export const CONFIG_FILES = ['perfkit.config.ts', 'perfkit.config.mts', 'perfkit.config.js', 'perfkit.config.mjs']

export const DEFAULTS = {
  timeMs: 8000,
  quickTimeMs: 1200,
  minEffect: 0.05,
  alpha: 0.01,
  timeoutMs: 60_000,
  outDir: 'reports',
} as const

export interface ResolvedConfig {
  /**
   * The folder globs and outDir are relative to: the config file's folder, else the package root
   * (the nearest folder with a package.json), else the working directory.
   */
  root: string
  /** The config file, when there is one. */
  file?: string
  scenarios: string[]
  /** Whether `scenarios` came from the config file (for error messages). */
  scenariosFromConfig: boolean
  outDir: string
  timeMs: number
  minEffect: number
  alpha: number
  timeoutMs: number
  budgets: Budget[]
  backends: { postgres?: string; redis?: string; nats?: string }
}

const KEYS = ['scenarios', 'outDir', 'time', 'minEffect', 'alpha', 'timeout', 'budgets', 'backends']

/** The nearest folder, from `cwd` up, that holds a package.json; undefined when there is none. */
export function findPackageRoot(cwd: string): string | undefined {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir
    if (path.dirname(dir) === dir) return undefined
  }
}

/**
 * Where perfkit finds its config: the first perfkit.config.{ts,mts,js,mjs} in `cwd` or a folder above
 * it, up to and including the package root — never above it, so another project's config is not
 * picked up. Outside any package only `cwd` is looked in. `root` is the config's folder, else the
 * package root, else `cwd`.
 */
export function findConfig(cwd: string): { file?: string; root: string } {
  const start = path.resolve(cwd)
  const packageRoot = findPackageRoot(start)
  for (let dir = start; ; dir = path.dirname(dir)) {
    const file = CONFIG_FILES.map((name) => path.join(dir, name)).find((f) => existsSync(f))
    if (file) return { file, root: dir }
    if (!packageRoot || dir === packageRoot || path.dirname(dir) === dir) break
  }
  return { root: packageRoot ?? start }
}

export async function loadConfig(explicit: string | undefined, cwd = process.cwd()): Promise<ResolvedConfig> {
  const found = explicit ? { file: path.resolve(cwd, explicit), root: path.dirname(path.resolve(cwd, explicit)) } : findConfig(cwd)
  const file = found.file
  if (explicit && !existsSync(file!)) throw new UsageError(`--config ${explicit}: no such file; check the path`)
  const base: ResolvedConfig = {
    root: found.root,
    scenarios: [...DEFAULT_SCENARIO_GLOBS],
    scenariosFromConfig: false,
    outDir: DEFAULTS.outDir,
    timeMs: DEFAULTS.timeMs,
    minEffect: DEFAULTS.minEffect,
    alpha: DEFAULTS.alpha,
    timeoutMs: DEFAULTS.timeoutMs,
    budgets: [],
    backends: {},
  }
  if (!file) return base
  const rel = path.relative(cwd, file) || file
  const module = await importUserModule(file, 'config file')
  const raw = module.default
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new UsageError(`${rel}: no config object; end the file with \`export default defineConfig({ … })\``)
  }
  return validateConfig(raw as Record<string, unknown>, rel, { ...base, root: path.dirname(file), file })
}

function validateConfig(raw: Record<string, unknown>, rel: string, base: ResolvedConfig): ResolvedConfig {
  const config = { ...base }
  const fail = (message: string): never => {
    throw new UsageError(`${rel}: ${message}`)
  }
  for (const key of Object.keys(raw)) {
    if (!KEYS.includes(key)) fail(`unknown key "${key}" (known: ${KEYS.join(', ')})`)
  }
  if (raw.scenarios !== undefined) {
    const globs = raw.scenarios
    if (!Array.isArray(globs) || globs.length === 0 || !globs.every((g) => typeof g === 'string' && g.length > 0)) {
      fail('`scenarios` must be a non-empty array of globs such as ["scenarios/**/*.bench.ts"]')
    }
    config.scenarios = globs as string[]
    config.scenariosFromConfig = true
  }
  if (raw.outDir !== undefined) {
    if (typeof raw.outDir !== 'string' || raw.outDir.length === 0) fail('`outDir` must be a folder path')
    config.outDir = raw.outDir as string
  }
  for (const key of ['time', 'timeout'] as const) {
    if (raw[key] === undefined) continue
    const ms = typeof raw[key] === 'number' || typeof raw[key] === 'string' ? parseDuration(raw[key] as string) : undefined
    if (ms === undefined) fail(`\`${key}\` must be a duration such as '8s' or 8000 (ms)`)
    if (key === 'time') config.timeMs = ms!
    else config.timeoutMs = ms!
  }
  if (raw.minEffect !== undefined) {
    if (typeof raw.minEffect !== 'number' || !(raw.minEffect > 0 && raw.minEffect < 1)) fail('`minEffect` must be a fraction between 0 and 1, e.g. 0.05')
    config.minEffect = raw.minEffect as number
  }
  if (raw.alpha !== undefined) {
    if (typeof raw.alpha !== 'number' || !(raw.alpha > 0 && raw.alpha < 0.5)) fail('`alpha` must be a probability between 0 and 0.5, e.g. 0.01')
    config.alpha = raw.alpha as number
  }
  if (raw.budgets !== undefined) {
    if (!Array.isArray(raw.budgets)) fail("`budgets` must be an array of strings such as '*: bytesPerOp <= 2kB'")
    config.budgets = (raw.budgets as unknown[]).map((text) => {
      if (typeof text !== 'string') return fail("each budget must be a string such as '*: bytesPerOp <= 2kB'")
      try {
        return parseBudget(text)
      } catch (error) {
        if (error instanceof BudgetSyntaxError) return fail(`budget "${text}": ${error.reason} at column ${error.column}`)
        throw error
      }
    })
  }
  if (raw.backends !== undefined) {
    const backends = raw.backends as Record<string, unknown>
    if (typeof backends !== 'object' || backends === null) fail('`backends` must be an object { postgres?, redis?, nats? } of URLs')
    for (const [key, url] of Object.entries(backends)) {
      if (!['postgres', 'redis', 'nats'].includes(key)) fail(`backends: unknown backend "${key}" (known: postgres, redis, nats)`)
      if (typeof url !== 'string' || !/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) fail(`backends.${key} must be a URL such as postgres://user@host:5432/db`)
    }
    config.backends = { ...(backends as ResolvedConfig['backends']) }
  }
  return config
}

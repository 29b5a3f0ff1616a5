/**
 * `perfkit init`: a first config and a first scenario in the user's project — a perfkit.config.ts and
 * a micro scenario to adapt, at the package root — and `"bench": "perfkit run"` in package.json when
 * that script is free. It never overwrites a file: what is already there is skipped, and said so.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { CONFIG_FILES, findPackageRoot } from '../config/config.ts'
import { EXIT, UsageError } from '../errors.ts'
import { displayPath as show } from '../result/io.ts'

export interface InitFlags {
  verbose?: boolean
}

/**
 * The example scenario, relative to the project root, for a package whose `.ts` files are ES
 * modules (`"type": "module"`) and for one whose `.ts` files are CommonJS, where `.mts` keeps the
 * import/export syntax valid for TypeScript (verbatimModuleSyntax) and for Node alike.
 */
export const EXAMPLE_SCENARIO = { ts: 'bench/example.bench.ts', mts: 'bench/example.bench.mts' } as const

export const CONFIG_TEXT = `import { defineConfig } from 'perfkit'

// perfkit's settings for this project; every key is optional. \`npx perfkit run --help\` lists the flags
// that override them for one run.
export default defineConfig({
  // Where the scenario files are, relative to this file. Without it: every *.bench.{ts,mts,js,mjs}
  // outside node_modules, dist, build, coverage and reports.
  // scenarios: ['bench/**/*.bench.ts'],

  // Time budget per scenario case (\`--time\`, \`--quick\` override it).
  time: '8s',

  // The smallest change called slower or faster (0.05 = 5 %).
  minEffect: 0.05,

  // Budgets checked on every run of every scenario; a failure exits 1.
  // budgets: ['*: bytesPerOp <= 2kB'],

  // Where run folders go (git-ignore it, but keep reports/baselines/ if you commit baselines).
  outDir: 'reports',
})
`

export const SCENARIO_TEXT = `/**
 * A first perfkit scenario: variants of the same work, each measured in processes of its own,
 * interleaved, and compared with the baseline variant (ratio, interval, verdict, bytes per op).
 *
 *   npx perfkit run            all scenarios (npm run bench)
 *   npx perfkit run --quick    a short smoke run
 *   npx perfkit list           the scenarios perfkit finds
 */
import { defineScenario } from 'perfkit'

// Measure your own code: import the functions to compare and call them in the variants below, e.g.
// import { parseFast, parseSafe } from '../src/parse.ts'

// Two ways of building the same string, as placeholders for your own functions.
function buildWithConcat(parts: readonly string[]): string {
  let out = ''
  for (const part of parts) out += part + ','
  return out
}

function buildWithJoin(parts: readonly string[]): string {
  return parts.join(',') + ','
}

export default defineScenario({
  name: 'example',
  title: 'String building: += vs Array#join',
  baseline: 'concat', // every other variant is compared with it
  params: { parts: [100] }, // a matrix: every combination runs; \`--param parts=1000\` overrides
  // Runs once in each variant's process; what it returns is the state each variant gets.
  setup: ({ params }) => ({ parts: Array.from({ length: Number(params.parts) }, (_, i) => \`item-\${i}\`) }),
  variants: {
    // One operation each (a promise is awaited); the value is consumed so the work is not optimised away.
    concat: (state) => buildWithConcat(state.parts),
    join: (state) => buildWithJoin(state.parts),
  },
  // Checked on every run; a failure exits 1.
  // budgets: ['join: ratio <= 1.10', '*: bytesPerOp <= 4kB'],
})

// Other kinds (see perfkit's README, "HTTP scenarios" and "Load scenarios"):
//
// An HTTP server under load — each variant's server in a process of its own, driven by autocannon:
//   kind: 'http',
//   request: { method: 'GET', path: '/health' },
//   sweep: { connections: [10, 50] },
//   variants: { plain: './servers/plain.ts', app: { module: '../src/app.ts', export: 'app' } },
//   // a module's export is a request listener, an Express app, or a node:http Server not yet listening
//
// A system under concurrent load (a queue, a worker pool), swept over the number of producers:
//   kind: 'load',
//   sweep: { concurrency: [10, 100, 1000] },
//   duration: '3s',
//   variants: {
//     pooled: (ctx) => {
//       const queue = new MyQueue({ onDone: (op) => ctx.handled(op) })
//       return { emit: (op) => queue.push(op), close: () => queue.close() }
//     },
//   },
`

interface PackageJson {
  scripts?: Record<string, string>
  dependencies?: Record<string, string>
  devDependencies?: Record<string, string>
}

/** Writes `file` unless it exists; true when written. */
function writeNew(file: string, text: string): boolean {
  mkdirSync(path.dirname(file), { recursive: true })
  try {
    writeFileSync(file, text, { flag: 'wx' })
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw new UsageError(`cannot write ${show(file)}: ${(error as Error).message}; check the folder's permissions`, { cause: error })
  }
}

export async function initCommand(_flags: InitFlags = {}, cwd = process.cwd()): Promise<number> {
  const packageRoot = findPackageRoot(cwd)
  const root = packageRoot ?? path.resolve(cwd)
  const lines: string[] = []

  const ext = packageRoot && isEsmPackage(path.join(packageRoot, 'package.json')) ? 'ts' : 'mts'
  const configName = `perfkit.config.${ext}`
  const existingConfig = CONFIG_FILES.map((name) => path.join(root, name)).find((f) => existsSync(f))
  if (existingConfig) lines.push(`skipped ${configName}: ${show(existingConfig)} is already there`)
  else if (writeNew(path.join(root, configName), CONFIG_TEXT)) lines.push(`wrote   ${show(path.join(root, configName))}: perfkit's settings (time budget, minimum effect, budgets)`)

  const scenario = path.join(root, EXAMPLE_SCENARIO[ext])
  if (writeNew(scenario, SCENARIO_TEXT)) lines.push(`wrote   ${show(scenario)}: a micro scenario with two variants; import your own functions into it`)
  else lines.push(`skipped ${show(scenario)}: already there`)

  if (packageRoot) lines.push(...addBenchScript(path.join(packageRoot, 'package.json')))
  else lines.push(`skipped the "bench" script: no package.json in ${show(root) || '.'} or above (npm init makes one)`)

  lines.push('next:   npx perfkit run --quick (results go to reports/)')
  process.stdout.write(`${lines.join('\n')}\n`)
  return EXIT.ok
}

/** Whether the package's `.ts` files are ES modules. An unreadable package.json is reported by addBenchScript. */
function isEsmPackage(file: string): boolean {
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { type?: string }).type === 'module'
  } catch {
    return false
  }
}

/** Adds `"bench": "perfkit run"` to the scripts when it is free, keeping the file's indentation. */
function addBenchScript(file: string): string[] {
  const text = readFileSync(file, 'utf8')
  let pkg: PackageJson
  try {
    pkg = JSON.parse(text) as PackageJson
  } catch (error) {
    throw new UsageError(`${show(file)}: not valid JSON (${(error as Error).message}); fix it and run \`perfkit init\` again`, { cause: error })
  }
  const lines: string[] = []
  const current = pkg.scripts?.bench
  if (current !== undefined) {
    lines.push(current === 'perfkit run' ? `skipped the "bench" script: ${show(file)} has it already` : `skipped the "bench" script: ${show(file)} has one ("${current}"); run perfkit with \`npx perfkit run\``)
  } else {
    const indent = /^[ \t]+(?=")/m.exec(text)?.[0] ?? '  '
    const updated: PackageJson = { ...pkg, scripts: { ...pkg.scripts, bench: 'perfkit run' } }
    writeFileSync(file, `${JSON.stringify(updated, null, indent)}${text.endsWith('\n') ? '\n' : ''}`)
    lines.push(`added   "bench": "perfkit run" to the scripts of ${show(file)} (npm run bench)`)
  }
  if (!pkg.dependencies?.perfkit && !pkg.devDependencies?.perfkit) lines.push(`note:   perfkit is not in ${show(file)}; scenarios import it: npm install --save-dev perfkit`)
  return lines
}

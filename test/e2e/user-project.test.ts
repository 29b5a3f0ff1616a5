/**
 * perfkit as a user gets it: `npm pack` of this repository, installed from the tarball into a fresh
 * npm project (`npm init -y`, `"type": "module"`, its own code under src/, a default `tsc --init` tsconfig).
 * There: the no-scenarios message, a bench file found without a config, `perfkit init`, runs from the
 * root and from a subfolder, a plain `tsc --noEmit`, the install's weight and an optional profiler
 * that is not installed. Needs `npm run build` first (the tarball ships dist/) and the npm registry.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { expectOneLine, ROOT, tempDir } from '../support/cli.ts'

interface Result {
  code: number | null
  stdout: string
  stderr: string
}

function sh(command: string, args: string[], cwd: string, timeoutMs = 240_000): Promise<Result> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' }
    delete env.GITHUB_STEP_SUMMARY
    // Keep npm from treating the temporary project as part of this repository's npm run.
    for (const key of Object.keys(env)) if (key.startsWith('npm_package_') || key === 'npm_config_prefix' || key === 'INIT_CWD') delete env[key]
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}

const perfkit = (args: string[], cwd: string) => sh('npx', ['--no-install', 'perfkit', ...args], cwd)

const X_BENCH = `import { defineScenario } from 'perfkit'
import { slugify } from '../src/slug.js'

export default defineScenario({
  name: 'slug',
  baseline: 'regex',
  variants: {
    regex: () => slugify('Hello World, again'),
    manual: () => 'Hello World, again'.toLowerCase().split(' ').join('-'),
  },
})
`

describe('perfkit in a user\'s own project, installed from the packed tarball', () => {
  const project = tempDir('perfkit-user-')
  const sub = path.join(project, 'src', 'deep')
  let tarball = ''

  beforeAll(async () => {
    expect(existsSync(path.join(ROOT, 'dist/cli/main.js')), 'run `npm run build` first').toBe(true)
    const packDir = tempDir('perfkit-pack-')
    // The build already ran (npm test's pretest); --ignore-scripts keeps prepack from rebuilding.
    const packed = await sh('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', packDir], ROOT)
    expect(packed.code, packed.stderr).toBe(0)
    const [info] = JSON.parse(packed.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>
    tarball = path.join(packDir, info!.filename)
    const files = info!.files.map((f) => f.path)
    // Only what running a user's scenarios needs: compiled code and types, no sources, fixtures or maps.
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([])
    expect(files.filter((f) => /\.ts$/.test(f) && !f.endsWith('.d.ts'))).toEqual([])
    expect(files.filter((f) => f.startsWith('fixtures/') || f.startsWith('dist/fixtures/'))).toEqual([])
    expect(files).toContain('dist/cli/main.js')

    const init = await sh('npm', ['init', '-y'], project)
    expect(init.code, init.stderr).toBe(0)
    expect((await sh('npm', ['pkg', 'set', 'type=module'], project)).code).toBe(0)
    const installed = await sh('npm', ['install', '--no-audit', '--no-fund', tarball, 'typescript@~5.9'], project, 300_000)
    expect(installed.code, installed.stderr).toBe(0)
    mkdirSync(sub, { recursive: true })
    writeFileSync(path.join(project, 'src/slug.ts'), "export function slugify(text: string): string {\n  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-')\n}\n")
    const tsc = await sh('npx', ['--no-install', 'tsc', '--init'], project)
    expect(tsc.code, tsc.stdout + tsc.stderr).toBe(0)
  }, 420_000)

  it('installs light: no @types side effects, ≤ 200 packages, no install script of perfkit\'s own', async () => {
    const types = path.join(project, 'node_modules/@types')
    expect(existsSync(types) ? readdirSync(types) : []).toEqual([])
    const list = await sh('npm', ['ls', '--all', '--parseable'], project)
    const packages = list.stdout.trim().split('\n').length - 1 // the first line is the project itself
    expect(packages).toBeLessThanOrEqual(200)
    const pkg = JSON.parse(readFileSync(path.join(project, 'node_modules/perfkit/package.json'), 'utf8')) as { scripts?: Record<string, string> }
    expect(Object.keys(pkg.scripts ?? {}).filter((s) => ['preinstall', 'install', 'postinstall', 'prepare'].includes(s))).toEqual([])
  })

  it('with no scenario anywhere, one line says where perfkit looked and how to make a first one', async () => {
    const result = await perfkit(['run', '--quick'], sub)
    expectOneLine(result, /^perfkit: no scenario files found: looked in (.+) for \*\*\/\*\.bench\.\{ts,mts,js,mjs\} \(outside node_modules, .*\); create a first one with `npx perfkit init`/)
    expect(result.stderr).toContain(`looked in ${project} for`)
  })

  it('finds bench/x.bench.ts without any config, from a subfolder', async () => {
    mkdirSync(path.join(project, 'bench'), { recursive: true })
    writeFileSync(path.join(project, 'bench/x.bench.ts'), X_BENCH)
    const result = await perfkit(['list', '--json'], sub)
    expect(result.code, result.stderr).toBe(0)
    const list = JSON.parse(result.stdout) as Array<{ name: string; file: string }>
    expect(list.map((s) => [s.name, s.file])).toEqual([['slug', path.join('..', '..', 'bench', 'x.bench.ts')]])
  })

  it('perfkit init writes a config and a first scenario, adds the bench script, and overwrites nothing', async () => {
    const first = await perfkit(['init'], sub)
    expect(first.code, first.stderr).toBe(0)
    expect(first.stdout).toMatch(/^wrote {3}\.\.\/\.\.\/perfkit\.config\.ts/m)
    expect(first.stdout).toMatch(/^wrote {3}\.\.\/\.\.\/bench\/example\.bench\.ts/m)
    expect(first.stdout).toMatch(/^added {3}"bench": "perfkit run"/m)
    expect(first.stdout.trim().split('\n').length).toBeLessThanOrEqual(6)
    const pkg = JSON.parse(readFileSync(path.join(project, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
    expect(pkg.scripts.bench).toBe('perfkit run')

    const config = readFileSync(path.join(project, 'perfkit.config.ts'), 'utf8')
    const again = await perfkit(['init'], project)
    expect(again.code, again.stderr).toBe(0)
    expect(again.stdout).toMatch(/^skipped perfkit\.config\.ts: perfkit\.config\.ts is already there/m)
    expect(again.stdout).toMatch(/^skipped bench\/example\.bench\.ts: already there/m)
    expect(again.stdout).toMatch(/^skipped the "bench" script: package\.json has it already/m)
    expect(readFileSync(path.join(project, 'perfkit.config.ts'), 'utf8')).toBe(config)
  })

  it('npx perfkit run --quick succeeds from the project root and from a subfolder; results go under the root', async () => {
    for (const cwd of [project, sub]) {
      rmSync(path.join(project, 'reports'), { recursive: true, force: true })
      const result = await perfkit(['run', '--quick'], cwd)
      expect(result.code, result.stderr).toBe(0)
      expect(result.stdout).toMatch(/^example\b/m)
      expect(result.stdout).toMatch(/^slug\b/m)
      expect(existsSync(path.join(project, 'reports/latest/result.json'))).toBe(true)
      expect(existsSync(path.join(sub, 'reports'))).toBe(false)
    }
  }, 180_000)

  it('a plain tsc --noEmit on the project passes (scenario files and config included)', async () => {
    const result = await sh('npx', ['--no-install', 'tsc', '--noEmit'], project)
    expect(result.code, result.stdout + result.stderr).toBe(0)
  }, 120_000)

  it('an optional profiler that is not installed is one line naming how to install it', async () => {
    const result = await perfkit(['profile', 'example', '--tool', 'clinic-doctor'], project)
    expectOneLine(result, /^perfkit: --tool clinic-doctor: @clinic\/doctor is not installed \(it is optional\); install it beside perfkit with `npm install --save-dev @clinic\/doctor`/)
    const zeroX = await perfkit(['run', '--quick', '--profile-tool', '0x'], project)
    expectOneLine(zeroX, /^perfkit: --profile-tool 0x: 0x is not installed .*`npm install --save-dev 0x`/)
  })
})

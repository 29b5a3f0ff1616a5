/** `perfkit init` on its own: what it writes where, and that it never overwrites. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { CONFIG_TEXT, initCommand, SCENARIO_TEXT } from '../../cli/commands/init.ts'
import { unwrapCommonJs } from '../../cli/config/import-ts.ts'
import { tempDir } from '../support/cli.ts'

async function init(cwd: string): Promise<string> {
  let out = ''
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk)
    return true
  })
  const previous = process.cwd()
  process.chdir(cwd)
  try {
    expect(await initCommand({}, cwd)).toBe(0)
  } finally {
    process.chdir(previous)
    spy.mockRestore()
  }
  return out
}

function project(pkg: object, text = `${JSON.stringify(pkg, null, 4)}\n`): string {
  const dir = tempDir('perfkit-init-')
  writeFileSync(path.join(dir, 'package.json'), text)
  mkdirSync(path.join(dir, 'src/lib'), { recursive: true })
  return dir
}

afterEach(() => vi.restoreAllMocks())

describe('perfkit init', () => {
  it('in an ES-module package, from a subfolder: writes .ts files at the package root and the bench script', async () => {
    const dir = project({ name: 'app', type: 'module', scripts: { test: 'vitest' }, devDependencies: { perfkit: '^0.1.0' } })
    const out = await init(path.join(dir, 'src/lib'))
    expect(readFileSync(path.join(dir, 'perfkit.config.ts'), 'utf8')).toBe(CONFIG_TEXT)
    expect(readFileSync(path.join(dir, 'bench/example.bench.ts'), 'utf8')).toBe(SCENARIO_TEXT)
    const text = readFileSync(path.join(dir, 'package.json'), 'utf8')
    expect(JSON.parse(text).scripts).toEqual({ test: 'vitest', bench: 'perfkit run' })
    expect(text).toMatch(/^ {4}"name"/m) // its indentation kept
    expect(out.trim().split('\n').map((l) => l.split(/\s+/)[0])).toEqual(['wrote', 'wrote', 'added', 'next:'])
    expect(out).not.toMatch(/note:/)
  })

  it('in a CommonJS package: .mts files, so import/export stay valid for TypeScript and Node', async () => {
    const dir = project({ name: 'app' })
    const out = await init(dir)
    expect(readFileSync(path.join(dir, 'perfkit.config.mts'), 'utf8')).toBe(CONFIG_TEXT)
    expect(readFileSync(path.join(dir, 'bench/example.bench.mts'), 'utf8')).toBe(SCENARIO_TEXT)
    expect(out).toMatch(/note: {3}perfkit is not in package\.json; scenarios import it: npm install --save-dev perfkit/)
  })

  it('never overwrites: an existing config (any extension), scenario or bench script is skipped and named', async () => {
    const dir = project({ name: 'app', type: 'module', scripts: { bench: 'vitest bench' } })
    writeFileSync(path.join(dir, 'perfkit.config.mjs'), 'export default {}\n')
    mkdirSync(path.join(dir, 'bench'))
    writeFileSync(path.join(dir, 'bench/example.bench.ts'), '// mine\n')
    const before = readFileSync(path.join(dir, 'package.json'), 'utf8')
    const out = await init(dir)
    expect(out).toMatch(/^skipped perfkit\.config\.ts: perfkit\.config\.mjs is already there$/m)
    expect(out).toMatch(/^skipped bench\/example\.bench\.ts: already there$/m)
    expect(out).toMatch(/^skipped the "bench" script: package\.json has one \("vitest bench"\); run perfkit with `npx perfkit run`$/m)
    expect(readFileSync(path.join(dir, 'bench/example.bench.ts'), 'utf8')).toBe('// mine\n')
    expect(readFileSync(path.join(dir, 'package.json'), 'utf8')).toBe(before)
  })

  it('a package.json that is not JSON is one line naming it', async () => {
    const dir = project({}, '{ nope')
    await expect(initCommand({}, dir)).rejects.toThrow(/package\.json: not valid JSON \(.*\); fix it and run `perfkit init` again$/)
  })
})

describe('a TypeScript file compiled as CommonJS', () => {
  it('reads as written: its default export one level up', () => {
    const config = { outDir: 'out' }
    expect(unwrapCommonJs({ default: { __esModule: true, default: config } })).toEqual({ __esModule: true, default: config })
    expect(unwrapCommonJs({ default: { default: config } }).default).toBe(config)
    // An ES module's own default export is left alone.
    expect(unwrapCommonJs({ default: config }).default).toBe(config)
    expect(unwrapCommonJs({ default: [config] }).default).toEqual([config])
  })
})

/** Where perfkit finds its config and, without one, its scenario files. */
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { findConfig, findPackageRoot, loadConfig } from '../../cli/config/config.ts'
import { DEFAULT_SCENARIO_GLOBS, discoverScenarioFiles } from '../../cli/engine/discovery.ts'
import { UsageError } from '../../cli/errors.ts'
import { tempDir } from '../support/cli.ts'

function project(files: Record<string, string>): string {
  const dir = tempDir('perfkit-discovery-')
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true })
    writeFileSync(path.join(dir, name), text)
  }
  return dir
}

const PKG = '{"name":"user-project","type":"module"}'
const SCENARIO = 'export default { name: "x", baseline: "a", variants: { a: () => 1 } }\n'

describe('config discovery', () => {
  it('walks up from a subfolder to the config at the package root', async () => {
    const dir = project({ 'package.json': PKG, 'perfkit.config.ts': "export default { outDir: 'out' }\n", 'src/deep/a.ts': '' })
    expect(findConfig(path.join(dir, 'src/deep'))).toEqual({ file: path.join(dir, 'perfkit.config.ts'), root: dir })
    const config = await loadConfig(undefined, path.join(dir, 'src/deep'))
    expect(config.root).toBe(dir)
    expect(config.file).toBe(path.join(dir, 'perfkit.config.ts'))
    expect(config.outDir).toBe('out')
  })

  it('takes the nearest config on the way up, in any of the four extensions', () => {
    const dir = project({ 'package.json': PKG, 'perfkit.config.ts': '', 'packages/api/perfkit.config.mjs': '', 'packages/api/src/x.ts': '' })
    expect(findConfig(path.join(dir, 'packages/api/src'))).toEqual({ file: path.join(dir, 'packages/api/perfkit.config.mjs'), root: path.join(dir, 'packages/api') })
  })

  it('stops at the package root: a config above it belongs to another project', () => {
    const dir = project({ 'perfkit.config.ts': '', 'app/package.json': PKG, 'app/src/x.ts': '' })
    expect(findConfig(path.join(dir, 'app/src'))).toEqual({ root: path.join(dir, 'app') })
  })

  it('without a config, the root is the package root, found from a subfolder', async () => {
    const dir = project({ 'package.json': PKG, 'src/lib/x.ts': '' })
    expect(findPackageRoot(path.join(dir, 'src/lib'))).toBe(dir)
    const config = await loadConfig(undefined, path.join(dir, 'src/lib'))
    expect(config.root).toBe(dir)
    expect(config.file).toBeUndefined()
    expect(config.scenarios).toEqual([...DEFAULT_SCENARIO_GLOBS])
    expect(config.scenariosFromConfig).toBe(false)
  })

  it('an explicit --config is relative to the working directory and must exist', async () => {
    const dir = project({ 'package.json': PKG, 'conf/my.config.ts': "export default { time: '2s' }\n" })
    const config = await loadConfig('conf/my.config.ts', dir)
    expect(config.root).toBe(path.join(dir, 'conf'))
    expect(config.timeMs).toBe(2000)
    await expect(loadConfig('conf/nope.ts', dir)).rejects.toThrow(/^--config conf\/nope\.ts: no such file; check the path$/)
  })
})

describe('scenario discovery', () => {
  it('the default globs find *.bench files in bench/, benchmarks/, scenarios/ and beside the code, not in node_modules or build output', async () => {
    const dir = project({
      'package.json': PKG,
      'bench/x.bench.ts': SCENARIO,
      'benchmarks/y.bench.mjs': SCENARIO,
      'scenarios/z.bench.mts': SCENARIO,
      'src/cache.bench.js': SCENARIO,
      'bench/helpers.ts': '',
      'node_modules/dep/a.bench.ts': SCENARIO,
      'dist/bench/x.bench.js': SCENARIO,
      'reports/old/r.bench.ts': SCENARIO,
    })
    const files = await discoverScenarioFiles(DEFAULT_SCENARIO_GLOBS, dir, 'config')
    expect(files.map((f) => path.relative(dir, f))).toEqual(['bench/x.bench.ts', 'benchmarks/y.bench.mjs', 'scenarios/z.bench.mts', 'src/cache.bench.js'])
  })

  it('when the default globs find nothing, one error names the folder, the globs and `npx perfkit init`', async () => {
    const dir = project({ 'package.json': PKG, 'src/index.ts': '' })
    const error = await discoverScenarioFiles(DEFAULT_SCENARIO_GLOBS, dir, 'config').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UsageError)
    const message = (error as Error).message
    expect(message).not.toContain('\n')
    expect(message).toContain(`looked in ${dir} for **/*.bench.{ts,mts,js,mjs}`)
    expect(message).toContain('`npx perfkit init`')
  })

  it('globs the config names, and patterns on the command line, must each match', async () => {
    const dir = project({ 'package.json': PKG, 'bench/x.bench.ts': SCENARIO })
    await expect(discoverScenarioFiles(['bench/*.bench.ts', 'perf/**/*.bench.ts'], dir, 'config')).rejects.toThrow(
      /no scenario file matches "perf\/\*\*\/\*\.bench\.ts" \(from the `scenarios` globs of perfkit\.config\.ts\)/,
    )
    await expect(discoverScenarioFiles(['bench', 'missing.bench.ts'], dir, 'argument')).rejects.toThrow(/no scenario file matches "missing\.bench\.ts" \(from the command line\)/)
    expect(await discoverScenarioFiles(['bench'], dir, 'argument')).toEqual([path.join(dir, 'bench/x.bench.ts')])
  })
})

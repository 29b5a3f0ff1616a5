import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { baselinesDir, requireCommonScenario, resolveBaseline } from '../../cli/gate/baseline.ts'
import { syntheticRun } from '../support/results.ts'

describe('naming a baseline', () => {
  const dir = '/project/reports/baselines'
  it('a name resolves under the baselines folder', () => {
    expect(resolveBaseline('main', dir, '/project')).toEqual({ name: 'main', file: '/project/reports/baselines/main.json', byName: true })
    expect(baselinesDir('/project', 'out')).toBe(path.resolve('/project/out/baselines'))
  })
  it('anything with a slash or ending in .json is a file, relative to the working directory', () => {
    expect(resolveBaseline('old/result.json', dir, '/project')).toMatchObject({ file: '/project/old/result.json', byName: false })
    expect(resolveBaseline('main.json', dir, '/project')).toMatchObject({ file: '/project/main.json', byName: false })
  })
  it('refuses a name that cannot be a file name', () => {
    expect(() => resolveBaseline('ma in', dir, '/project')).toThrow(/baseline name "ma in": use letters, digits/)
  })
  it('requires a scenario in common, by id or by name', () => {
    const baseline = syntheticRun()
    const ref = { name: 'main', file: '/project/reports/baselines/main.json', byName: true }
    expect(() => requireCommonScenario([{ id: 'broker-vs-direct[backend=postgres]', name: 'broker-vs-direct' }], baseline, ref)).not.toThrow()
    expect(() => requireCommonScenario([{ id: 'other', name: 'other' }], baseline, ref)).toThrow(/has no scenario in common with this run \(baseline: broker-vs-direct\[backend=pglite\], services-layering\[cache=redis,hitRate=0\.9\], eventstore-append\[backend=pglite,events=1000000,gin=true\]; this run: other\)/)
  })
})

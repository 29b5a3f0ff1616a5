/**
 * `perfkit report <result.json>`: rebuilds the HTML report from a result file alone (profile links
 * included); a result file that is missing, not JSON or of another schema is one line and exit 2.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { mixedRun } from '../support/results.ts'
import { expectOneLine, runCli, tempDir } from '../support/cli.ts'

describe('perfkit report', () => {
  it('rebuilds index.html beside the result, sweeps and recorded profiles included', async () => {
    const dir = tempDir()
    const run = mixedRun()
    run.scenarios[0]!.profiles = [{ state: 'written', variant: 'broker', tool: 'cpuprofile', kind: 'flamegraph', path: 'profiles/broker-vs-direct_backend=pglite/broker.html' }]
    writeFileSync(path.join(dir, 'result.json'), JSON.stringify(run))
    const result = await runCli(['report', path.join(dir, 'result.json')])
    expect(result.code).toBe(0)
    const page = readFileSync(path.join(dir, 'index.html'), 'utf8')
    expect(page).toContain('load sweep over <strong>concurrency</strong>')
    expect(page).toContain('<a href="profiles/broker-vs-direct_backend=pglite/broker.html">flame graph</a>')
  })

  it('a missing file', async () => {
    expectOneLine(await runCli(['report', path.join(tempDir(), 'nope.json')]), /^perfkit: .*nope\.json: no such file; give the path of a result file \(result\.json\)$/)
  })

  it('a file that is not JSON', async () => {
    const file = path.join(tempDir(), 'result.json')
    writeFileSync(file, '{ "schema": "perfkit/result@1", ')
    expectOneLine(await runCli(['report', file]), /^perfkit: .*result\.json: not JSON \(.*\); give the path of a perfkit result file$/)
  })

  it('a result of an unknown schema version', async () => {
    const file = path.join(tempDir(), 'result.json')
    writeFileSync(file, JSON.stringify({ ...mixedRun(), schema: 'perfkit/result@2' }))
    expectOneLine(await runCli(['report', file]), /^perfkit: .*result\.json: schema perfkit\/result@2 is not one this perfkit reads \(perfkit\/result@1\); re-run it with this version$/)
  })

  it('a JSON file that is not a perfkit result', async () => {
    const file = path.join(tempDir(), 'package.json')
    writeFileSync(file, '{"name":"x"}')
    expectOneLine(await runCli(['report', file]), /^perfkit: .*package\.json: not a perfkit result file \(no "schema": "perfkit\/result@1"\)$/)
  })
})

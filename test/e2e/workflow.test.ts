/**
 * .github/workflows/perf.yml shows how to use the gate in CI; it must keep working with what the CLI
 * really does: every perfkit command it runs exists, with every flag it passes.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { expect, it } from 'vitest'
import { ROOT, runCli } from '../support/cli.ts'

it('every perfkit command in perf.yml exists with the flags it uses', async () => {
  const workflow = readFileSync(path.join(ROOT, '.github/workflows/perf.yml'), 'utf8')
  const invocations = [...workflow.matchAll(/npx perfkit ([a-z]+)([^\n]*)/g)].map((m) => ({ command: m[1]!, flags: [...m[2]!.matchAll(/(--[a-z-]+)/g)].map((f) => f[1]!) }))
  expect(invocations.map((i) => i.command).sort()).toEqual(['calibrate', 'run'])
  for (const { command, flags } of invocations) {
    const help = await runCli([command, '--help'])
    expect(help.code, help.stderr).toBe(0)
    for (const flag of flags) expect(help.stdout, `${command} ${flag}`).toMatch(new RegExp(`${flag}\\b`))
  }
  // Pull requests run against their base branch, fetched first; main keeps a calibrated baseline as history.
  expect(workflow).toMatch(/git fetch [^\n]*origin [^\n]*\$\{BASE\}/)
  expect(workflow).toMatch(/npx perfkit run --against "origin\/\$\{\{ github\.base_ref \}\}"/)
  expect(workflow).toMatch(/calibrate --runs \d+ --name main/)
  expect(workflow).toMatch(/path: reports\/baselines/)
})

/**
 * `perfkit run --against <ref>` end to end, on a git repository the test makes: a scenario with two
 * variants over a fixture, then a commit that makes one variant's work 30 % larger by changing the
 * fixture, not the scenario. Against the commit before it, that variant is slower (exit 1) and the
 * other the same; against itself nothing is slower (exit 0); an unknown ref is one line (exit 2);
 * Ctrl-C removes the worktree. The repository imports 'perfkit' through a node_modules link to this one.
 */
import { execFileSync } from 'node:child_process'
import { appendFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import type { AgainstCompared, RunResult } from '../../cli/result/schema.ts'
import { expectOneLine, ROOT, runCli, tempDir } from '../support/cli.ts'

const WORK = (b: number) => `/** Deterministic integer work proportional to \`iterations\` (as scenarios/noise-floor.bench.ts). */
export function work(iterations: number): number {
  let h = 0x811c9dc5
  for (let i = 0; i < iterations; i++) h = Math.imul(h ^ i, 0x01000193)
  return h >>> 0
}
export const A = 4000
export const B = ${b}
`

const BENCH = `import { defineScenario } from 'perfkit'
import { work, A, B } from '../src/work.ts'

export default defineScenario({
  name: 'hash',
  baseline: 'a',
  variants: { a: () => work(A), b: () => work(B) },
})
`

const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as RunResult

describe('perfkit run --against <ref>', () => {
  const repo = tempDir('perfkit-e2e-against-')
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' }).trim()
  const worktrees = () => git('worktree', 'list').split('\n').length
  // Six lives per side: a per-process interval narrow enough that a same variant reads `same`.
  const budget = ['--time', '2s', '--processes', '6']

  beforeAll(() => {
    mkdirSync(path.join(repo, 'src'))
    mkdirSync(path.join(repo, 'bench'))
    mkdirSync(path.join(repo, 'node_modules'))
    symlinkSync(ROOT, path.join(repo, 'node_modules', 'perfkit'), 'dir')
    writeFileSync(path.join(repo, 'package.json'), JSON.stringify({ name: 'against-e2e', private: true, type: 'module' }))
    writeFileSync(path.join(repo, '.gitignore'), 'node_modules/\nreports/\n')
    writeFileSync(path.join(repo, 'src/work.ts'), WORK(4000))
    writeFileSync(path.join(repo, 'bench/hash.bench.ts'), BENCH)
    git('init', '-q')
    git('-c', 'user.name=perfkit', '-c', 'user.email=perfkit@example.com', 'add', '.')
    git('-c', 'user.name=perfkit', '-c', 'user.email=perfkit@example.com', 'commit', '-qm', 'two variants of the same work')
    writeFileSync(path.join(repo, 'src/work.ts'), WORK(5200))
    git('-c', 'user.name=perfkit', '-c', 'user.email=perfkit@example.com', 'commit', '-qam', 'b does 30 % more work')
  })

  it('a variant made 30 % slower since the ref: slower, exit 1; the other the same', async () => {
    const out = path.join(repo, 'slow')
    const result = await runCli(['run', '--against', 'HEAD~1', ...budget, '--out', out, '--junit', 'junit.xml', '--markdown', 'summary.md'], { cwd: repo, timeoutMs: 180_000 })
    expect(result.code, result.stderr).toBe(1)
    expect(result.stderr).toMatch(/^perfkit: against HEAD~1 \([0-9a-f]{10} two variants of the same work\), checked out in a temporary worktree/m)
    expect(result.stdout).toMatch(/\n  b\s+\S+ µs\s+\S+ µs\s+\+\d+% \[.*\]\s+slower\n/)
    expect(result.stdout).toMatch(/gate: failed — 1 variant slower than on the base \(hash\/b \+\d+%\)/)

    const json = read(path.join(out, 'result.json'))
    expect(json.against).toMatchObject({ ref: 'HEAD~1', commit: git('rev-parse', 'HEAD~1'), head: { commit: git('rev-parse', 'HEAD'), dirty: false } })
    const scenario = json.scenarios[0]!
    // The head under the variants' own names, the base beside it; every round of both sides kept.
    expect(scenario.variants.map((v) => v.name)).toEqual(['a', 'b'])
    expect(scenario.against!.base.map((v) => v.name)).toEqual(['a', 'b'])
    const base = scenario.against!.base.find((v) => v.name === 'b')!
    expect(base.rounds.length).toBe(scenario.variants.find((v) => v.name === 'b')!.rounds.length)
    const verdicts = Object.fromEntries(scenario.against!.variants.map((v) => [v.variant, v as AgainstCompared]))
    expect(verdicts.b!.verdict).toBe('slower')
    expect(verdicts.b!.change.estimate).toBeGreaterThan(1.15)
    expect(verdicts.b!.change.estimate).toBeLessThan(1.5)
    expect(verdicts.a!.verdict).toBe('same')
    // The head's own comparison with its baseline variant is there as in any run.
    expect(scenario.comparisons).toMatchObject([{ variant: 'b', baseline: 'a', verdict: 'slower' }])

    expect(readFileSync(path.join(repo, 'summary.md'), 'utf8')).toMatch(/\| hash \| b \| \+\d+% \| .* \| 🔴 slower \|/)
    const junit = readFileSync(path.join(repo, 'junit.xml'), 'utf8')
    expect(junit).toMatch(/<testcase name="against b" classname="perfkit\.hash\.against" time="0">\s*<failure /)
    expect(junit).toMatch(/<testcase name="against a" classname="perfkit\.hash\.against" time="0">\s*<system-out>/)
    expect(readFileSync(path.join(out, 'index.html'), 'utf8')).toMatch(/Head vs base/)
    expect(worktrees()).toBe(1)
  }, 200_000)

  it('a tree identical to the ref: exit 0, nothing slower; uncommitted changes are said to be measured', async () => {
    appendFileSync(path.join(repo, 'src/work.ts'), '// a comment changes no work\n')
    try {
      const out = path.join(repo, 'same')
      const result = await runCli(['run', '--against', 'HEAD', ...budget, '--out', out], { cwd: repo, timeoutMs: 180_000 })
      expect(result.code, result.stdout + result.stderr).toBe(0)
      expect(result.stderr).toMatch(/the working tree is the head, with its uncommitted changes measured as they are/)
      const json = read(path.join(out, 'result.json'))
      expect(json.against!.head.dirty).toBe(true)
      const verdicts = json.scenarios[0]!.against!.variants.map((v) => (v.state === 'compared' ? v.verdict : v.state))
      expect(verdicts).toHaveLength(2)
      expect(verdicts).not.toContain('slower')
      expect(verdicts).not.toContain('not-compared')
      expect(worktrees()).toBe(1)
    } finally {
      git('checkout', '-q', 'src/work.ts')
    }
  }, 200_000)

  it('a ref that does not exist: one line, exit 2, nothing run', async () => {
    const result = await runCli(['run', '--against', 'no-such-branch'], { cwd: repo })
    expectOneLine(result, /^perfkit: --against no-such-branch: no such commit in this repository; .*git fetch origin main/)
    expect(worktrees()).toBe(1)
  })

  it('Ctrl-C while measuring: exit 130, the worktree removed', async () => {
    let pid = 0
    let sent = false
    const result = await runCli(['run', '--against', 'HEAD~1', '--time', '20s'], {
      cwd: repo,
      timeoutMs: 120_000,
      onSpawn: (p) => (pid = p),
      onStderr: (text) => {
        if (!sent && /\[1\/1\] hash/.test(text)) {
          sent = true
          setTimeout(() => process.kill(pid, 'SIGINT'), 1500)
        }
      },
    })
    expect(sent).toBe(true)
    expect(result.code, result.stderr).toBe(130)
    expect(worktrees()).toBe(1)
    expect(git('worktree', 'list', '--porcelain')).not.toMatch(/perfkit-against-/)
  }, 150_000)
})

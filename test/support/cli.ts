/** Spawns the built CLI (bin/perfkit.js → dist/) the way a user runs it. */
import { spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { expect } from 'vitest'
import { fileURLToPath } from 'node:url'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
export const BIN = path.join(ROOT, 'bin/perfkit.js')
export const FIXTURES = path.join(ROOT, 'test/fixtures')

export interface CliResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

export function runCli(
  args: string[],
  options: { cwd?: string; env?: Record<string, string | undefined>; timeoutMs?: number; onSpawn?: (pid: number) => void; onStderr?: (text: string) => void } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? ROOT,
      env: { ...process.env, NO_COLOR: '1', CI: process.env.CI, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString()
      options.onStderr?.(stderr)
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000)
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr })
    })
    if (child.pid) options.onSpawn?.(child.pid)
  })
}

export function tempDir(prefix = 'perfkit-test-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix))
}

/**
 * How perfkit reports a mistake or a failure it can name: exactly one `perfkit: …` line matching
 * `pattern`, no stack trace, exit `code` (2, a usage error, by default). With `alone` (the default)
 * stderr holds nothing else and stdout is empty; without it, other output (progress, tables) may surround the line.
 */
export function expectOneLine(result: Pick<CliResult, 'code' | 'stderr' | 'stdout'>, pattern: RegExp, options: { code?: number; alone?: boolean } = {}): void {
  const { code = 2, alone = true } = options
  expect(result.code).toBe(code)
  const lines = result.stderr.trim().split('\n')
  const said = alone ? lines : lines.filter((line) => line.startsWith('perfkit: '))
  expect(said).toHaveLength(1)
  expect(said[0]).toMatch(/^perfkit: /)
  expect(said[0]).toMatch(pattern)
  expect(result.stderr).not.toMatch(/\n\s+at /) // no stack trace
  if (alone) expect(result.stdout).toBe('')
}

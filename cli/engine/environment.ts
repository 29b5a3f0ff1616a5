/** What the machine looked like when the run started: recorded with every result. */
import { execFileSync } from 'node:child_process'
import os from 'node:os'
import type { Environment } from '../result/schema.ts'

function git(args: string[], cwd: string): string | undefined {
  try {
    return execFileSync('git', args, { cwd, stdio: ['ignore', 'pipe', 'ignore'], timeout: 2000 }).toString().trim()
  } catch {
    return undefined
  }
}

export function captureEnvironment(cwd = process.cwd()): Environment {
  const cpus = os.cpus()
  const load = os.loadavg() as [number, number, number]
  const commit = git(['rev-parse', 'HEAD'], cwd)
  const environment: Environment = {
    node: process.version,
    v8: process.versions.v8,
    platform: process.platform,
    arch: process.arch,
    cpu: { model: cpus[0]?.model.trim() ?? 'unknown', count: cpus.length, speedMHz: cpus[0]?.speed ?? 0 },
    loadAverage: load,
    memory: { totalBytes: os.totalmem(), freeBytes: os.freemem() },
    hostname: os.hostname(),
    noise: [],
  }
  if (commit) {
    const branch = git(['rev-parse', '--abbrev-ref', 'HEAD'], cwd)
    const dirty = (git(['status', '--porcelain', '--untracked-files=no'], cwd) ?? '') !== ''
    environment.git = { commit, ...(branch && branch !== 'HEAD' ? { branch } : {}), dirty }
  }
  environment.noise = machineNoise(environment)
  return environment
}

/** Warnings about a machine that is too busy to measure well. */
export function machineNoise(environment: Environment): string[] {
  const warnings: string[] = []
  const perCore = environment.loadAverage[0] / Math.max(1, environment.cpu.count)
  if (perCore > 0.5) {
    warnings.push(
      `machine busy: load average ${environment.loadAverage[0].toFixed(2)} on ${environment.cpu.count} CPUs; other work competes with the measurements — compare variants within one run and distrust absolute times`,
    )
  }
  if (environment.memory.freeBytes / environment.memory.totalBytes < 0.1) {
    warnings.push(`low free memory: ${(environment.memory.freeBytes / 1e9).toFixed(1)} GB of ${(environment.memory.totalBytes / 1e9).toFixed(1)} GB free`)
  }
  return warnings
}

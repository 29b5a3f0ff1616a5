/**
 * Median start-up time of `perfkit --help` (the built CLI), over 21 runs.
 *
 *   node --import tsx scripts/startup.ts
 */
import { spawnSync } from 'node:child_process'
import path from 'node:path'

const bin = path.resolve(import.meta.dirname, '../bin/perfkit.js')
const times: number[] = []
for (let i = 0; i < 21; i++) {
  const t0 = process.hrtime.bigint()
  const r = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8' })
  times.push(Number(process.hrtime.bigint() - t0) / 1e6)
  if (r.status !== 0) throw new Error(r.stderr)
}
times.sort((a, b) => a - b)
const node = spawnSync(process.execPath, ['-e', '0'])
void node
const bare: number[] = []
for (let i = 0; i < 21; i++) {
  const t0 = process.hrtime.bigint()
  spawnSync(process.execPath, ['-e', '0'])
  bare.push(Number(process.hrtime.bigint() - t0) / 1e6)
}
bare.sort((a, b) => a - b)
console.log(`perfkit --help: median ${times[10]!.toFixed(1)} ms (min ${times[0]!.toFixed(1)}, max ${times[20]!.toFixed(1)}); bare node -e 0: median ${bare[10]!.toFixed(1)} ms`)

/**
 * Is the load generator, not the server, the bottleneck? Starts a server exactly as `perfkit run`
 * does (its own process, the http child), drives GET /health from this process with autocannon on
 * the main thread and with worker threads, at several connection counts, and prints requests/s,
 * latency and the CPU each side used (fractions of one core). A generator near 100 % of its
 * core(s) while the server stays below means the generator set the pace.
 *
 *   node --import tsx scripts/http-generator.ts [variant=raw] [seconds=3] [backend=null]
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { driveLoad } from '../cli/engine/http-load.ts'
import { latencyPercentiles } from '../cli/engine/http-latency.ts'
import type { HttpChildMessage, HttpParentMessage } from '../cli/engine/http-protocol.ts'
import { VariantProcess } from '../cli/engine/variant-process.ts'

const [variant = 'raw', seconds = '3', backend = 'null'] = process.argv.slice(2)
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const scenarioFile = path.join(root, 'scenarios/raw-vs-layered.bench.ts')
const child = new VariantProcess({ label: `generator-check/${variant}`, entry: path.join(root, 'cli/engine/http-child.ts') })
const ask = <T extends HttpChildMessage['type']>(message: HttpParentMessage, expect: T) =>
  child.request(message as never, expect as never, 60_000, message.type) as unknown as Promise<Extract<HttpChildMessage, { type: T }>>

const ready = await ask({ type: 'start', file: scenarioFile, index: 0, scenario: 'raw-vs-layered', variant, params: { endpoint: 'health', backend, connections: 10 } }, 'ready')
const requests = [{ method: 'GET', path: '/health', headers: {} }]
const durationMs = Number(seconds) * 1000
const pct = (x: number) => `${Math.round(x * 100)}%`.padStart(5)

console.log(`${variant} server (backend=${backend}) on 127.0.0.1:${ready.port}, GET /health, ${seconds} s per line`)
console.log('workers  connections    req/s   p50 µs   p99 µs  server CPU  generator CPU')
await driveLoad({ host: '127.0.0.1', port: ready.port, connections: 10, durationMs: 1000, requests, workers: 0, requestTimeoutMs: 10_000 })
for (const workers of [0, 1, 2]) {
  for (const connections of [10, 50, 100]) {
    await ask({ type: 'round-start', label: 'check' }, 'round-started')
    const w = await driveLoad({ host: '127.0.0.1', port: ready.port, connections, durationMs, requests, workers, requestTimeoutMs: 10_000 })
    const server = await ask({ type: 'round-end' }, 'round-end')
    const p = latencyPercentiles(w.histogram)
    console.log(
      `${String(workers).padStart(7)}  ${String(connections).padStart(11)}  ${String(Math.round((w.requests * 1000) / w.durationMs)).padStart(7)}  ${String(Math.round(p.p50Ns / 1000)).padStart(7)}  ${String(Math.round(p.p99Ns / 1000)).padStart(7)}  ${pct(server.cpu).padStart(10)}  ${pct(w.generatorCpu).padStart(13)}`,
    )
  }
}
await ask({ type: 'finish' }, 'finished')
await child.closed()

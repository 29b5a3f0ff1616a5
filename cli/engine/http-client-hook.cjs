'use strict'
/**
 * autocannon's `setupClient` for its worker threads (`workers` > 0). autocannon `require()`s this
 * file by path inside each worker, so it is CommonJS on disk and shipped as is (not compiled).
 *
 * In a worker, autocannon's own latency histogram has whole-millisecond resolution and its
 * `response` events never reach the parent thread; so each connection here records every
 * response's latency and completion time (ns, process.hrtime: one clock for every thread), and
 * when the worker's last connection closes the worker posts them to the parent over the
 * BroadcastChannel that the parent named in the options (`perfkitChannel`).
 */
const { BroadcastChannel, workerData, threadId } = require('node:worker_threads')

const channelName = workerData && workerData.opts ? workerData.opts.perfkitChannel : undefined
let live = 0
let count = 0
let firstNs = 0
let latencies = new Float64Array(8192)
let ends = new Float64Array(8192)

function grow () {
  const bigger = (array) => {
    const next = new Float64Array(array.length * 2)
    next.set(array)
    return next
  }
  latencies = bigger(latencies)
  ends = bigger(ends)
}

function flush () {
  if (!channelName) return
  const channel = new BroadcastChannel(channelName)
  channel.postMessage({ threadId, firstNs, latencies: latencies.slice(0, count), ends: ends.slice(0, count) })
  channel.close()
}

module.exports = function setupClient (client) {
  if (firstNs === 0) firstNs = Number(process.hrtime.bigint())
  live++
  client.on('response', (statusCode, bytes, durationMs) => {
    if (count === latencies.length) grow()
    latencies[count] = durationMs * 1e6
    ends[count] = Number(process.hrtime.bigint())
    count++
  })
  client.on('done', () => {
    if (--live === 0) flush()
  })
}

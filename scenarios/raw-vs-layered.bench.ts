/**
 * Seed 001, "Performance Analysis & Optimization Guide": raw HTTP against the layered
 * architecture — "Raw Go ~50,000 req/s, our architecture ~45,000 req/s (90 % of raw)", and the
 * memory each instance takes. Here: a raw `node:http` handler against the layered application
 * (router, request id, logging, JSON body, validation, service, JSON encoding) over the same
 * database, on GET /health and on a small JSON POST that inserts a row.
 *
 * Each server runs in a process of its own; autocannon drives it from perfkit's process at each
 * connection count of the sweep (`--param connections=10` picks one).
 */
import { defineScenario } from 'perfkit'
import { sampleActivity } from '../fixtures/http/activities.ts'

const SERVERS = '../fixtures/http/servers.ts'

const ENDPOINTS = {
  health: { method: 'GET', path: '/health' },
  create: { method: 'POST', path: '/activities', body: sampleActivity() },
} as const

export default defineScenario({
  kind: 'http',
  name: 'raw-vs-layered',
  title: 'Raw node:http vs the layered application',
  source: 'seed 001',
  description:
    'The same endpoints served by one hand-written node:http handler and by the layered application (router, request-id, logging and error middleware, JSON body parsing, validation, service layer, JSON encoding), both over the same database adapter (PGlite embedded by default). Throughput is paired by round; the throughput ratio is layered ÷ raw.',
  baseline: 'raw',
  params: {
    endpoint: { values: ['health', 'create'], choices: ['health', 'create'] },
    backend: { values: ['pglite'], choices: ['pglite', 'postgres', 'null'] },
    /** The layered app's access log skips health probes, as production apps usually do; true logs them too. */
    healthLog: { values: [false], choices: [false, true] },
  },
  sweep: { connections: [10, 50] },
  request: ({ endpoint }) => ENDPOINTS[endpoint as keyof typeof ENDPOINTS],
  variants: {
    raw: { module: SERVERS, export: 'raw' },
    layered: { module: SERVERS, export: 'layered' },
  },
  claims: [
    {
      text: 'The layered architecture keeps about 90 % of raw throughput',
      published: '~45,000 vs ~50,000 req/s (90 %)',
      check: 'layered: throughputRatio >= 0.9',
      when: { endpoint: 'health' },
    },
    { text: "perfkit's target: the layers keep ≥ 95 % of raw throughput on GET /health", check: 'layered: throughputRatio >= 0.95', when: { endpoint: 'health' } },
    { text: 'Memory per instance: raw ~50 MB, layered ~80 MB', published: '~50 MB vs ~80 MB', metric: 'layered: peakRss' },
  ],
})

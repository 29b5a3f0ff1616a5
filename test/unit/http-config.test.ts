/**
 * The http kind's pure parts: scenario validation (the sweep as a parameter axis, server modules,
 * requests), `--param connections`, request encoding, latency percentiles, the layered app's
 * router and validation.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadScenarios, resolveHttpRequests } from '../../cli/config/scenarios.ts'
import { buildCases } from '../../cli/engine/cases.ts'
import { loadRequests } from '../../cli/engine/http.ts'
import { latencyHistogram, latencyPercentiles, recordLatency } from '../../cli/engine/http-latency.ts'
import { UsageError } from '../../cli/errors.ts'
import { RequestValidationError, sampleActivity, validateCreateActivity } from '../../fixtures/http/activities.ts'
import { Router } from '../../fixtures/http/router.ts'

/** Writes scenario files (plain objects: no import needed) into a fresh folder and loads them. */
async function load(files: Record<string, string>) {
  const dir = mkdtempSync(path.join(tmpdir(), 'perfkit-http-config-'))
  writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n')
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text)
  return loadScenarios(Object.keys(files).filter((f) => f.endsWith('.bench.ts')).map((f) => path.join(dir, f)))
}

async function problem(files: Record<string, string>): Promise<string> {
  try {
    await load(files)
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError)
    return (error as Error).message
  }
  throw new Error('expected a usage error')
}

const SERVER = { 'server.ts': 'export default () => (req, res) => res.end("ok")\nexport const other = () => (req, res) => res.end("other")\n' }
const scenario = (fields: string) =>
  `export default { kind: 'http', name: 'h', baseline: 'a', request: { path: '/' }, variants: { a: './server.ts', b: { module: './server.ts', export: 'other' }, c: () => () => {} }, ${fields} }`

describe('http scenario validation', () => {
  it('turns the sweep into the last parameter, so each connection count is a case of its own', async () => {
    const [loaded] = await load({ ...SERVER, 'h.bench.ts': scenario(`params: { endpoint: ['health', 'create'] }, sweep: { connections: [10, 50] }`) })
    expect(loaded!.kind).toBe('http')
    expect(Object.keys(loaded!.params)).toEqual(['endpoint', 'connections'])
    expect(loaded!.params.connections!.values).toEqual([10, 50])
    expect(loaded!.params.connections!.check!(0)).toMatch(/positive whole numbers/)
    const cases = buildCases([loaded!], { params: {} })
    expect(cases.map((c) => c.id)).toEqual([
      'h[endpoint=health,connections=10]',
      'h[endpoint=health,connections=50]',
      'h[endpoint=create,connections=10]',
      'h[endpoint=create,connections=50]',
    ])
    expect(buildCases([loaded!], { params: { connections: '25' } }).map((c) => c.params.connections)).toEqual([25, 25])
    expect(loaded!.http!.modules.a!.export).toBe('default')
    expect(loaded!.http!.modules.b!.export).toBe('other')
    expect(loaded!.http!.modules.c).toBeUndefined()
    expect(loaded!.http!.breakdown).toEqual({ connections: 1 })
  })

  it('sweeps 10 connections when the scenario names no sweep', async () => {
    const [loaded] = await load({ ...SERVER, 'h.bench.ts': scenario('') })
    expect(loaded!.params.connections!.values).toEqual([10])
  })

  it('refuses --param connections that is not a whole number ≥ 1', async () => {
    const [loaded] = await load({ ...SERVER, 'h.bench.ts': scenario(`sweep: { connections: [10] }`) })
    for (const bad of ['0', '-3', '2.5']) {
      expect(() => buildCases([loaded!], { params: { connections: bad } })).toThrow(/--param connections=.*sweeps over positive whole numbers, not .* for connections/)
    }
  })

  it.each([
    ['sweep levels that are not whole numbers ≥ 1', `sweep: { connections: [10, 0] }`, /`sweep.connections` must be a non-empty array of whole numbers ≥ 1.*\[10,0\]/],
    ['an empty sweep', `sweep: { connections: [] }`, /`sweep.connections` must be a non-empty array/],
    ['a sweep of something else', `sweep: { concurrency: [10] }`, /`sweep` must be \{ connections: \[10, 50, 100\] \}/],
    ['a parameter named like the sweep', `params: { connections: [5] }`, /`params` has "connections", which the sweep owns/],
    ['a bad method', `request: { method: 'get', path: '/' }`, /method "get" is not an HTTP method/],
    ['a path without /', `request: { path: 'health' }`, /path "health" must start with \//],
    ['an unknown request key', `request: { path: '/', url: 'x' }`, /unknown key "url"/],
    ['negative workers', `workers: -1`, /`workers` must be a whole number ≥ 0/],
    ['a bad warm-up', `warmup: 'soon'`, /`warmup` must be a duration/],
    ['a bad breakdown', `breakdown: { connections: 0 }`, /`breakdown.connections` must be a whole number ≥ 1/],
  ])('refuses %s', async (_what, fields, pattern) => {
    expect(await problem({ ...SERVER, 'h.bench.ts': scenario(fields) })).toMatch(pattern)
  })

  it('refuses a server module that does not exist, naming where it looked', async () => {
    const message = await problem({ 'h.bench.ts': `export default { kind: 'http', name: 'h', baseline: 'a', request: { path: '/' }, variants: { a: './nope.ts' } }` })
    expect(message).toMatch(/variant "a": server module \.\/nope\.ts not found \(looked for .*nope\.ts\); paths are relative to the scenario file/)
  })

  it('refuses a variant that names no server, and a request that is missing', async () => {
    expect(await problem({ 'h.bench.ts': `export default { kind: 'http', name: 'h', baseline: 'a', request: { path: '/' }, variants: { a: 42 } }` })).toMatch(
      /variant "a" must name a server/,
    )
    expect(await problem({ ...SERVER, 'h.bench.ts': `export default { kind: 'http', name: 'h', baseline: 'a', variants: { a: './server.ts' } }` })).toMatch(
      /an http scenario needs `request`/,
    )
  })

  it('keeps micro scenarios free of http keys', async () => {
    expect(await problem({ 'm.bench.ts': `export default { name: 'm', baseline: 'a', variants: { a: () => 1 }, sweep: { connections: [1] } }` })).toMatch(
      /`sweep` applies to load and http scenarios, not micro ones/,
    )
  })

  it('lets a claim apply to one connection count', async () => {
    const [loaded] = await load({ ...SERVER, 'h.bench.ts': scenario(`sweep: { connections: [1, 10] }, claims: [{ text: 'x', check: 'b: throughputRatio >= 0.9', when: { connections: 10 } }]`) })
    expect(loaded!.claims[0]!.claim.when).toEqual({ connections: 10 })
  })
})

describe('requests of a case', () => {
  it('evaluates a request function with the case parameters and checks what it returns', () => {
    const request = ({ endpoint }: Record<string, unknown>) => (endpoint === 'list' ? [{ path: '/a?x=1' }, { path: '/a?x=2' }] : { method: 'POST', path: '/a', body: { n: 1 } })
    expect(resolveHttpRequests(request, { endpoint: 'list' })).toEqual([{ path: '/a?x=1' }, { path: '/a?x=2' }])
    expect(resolveHttpRequests(request, { endpoint: 'create' })).toEqual([{ method: 'POST', path: '/a', body: { n: 1 } }])
    expect(resolveHttpRequests(() => ({ path: 'nope' }), {})).toMatch(/`request`\(params\): path "nope" must start with \//)
    expect(resolveHttpRequests(() => [], {})).toMatch(/the list of requests is empty/)
    expect(
      resolveHttpRequests(() => {
        throw new Error('no such endpoint')
      }, {}),
    ).toMatch(/`request\(params\)` threw: no such endpoint/)
  })

  it('encodes JSON bodies and sets their content type unless given', () => {
    expect(loadRequests([{ path: '/health' }])).toEqual([{ method: 'GET', path: '/health', headers: {} }])
    expect(loadRequests([{ method: 'POST', path: '/a', body: { n: 1 } }])).toEqual([
      { method: 'POST', path: '/a', headers: { 'content-type': 'application/json' }, body: '{"n":1}' },
    ])
    expect(loadRequests([{ method: 'POST', path: '/a', body: 'raw text', headers: { 'Content-Type': 'text/plain' } }])).toEqual([
      { method: 'POST', path: '/a', headers: { 'Content-Type': 'text/plain' }, body: 'raw text' },
    ])
  })
})

describe('latency percentiles (HdrHistogram, ns, 3 significant digits)', () => {
  it('gives known percentiles of 1 … 1000 µs within 0.1 %', () => {
    const h = latencyHistogram()
    for (let us = 1; us <= 1000; us++) recordLatency(h, us * 1000 + 0.4)
    const p = latencyPercentiles(h)
    expect(p.count).toBe(1000)
    expect(p.meanNs).toBeCloseTo(500_500, -3)
    expect(Math.abs(p.p50Ns - 500_000) / 500_000).toBeLessThan(0.002)
    expect(Math.abs(p.p90Ns - 900_000) / 900_000).toBeLessThan(0.002)
    expect(Math.abs(p.p99Ns - 990_000) / 990_000).toBeLessThan(0.002)
    expect(Math.abs(p.p999Ns - 999_000) / 999_000).toBeLessThan(0.002)
    expect(Math.abs(p.maxNs - 1_000_000) / 1_000_000).toBeLessThan(0.002)
  })

  it('resolves microseconds where autocannon rounds to whole milliseconds', () => {
    const h = latencyHistogram()
    for (const ms of [0.2371, 0.2379, 1.4562]) recordLatency(h, ms * 1e6)
    const p = latencyPercentiles(h)
    expect(p.p50Ns).toBeGreaterThan(237_000)
    expect(p.p50Ns).toBeLessThan(238_200)
    expect(p.maxNs).toBeGreaterThan(1_455_000)
    expect(p.maxNs).toBeLessThan(1_458_000)
  })

  it('is all zero when nothing was recorded', () => {
    expect(latencyPercentiles(latencyHistogram())).toEqual({ count: 0, meanNs: 0, p50Ns: 0, p90Ns: 0, p99Ns: 0, p999Ns: 0, maxNs: 0 })
  })
})

describe('the layered application: router and validation', () => {
  const router = new Router<string>().add('GET', '/health', 'health').add('POST', '/activities', 'create').add('GET', '/activities/:id', 'get').add('GET', '/activities', 'list')

  it('matches method and path, captures parameters, tells 404 from 405', () => {
    expect(router.match('GET', '/activities/42')).toEqual({ found: true, route: { handler: 'get', pattern: '/activities/:id', params: { id: '42' } } })
    expect(router.match('GET', '/activities/')).toMatchObject({ found: true, route: { handler: 'list' } })
    expect(router.match('POST', '/activities')).toMatchObject({ found: true, route: { handler: 'create', params: {} } })
    expect(router.match('DELETE', '/activities')).toEqual({ found: false, allowed: ['POST', 'GET'] })
    expect(router.match('GET', '/nope')).toEqual({ found: false, allowed: [] })
    expect(router.match('GET', '/activities/a%2Fb')).toMatchObject({ route: { params: { id: 'a/b' } } })
  })

  it('accepts the sample activity and reports every wrong field at once', () => {
    expect(validateCreateActivity(sampleActivity(3))).toMatchObject({ userId: 4, title: 'Morning run 3', tags: ['running', 'morning'] })
    let error: unknown
    try {
      validateCreateActivity({ ...sampleActivity(), userId: 0, activityDate: '14/03/2026', tags: ['sleeping'] })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(RequestValidationError)
    expect((error as RequestValidationError).fields.map((f) => f.field)).toEqual(['userId', 'activityDate', 'tags'])
    expect(() => validateCreateActivity([1])).toThrow(RequestValidationError)
  })
})

/**
 * The profile model on hand-made `.cpuprofile`s with known answers: self and total time, merging of
 * repeated frames, idle left out, per-operation differentials; and the flame graph pages' escaping.
 */
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { changesByFrame, diffFrameTrees } from '../../cli/profile/diff.ts'
import { renderDifferentialPage, renderProfilePage } from '../../cli/profile/flamegraph.ts'
import { slug, withoutRemoteFonts, withSnippetFix } from '../../cli/profile/index.ts'
import { parseTools } from '../../cli/profile/tools.ts'
import { ProfileFormatError, buildFrameTree, parseCpuProfile, selfByFrame, shortLocation, type CpuProfile, type FrameNode } from '../../cli/profile/tree.ts'
import { HOSTILE } from '../support/results.ts'

const CWD = '/home/me/app'

function frame(functionName: string, url = `file://${CWD}/src/app.ts`, lineNumber = 0) {
  return { functionName, scriptId: '1', url, lineNumber, columnNumber: 0 }
}

/**
 * (root) → main → a, b, a (a second `a` node, merged with the first), (idle); samples a, a, b, main, a2,
 * idle, each 10 µs apart: a = 30 µs, b = 10, main = 10, idle = 10 (left out).
 */
function profile(): CpuProfile {
  return {
    nodes: [
      { id: 1, callFrame: frame('(root)', ''), children: [2, 6] },
      { id: 2, callFrame: frame('main'), children: [3, 4, 5] },
      { id: 3, callFrame: frame('a', `file://${CWD}/src/app.ts`, 9) },
      { id: 4, callFrame: frame('b', `file://${CWD}/node_modules/lib/index.js`, 4) },
      { id: 5, callFrame: frame('a', `file://${CWD}/src/app.ts`, 9) },
      { id: 6, callFrame: frame('(idle)', '') },
    ],
    startTime: 0,
    endTime: 70,
    samples: [3, 3, 4, 2, 5, 6],
    timeDeltas: [10, 10, 10, 10, 10, 10],
  }
}

function child(node: FrameNode, name: string): FrameNode {
  const found = node.children.find((c) => c.frame.name === name)
  if (!found) throw new Error(`no child ${name} under ${node.frame.name}`)
  return found
}

describe('buildFrameTree', () => {
  const tree = buildFrameTree(profile(), { cwd: CWD })

  it('gives each sample the time until the next one (the last until endTime)', () => {
    const main = child(tree.root, 'main')
    expect(child(main, 'a').selfUs).toBe(30)
    expect(child(main, 'b').selfUs).toBe(10)
    expect(main.selfUs).toBe(10)
    expect(main.totalUs).toBe(50)
    expect(tree.root.totalUs).toBe(50)
  })

  it('merges the same function under the same parent, and leaves idle time out', () => {
    expect(child(tree.root, 'main').children.map((c) => c.frame.name)).toEqual(['a', 'b'])
    expect(tree.root.children.map((c) => c.frame.name)).toEqual(['main'])
    expect(tree.idleUs).toBe(10)
    expect(tree.samples).toBe(6)
    expect(tree.durationUs).toBe(70)
  })

  it('names where each function lives and what kind of code it is', () => {
    const main = child(tree.root, 'main')
    expect(child(main, 'a').frame).toEqual({ name: 'a', location: 'src/app.ts:10:1', category: 'app' })
    expect(child(main, 'b').frame).toEqual({ name: 'b', location: 'node_modules/lib/index.js:5:1', category: 'dependency' })
  })

  it('falls back to hit counts when the profile has no samples', () => {
    const p = profile()
    delete p.samples
    delete p.timeDeltas
    p.nodes[2]!.hitCount = 3
    p.nodes[3]!.hitCount = 1
    const t = buildFrameTree(p, { cwd: CWD })
    // 4 hits share 70 µs.
    expect(child(child(t.root, 'main'), 'a').selfUs).toBeCloseTo(52.5, 10)
    expect(t.root.totalUs).toBeCloseTo(70, 10)
  })

  it('sums self time per function over every call path', () => {
    expect(selfByFrame(tree).map((r) => [r.frame.name, r.selfUs])).toEqual([
      ['a', 30],
      ['b', 10],
      ['main', 10],
    ])
  })

  it('colours perfkit\'s own loop and files apart from the variant\'s code', () => {
    const p = profile()
    p.nodes[1]!.callFrame = frame('', 'perfkit-harness:loop.js')
    p.nodes[3]!.callFrame = frame('runFor', 'file:///opt/perfkit/dist/cli/engine/micro-child.js')
    const t = buildFrameTree(p, { cwd: CWD, harnessPaths: ['/opt/perfkit/dist/cli'] })
    const loop = t.root.children[0]!
    expect(loop.frame.name).toBe('perfkit loop (and what was inlined into it)')
    expect(loop.frame.category).toBe('harness')
    expect(child(loop, 'runFor').frame.category).toBe('harness')
  })

  it('survives a profile deeper than the stack would allow to recurse', () => {
    const depth = 50_000
    const nodes = Array.from({ length: depth }, (_, i) => ({ id: i + 1, callFrame: frame(`f${i}`), children: i + 1 < depth ? [i + 2] : [] }))
    const t = buildFrameTree({ nodes, startTime: 0, endTime: 10, samples: [depth], timeDeltas: [5] }, { cwd: CWD })
    expect(t.root.totalUs).toBe(5)
  })

  it('shortens file URLs', () => {
    expect(shortLocation(`file://${CWD}/src/a%20b.ts`, CWD)).toBe('src/a b.ts')
    expect(shortLocation('file:///elsewhere/x.js', CWD)).toBe('/elsewhere/x.js')
    expect(shortLocation('node:internal/timers', CWD)).toBe('node:internal/timers')
  })
})

describe('parseCpuProfile', () => {
  it.each([
    ['not json', /not JSON/],
    ['{}', /no "nodes"/],
    ['{"nodes":[{"id":1}]}', /without an id or call frame/],
    ['{"nodes":[{"id":1,"callFrame":{"functionName":""}}]}', /no startTime/],
  ])('refuses %s', (text, message) => {
    expect(() => parseCpuProfile(text)).toThrow(ProfileFormatError)
    expect(() => parseCpuProfile(text)).toThrow(message)
  })

  it('reads what V8 writes', () => {
    expect(parseCpuProfile(JSON.stringify(profile())).nodes).toHaveLength(6)
  })
})

describe('diffFrameTrees', () => {
  // The variant does the baseline's work plus b; it ran 10 ops, the baseline 5 in the same time.
  const baseline = buildFrameTree(
    { nodes: [{ id: 1, callFrame: frame('(root)', ''), children: [2] }, { id: 2, callFrame: frame('main'), children: [3] }, { id: 3, callFrame: frame('a', `file://${CWD}/src/app.ts`, 9) }], startTime: 0, endTime: 100, samples: [3, 2], timeDeltas: [0, 80] },
    { cwd: CWD },
  ) // a = 80 µs, main = 20 µs
  const variant = buildFrameTree(profile(), { cwd: CWD }) // a = 30, b = 10, main = 10

  it('puts both sides in time per operation when both counted their operations', () => {
    const diff = diffFrameTrees(variant, baseline, { variantOps: 10, baselineOps: 5 })
    expect(diff.unit).toBe('ns/op')
    const main = diff.root.children.find((c) => c.frame.name === 'main')!
    const a = main.children.find((c) => c.frame.name === 'a')!
    const b = main.children.find((c) => c.frame.name === 'b')!
    expect(a.variantSelf).toBe(3000) // 30 µs / 10 ops
    expect(a.baselineSelf).toBe(16000) // 80 µs / 5 ops
    expect(b).toMatchObject({ variantSelf: 1000, baselineSelf: 0 })
    expect(main).toMatchObject({ variantTotal: 5000, baselineTotal: 20000 })
  })

  it('falls back to shares of each profile without operation counts', () => {
    const diff = diffFrameTrees(variant, baseline)
    expect(diff.unit).toBe('share')
    const a = diff.root.children[0]!.children.find((c) => c.frame.name === 'a')!
    expect(a.variantSelf).toBeCloseTo(30 / 50, 12)
    expect(a.baselineSelf).toBeCloseTo(80 / 100, 12)
  })

  it('lists the largest changes first, functions only one side has included', () => {
    const changes = changesByFrame(diffFrameTrees(variant, baseline, { variantOps: 10, baselineOps: 5 }))
    expect(changes.map((c) => [c.frame.name, c.delta])).toEqual([
      ['a', -13000],
      ['main', -3000],
      ['b', 1000],
    ])
  })
})

/** The JSON data block and the one script of a flame graph page. */
function parts(page: string): { data: any; script: string; csp: string } {
  const data = JSON.parse(/<script type="application\/json" id="perfkit-flame">([\s\S]*?)<\/script>/.exec(page)![1]!)
  const script = /<script>([\s\S]*?)<\/script>/.exec(page)![1]!
  const csp = (/<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(page)?.[1] ?? '').replaceAll('&#39;', "'")
  return { data, script, csp }
}

describe('flame graph pages', () => {
  const hostile = profile()
  hostile.nodes[2]!.callFrame = frame(HOSTILE.scenarioName, `file://${CWD}/${HOSTILE.errorMessage}.ts`)
  hostile.nodes[4]!.callFrame = hostile.nodes[2]!.callFrame
  const tree = buildFrameTree(hostile, { cwd: CWD })
  const page = renderProfilePage(tree, { title: HOSTILE.variantName, subtitle: HOSTILE.paramValue, facts: [['variant', HOSTILE.errorMessage]], links: [{ label: 'raw', href: 'x.cpuprofile' }], ops: 7 })

  it('escape every name, and carry the tree as data that cannot close its element', () => {
    expect(page).not.toContain(HOSTILE.scenarioName)
    expect(page).not.toContain('<script>alert(')
    expect(page.match(/<\/script>/g)).toHaveLength(2)
    const { data } = parts(page)
    expect(data.frames.map((f: string[]) => f[0])).toContain(HOSTILE.scenarioName)
    expect(data.ops).toBe(7)
  })

  it('rebuild the tree from frames and depths in pre-order', () => {
    const { data } = parts(page)
    const names = data.nodes.map((n: number[]) => `${data.frames[n[0]][0]}@${n[1]}`)
    expect(names).toEqual(['all@0', 'main@1', `${HOSTILE.scenarioName}@2`, 'b@2'])
    expect(data.nodes[1].slice(2)).toEqual([10, 50])
  })

  it('allow only their own script, by hash, and ask nothing of the network', () => {
    const plain = renderProfilePage(buildFrameTree(profile(), { cwd: CWD }), { title: 'a', subtitle: '', facts: [], links: [] })
    const { script, csp } = parts(plain)
    expect(csp).toContain("default-src 'none'")
    expect(csp).toContain(`'sha256-${createHash('sha256').update(script).digest('base64')}'`)
    expect(plain.replace(/<script[\s\S]*?<\/script>/g, '')).not.toMatch(/\ssrc=|<link|url\(|@import/i)
  })

  it('draw the differential with both sides and the largest changes in a table', () => {
    const diffPage = renderDifferentialPage(diffFrameTrees(tree, tree, { variantOps: 2, baselineOps: 1 }), { title: 'v vs b', subtitle: '', facts: [], links: [], variant: HOSTILE.variantName, baseline: 'b' })
    const { data } = parts(diffPage)
    expect(data).toMatchObject({ mode: 'differential', unit: 'ns/op', variant: HOSTILE.variantName, baseline: 'b' })
    // Half the time per op in every frame: every change is negative.
    expect(data.nodes[1].slice(2)).toEqual([5000, 25000, 10000, 50000])
    expect(diffPage).toContain('<span class="less">−15.0 µs/op</span>')
    expect(diffPage).not.toContain(HOSTILE.variantName)
  })
})

describe('profile helpers', () => {
  it('make safe, readable folder and file names', () => {
    expect(slug('broker-vs-direct[backend=pglite,logLevel=info]')).toBe('broker-vs-direct_backend=pglite_logLevel=info')
    expect(slug(HOSTILE.variantName)).toMatch(/^[A-Za-z0-9._=-]+$/)
    expect(slug('../../etc')).toBe('etc')
    expect(slug('')).toBe('x')
  })

  it('strip the remote web font from a Clinic doctor report', () => {
    const page = 'webFontOpts=Object.assign({custom:{families:allFonts,urls:["https://clinicjs.org/assets/css/fonts.css"]},active:()=>{}})'
    expect(withoutRemoteFonts(page)).toBe('webFontOpts=Object.assign({custom:{families:allFonts,urls:[]},active:()=>{}})')
  })

  it('insert each Clinic doctor snippet holder before that snippet, not the first one under its parent', () => {
    const page = 'formatSnippet(){d3.selectAll(".snippet").each((function(){const holder=d3.select(this.parentNode).insert("span",".snippet").classed("snippet-holder",!0)'
    expect(withSnippetFix(page)).toBe('formatSnippet(){d3.selectAll(".snippet").each((function(){const holder=d3.select(this.parentNode).insert("span",(()=>this)).classed("snippet-holder",!0)')
  })

  it('read --tool and --profile values', () => {
    expect(parseTools([])).toEqual(['cpuprofile'])
    expect(parseTools(['0x,clinic-doctor', '0x'])).toEqual(['0x', 'clinic-doctor'])
    expect(() => parseTools(['perf'])).toThrow('--tool perf: unknown profiler; use one of cpuprofile, 0x, clinic-doctor')
  })
})

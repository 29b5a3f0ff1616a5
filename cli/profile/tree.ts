/**
 * From a V8 `.cpuprofile` to a call tree of frames with self and total time: the shape every flame
 * graph perfkit draws is made of. Pure functions; the differential tree (diff.ts) merges two of these.
 */

/** The `.cpuprofile` format (Chrome DevTools protocol `Profiler.Profile`). */
export interface CpuProfile {
  nodes: CpuProfileNode[]
  /** µs */
  startTime: number
  /** µs */
  endTime: number
  /** Node id of each sample. */
  samples?: number[]
  /** µs between consecutive samples (the first from startTime). */
  timeDeltas?: number[]
}

export interface CpuProfileNode {
  id: number
  callFrame: { functionName: string; scriptId: string; url: string; lineNumber: number; columnNumber: number }
  hitCount?: number
  children?: number[]
}

/** What kind of code a frame is: the flame graph colours by it. */
export type FrameCategory = 'app' | 'dependency' | 'node' | 'native' | 'harness'

export interface Frame {
  /** Function name, `(anonymous)` when it has none. */
  name: string
  /** `path:line:column` (1-based), shortened; empty for native frames. */
  location: string
  category: FrameCategory
}

export interface FrameNode {
  /** Identifies the function: name, script and position. */
  key: string
  frame: Frame
  /** Time in this function itself, µs. */
  selfUs: number
  /** Self plus every descendant, µs. */
  totalUs: number
  children: FrameNode[]
}

export interface FrameTree {
  root: FrameNode
  /** Samples in the profile. */
  samples: number
  /** Length of the profile, µs. */
  durationUs: number
  /** Time the thread waited with nothing to run (`(idle)`), µs: left out of the tree. */
  idleUs: number
}

/** A file that is not a `.cpuprofile`. */
export class ProfileFormatError extends Error {
  override name = 'ProfileFormatError'
}

/** Parses and checks a `.cpuprofile`'s text. */
export function parseCpuProfile(text: string): CpuProfile {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    throw new ProfileFormatError(`not JSON (${(error as Error).message})`)
  }
  const profile = data as Partial<CpuProfile> | null
  if (!profile || !Array.isArray(profile.nodes) || profile.nodes.length === 0) throw new ProfileFormatError('no "nodes": not a V8 CPU profile')
  for (const node of profile.nodes) {
    if (typeof node?.id !== 'number' || typeof node.callFrame?.functionName !== 'string') throw new ProfileFormatError('a node without an id or call frame: not a V8 CPU profile')
  }
  if (typeof profile.startTime !== 'number' || typeof profile.endTime !== 'number') throw new ProfileFormatError('no startTime/endTime: not a V8 CPU profile')
  return profile as CpuProfile
}

export interface TreeOptions {
  /** Paths under this folder are shown relative to it. @default process.cwd() */
  cwd?: string
  /** Folders of perfkit's own code (its measuring loop and child process), coloured apart from the user's. @default [] */
  harnessPaths?: readonly string[]
}

/** `file:///home/me/app/src/x.ts` → `src/x.ts`; dependencies from their `node_modules/` on. */
export function shortLocation(url: string, cwd: string): string {
  const path = filePath(url)
  const modules = path.lastIndexOf('/node_modules/')
  if (modules >= 0) return path.slice(modules + 1)
  const base = cwd.endsWith('/') ? cwd : `${cwd}/`
  return path.startsWith(base) ? path.slice(base.length) : path
}

/** Frames of perfkit's own measuring loop carry this source URL (see micro-child.ts). */
export const HARNESS_URL_PREFIX = 'perfkit-harness:'

function filePath(url: string): string {
  if (!url.startsWith('file://')) return url
  try {
    return decodeURIComponent(new URL(url).pathname)
  } catch {
    return url
  }
}

function categoryOf(url: string, name: string, harnessPaths: readonly string[]): FrameCategory {
  if (url.startsWith(HARNESS_URL_PREFIX)) return 'harness'
  const file = filePath(url)
  if (harnessPaths.some((dir) => file.startsWith(dir.endsWith('/') ? dir : `${dir}/`))) return 'harness'
  if (url === '') return 'native'
  if (url.startsWith('node:')) return 'node'
  if (url.includes('/node_modules/')) return 'dependency'
  return name.startsWith('(') ? 'native' : 'app'
}

function frameOf(node: CpuProfileNode, cwd: string, harnessPaths: readonly string[]): { key: string; frame: Frame } {
  const { functionName, url, lineNumber, columnNumber } = node.callFrame
  // The loop perfkit compiles (new Function) is anonymous; the variant's code is often inlined into it.
  const name = url.startsWith(HARNESS_URL_PREFIX) ? 'perfkit loop (and what was inlined into it)' : functionName || (url ? '(anonymous)' : '(anonymous native)')
  const location = url ? `${shortLocation(url, cwd)}:${lineNumber + 1}:${columnNumber + 1}` : ''
  return { key: `${functionName}\u0000${url}\u0000${lineNumber}\u0000${columnNumber}`, frame: { name, location, category: categoryOf(url, name, harnessPaths) } }
}

/**
 * Self time per node id, µs. With samples and time deltas (what V8 writes), each sample lasts until the
 * next one (the last until endTime); without them, hit counts share the profile's length evenly.
 */
export function selfTimes(profile: CpuProfile): Map<number, number> {
  const self = new Map<number, number>()
  const { samples, timeDeltas } = profile
  if (samples && timeDeltas && samples.length > 0 && samples.length === timeDeltas.length) {
    let t = profile.startTime
    const stamps = timeDeltas.map((d) => (t += d))
    for (let i = 0; i < samples.length; i++) {
      const until = i + 1 < samples.length ? stamps[i + 1]! : Math.max(profile.endTime, stamps[i]!)
      const us = Math.max(0, until - stamps[i]!)
      self.set(samples[i]!, (self.get(samples[i]!) ?? 0) + us)
    }
    return self
  }
  const hits = profile.nodes.reduce((sum, n) => sum + (n.hitCount ?? 0), 0)
  const each = hits > 0 ? (profile.endTime - profile.startTime) / hits : 0
  for (const n of profile.nodes) if (n.hitCount) self.set(n.id, n.hitCount * each)
  return self
}

/**
 * The profile as a tree of frames. Children with the same function under the same parent are merged;
 * `(idle)` is taken out (and counted apart): a profile of a loop is about the time it spends working.
 */
export function buildFrameTree(profile: CpuProfile, options: TreeOptions = {}): FrameTree {
  const cwd = options.cwd ?? process.cwd()
  const harnessPaths = options.harnessPaths ?? []
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const childIds = new Set(profile.nodes.flatMap((n) => n.children ?? []))
  const rootNode = profile.nodes.find((n) => !childIds.has(n.id)) ?? profile.nodes[0]!
  const self = selfTimes(profile)
  let idleUs = 0

  const root: FrameNode = { key: '(root)', frame: { name: 'all', location: '', category: 'native' }, selfUs: 0, totalUs: 0, children: [] }
  // Iterative walk: profiles of deep recursion would overflow the stack.
  const stack: Array<{ id: number; parent: FrameNode }> = (rootNode.children ?? []).map((id) => ({ id, parent: root }))
  root.selfUs = self.get(rootNode.id) ?? 0
  const visited = new Set<number>([rootNode.id])
  while (stack.length > 0) {
    const { id, parent } = stack.pop()!
    const node = byId.get(id)
    if (!node || visited.has(id)) continue
    visited.add(id)
    if (node.callFrame.functionName === '(idle)' && !node.callFrame.url) {
      idleUs += subtreeSelf(node, byId, self)
      continue
    }
    const { key, frame } = frameOf(node, cwd, harnessPaths)
    let child = parent.children.find((c) => c.key === key)
    if (!child) {
      child = { key, frame, selfUs: 0, totalUs: 0, children: [] }
      parent.children.push(child)
    }
    child.selfUs += self.get(id) ?? 0
    for (const next of node.children ?? []) stack.push({ id: next, parent: child })
  }
  computeTotals(root)
  sortChildren(root)
  return { root, samples: profile.samples?.length ?? profile.nodes.reduce((sum, n) => sum + (n.hitCount ?? 0), 0), durationUs: Math.max(0, profile.endTime - profile.startTime), idleUs }
}

function subtreeSelf(node: CpuProfileNode, byId: Map<number, CpuProfileNode>, self: Map<number, number>): number {
  let sum = 0
  const stack = [node]
  while (stack.length > 0) {
    const n = stack.pop()!
    sum += self.get(n.id) ?? 0
    for (const id of n.children ?? []) {
      const child = byId.get(id)
      if (child) stack.push(child)
    }
  }
  return sum
}

/** Fills in `totalUs` bottom-up (iteratively). */
export function computeTotals(root: FrameNode): void {
  const order: FrameNode[] = []
  const stack = [root]
  while (stack.length > 0) {
    const node = stack.pop()!
    order.push(node)
    stack.push(...node.children)
  }
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i]!
    node.totalUs = node.selfUs + node.children.reduce((sum, c) => sum + c.totalUs, 0)
  }
}

/** Widest child first, so the graph reads the same every time. */
function sortChildren(root: FrameNode): void {
  const stack = [root]
  while (stack.length > 0) {
    const node = stack.pop()!
    node.children.sort((a, b) => b.totalUs - a.totalUs || a.frame.name.localeCompare(b.frame.name))
    stack.push(...node.children)
  }
}

/** Self time summed per function over every path it appears on, widest first. */
export function selfByFrame(tree: FrameTree): Array<{ key: string; frame: Frame; selfUs: number }> {
  const sums = new Map<string, { key: string; frame: Frame; selfUs: number }>()
  const stack = [...tree.root.children]
  while (stack.length > 0) {
    const node = stack.pop()!
    const entry = sums.get(node.key) ?? { key: node.key, frame: node.frame, selfUs: 0 }
    entry.selfUs += node.selfUs
    sums.set(node.key, entry)
    stack.push(...node.children)
  }
  return [...sums.values()].sort((a, b) => b.selfUs - a.selfUs || a.frame.name.localeCompare(b.frame.name))
}

/**
 * The differential flame graph: a variant's call tree against the baseline's, frame by frame. Each
 * frame carries both sides' self and total time in a common unit, so the change in self time (what
 * the frame colours by) compares like with like.
 *
 * The common unit is time per operation when both profiles counted their operations: a variant that
 * runs half as many operations in the same window is not "twice as expensive" in every frame. Without
 * counts, each side is a share of its own profile's time.
 */
import type { Frame, FrameNode, FrameTree } from './tree.ts'

export type DiffUnit = 'ns/op' | 'share'

export interface DiffNode {
  key: string
  frame: Frame
  variantSelf: number
  variantTotal: number
  baselineSelf: number
  baselineTotal: number
  children: DiffNode[]
}

export interface DiffTree {
  root: DiffNode
  unit: DiffUnit
}

export interface DiffScale {
  /** Operations the variant ran in its profiled window. */
  variantOps?: number
  /** Operations the baseline ran in its profiled window. */
  baselineOps?: number
}

/** µs of a profile → the common unit. */
function factors(variant: FrameTree, baseline: FrameTree, scale: DiffScale): { unit: DiffUnit; v: number; b: number } {
  if (scale.variantOps && scale.baselineOps && scale.variantOps > 0 && scale.baselineOps > 0) {
    return { unit: 'ns/op', v: 1000 / scale.variantOps, b: 1000 / scale.baselineOps }
  }
  return { unit: 'share', v: variant.root.totalUs > 0 ? 1 / variant.root.totalUs : 0, b: baseline.root.totalUs > 0 ? 1 / baseline.root.totalUs : 0 }
}

/** Both trees merged by call path (the same function under the same parents). */
export function diffFrameTrees(variant: FrameTree, baseline: FrameTree, scale: DiffScale = {}): DiffTree {
  const { unit, v, b } = factors(variant, baseline, scale)
  const make = (vNode: FrameNode | undefined, bNode: FrameNode | undefined): DiffNode => {
    const any = (vNode ?? bNode)!
    return {
      key: any.key,
      frame: any.frame,
      variantSelf: (vNode?.selfUs ?? 0) * v,
      variantTotal: (vNode?.totalUs ?? 0) * v,
      baselineSelf: (bNode?.selfUs ?? 0) * b,
      baselineTotal: (bNode?.totalUs ?? 0) * b,
      children: [],
    }
  }
  const root = make(variant.root, baseline.root)
  // Iterative: deep recursion in a profile must not overflow perfkit's stack.
  const stack: Array<{ out: DiffNode; vNode?: FrameNode; bNode?: FrameNode }> = [{ out: root, vNode: variant.root, bNode: baseline.root }]
  while (stack.length > 0) {
    const { out, vNode, bNode } = stack.pop()!
    const keys: string[] = []
    const vChildren = new Map<string, FrameNode>()
    const bChildren = new Map<string, FrameNode>()
    for (const c of vNode?.children ?? []) {
      vChildren.set(c.key, c)
      keys.push(c.key)
    }
    for (const c of bNode?.children ?? []) {
      bChildren.set(c.key, c)
      if (!vChildren.has(c.key)) keys.push(c.key)
    }
    for (const key of keys) {
      const child = make(vChildren.get(key), bChildren.get(key))
      out.children.push(child)
      stack.push({ out: child, vNode: vChildren.get(key), bNode: bChildren.get(key) })
    }
  }
  return { root, unit }
}

export interface FrameChange {
  key: string
  frame: Frame
  variantSelf: number
  baselineSelf: number
  /** variantSelf − baselineSelf. */
  delta: number
}

/** Self time per function summed over every call path, both sides, largest change first. */
export function changesByFrame(diff: DiffTree): FrameChange[] {
  const sums = new Map<string, FrameChange>()
  const stack = [...diff.root.children]
  while (stack.length > 0) {
    const node = stack.pop()!
    const entry = sums.get(node.key) ?? { key: node.key, frame: node.frame, variantSelf: 0, baselineSelf: 0, delta: 0 }
    entry.variantSelf += node.variantSelf
    entry.baselineSelf += node.baselineSelf
    entry.delta = entry.variantSelf - entry.baselineSelf
    sums.set(node.key, entry)
    stack.push(...node.children)
  }
  return [...sums.values()].sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta) || a.frame.name.localeCompare(b.frame.name))
}

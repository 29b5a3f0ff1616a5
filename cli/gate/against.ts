/**
 * `perfkit run --against <ref>`: the ref's code (the base) beside the working tree's (the head), in
 * one run. The ref is checked out in a temporary git worktree (removed afterwards, also on Ctrl-C and
 * on errors); its scenario files are found with the same files and globs and loaded; each head case
 * is paired with the base case of the same scenario and parameters, variant by variant, and the
 * engine measures both sides in one interleaved round plan (cases.ts, PairedCase).
 *
 * What differs between the trees never stops the run: a scenario or variant on one side only (a
 * renamed variant is both), a parameter matrix that differs (the common cases are paired), a kind
 * without rounds (load), a scenario file the ref cannot load — each is one line, and the head is
 * measured as in an ordinary run wherever there is nothing to pair with.
 *
 * Dependencies: the worktree uses the working tree's node_modules (a symlink) when both trees have
 * the same package-lock.json; otherwise `npm ci` installs the ref's own, with a line saying why.
 * In perfkit's own repository, scenario files import 'perfkit' by the package's self-reference,
 * which points into dist/ — built output that a fresh worktree lacks: the worktree's dist/ is then a
 * link to the working tree's, so both sides run their scenarios under the same perfkit and only the
 * code the scenarios measure (the fixtures) comes from each tree.
 */
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, lstatSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, unlinkSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { LoadedScenario } from '../config/scenarios.ts'
import { loadScenarios } from '../config/scenarios.ts'
import type { ParamValue, Params } from '../config/types.ts'
import { buildCases, type PairedCase, type ScenarioCase } from '../engine/cases.ts'
import { discoverScenarioFiles } from '../engine/discovery.ts'
import { RunError, UsageError } from '../errors.ts'
import type { AgainstRun } from '../result/schema.ts'

function git(args: readonly string[], cwd: string): string {
  return execFileSync('git', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' }).trim()
}

function firstLine(error: unknown): string {
  const stderr = (error as { stderr?: string | Buffer }).stderr?.toString().trim()
  return (stderr || (error as Error).message || String(error)).split('\n')[0]!.trim()
}

/** The top of the git repository `cwd` is in; a usage error when it is in none. */
export function gitRoot(cwd: string, ref: string): string {
  try {
    return realpathSync(git(['rev-parse', '--show-toplevel'], cwd))
  } catch {
    throw new UsageError(`--against ${ref}: ${cwd} is not in a git repository; --against measures a git ref beside the working tree (use --baseline for saved results)`)
  }
}

/** The commit a ref names, and its subject; an unknown ref is one usage line naming it. */
export function resolveRef(ref: string, root: string): { commit: string; subject?: string } {
  if (ref.trim() === '' || ref.startsWith('-')) throw new UsageError(`--against ${JSON.stringify(ref)}: not a git ref; give a branch, tag or commit, e.g. --against origin/main`)
  let commit: string
  try {
    commit = git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], root)
  } catch {
    throw new UsageError(`--against ${ref}: no such commit in this repository; check the name (\`git log --oneline\`) or fetch it first (e.g. \`git fetch origin main\`)`)
  }
  let subject: string | undefined
  try {
    subject = git(['log', '-1', '--format=%s', commit], root) || undefined
  } catch {
    subject = undefined
  }
  return { commit, ...(subject ? { subject } : {}) }
}

/** Whether the working tree has uncommitted changes to tracked files (they are measured as the head). */
export function isDirty(root: string): boolean {
  try {
    return git(['status', '--porcelain', '--untracked-files=no'], root) !== ''
  } catch {
    return false
  }
}

/**
 * A detached worktree of one commit in a temporary folder. `dispose` removes it (links first, so
 * nothing they point at is touched), synchronously and at most once; it also runs when the process
 * exits, whatever ends it.
 */
export class Worktree {
  private readonly links: string[] = []
  private disposed = false
  private readonly onExit = () => this.dispose()

  private constructor(
    readonly repo: string,
    readonly dir: string,
    private readonly tmp: string,
  ) {
    process.on('exit', this.onExit)
  }

  static create(repo: string, commit: string, ref: string): Worktree {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'perfkit-against-'))
    const dir = path.join(tmp, path.basename(repo) || 'tree')
    try {
      // Hooks off: a post-checkout hook of the project has no business in a measurement's checkout.
      git(['-c', 'core.hooksPath=/dev/null', 'worktree', 'add', '--detach', '--quiet', dir, commit], repo)
    } catch (error) {
      rmSync(tmp, { recursive: true, force: true })
      throw new RunError(`--against ${ref}: could not check out ${commit.slice(0, 12)} in a temporary worktree: ${firstLine(error)}`, { cause: error })
    }
    return new Worktree(repo, realpathSync(dir), tmp)
  }

  /** A link at `at` (inside the worktree) to `target`; removed before the worktree is. */
  link(target: string, at: string): void {
    symlinkSync(target, at, 'dir')
    this.links.push(at)
  }

  get removed(): boolean {
    return this.disposed
  }

  dispose(): void {
    if (this.disposed) return
    this.disposed = true
    process.off('exit', this.onExit)
    for (const link of this.links) {
      try {
        if (lstatSync(link).isSymbolicLink()) unlinkSync(link)
      } catch {
        // already gone
      }
    }
    try {
      git(['worktree', 'remove', '--force', this.dir], this.repo)
    } catch {
      // A worktree git no longer knows (or a half-made one): remove the folder, then forget it.
      rmSync(this.dir, { recursive: true, force: true })
      try {
        git(['worktree', 'prune'], this.repo)
      } catch {
        // nothing to prune
      }
    }
    rmSync(this.tmp, { recursive: true, force: true })
  }
}

function readIfExists(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return undefined
  }
}

/** Runs `npm ci` in the worktree's package; a failure is one line with npm's last words. */
function npmCi(cwd: string, ref: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd, stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)))
    child.on('error', (error) => reject(new RunError(`--against ${ref}: could not run npm ci in the worktree: ${error.message}`, { cause: error })))
    child.on('close', (code) => {
      if (code === 0) resolve()
      else {
        const last = stderr.trim().split('\n').filter(Boolean).slice(-2).join(' | ')
        reject(new RunError(`--against ${ref}: npm ci failed in the worktree (exit ${code})${last ? `: ${last}` : ''}`))
      }
    })
  })
}

/**
 * Gives the worktree's package its dependencies: the working tree's node_modules when both
 * package-lock.json files are the same (and for a tree without a lockfile, which npm ci cannot
 * install); otherwise `npm ci` there. In perfkit's own repository, also the working tree's dist/.
 */
export async function provideDependencies(
  worktree: Worktree,
  head: { packageRoot: string; repo: string },
  ref: string,
  note: (line: string) => void,
): Promise<AgainstRun['dependencies']> {
  const rel = path.relative(head.repo, head.packageRoot)
  const basePackage = path.join(worktree.dir, rel)
  const headLock = readIfExists(path.join(head.packageRoot, 'package-lock.json'))
  const baseLock = readIfExists(path.join(basePackage, 'package-lock.json'))
  let dependencies: AgainstRun['dependencies']
  if (baseLock !== undefined && baseLock !== headLock) {
    const reason = headLock === undefined ? 'the working tree has no package-lock.json' : `package-lock.json differs between ${ref} and the working tree`
    note(`perfkit: ${reason}: installing ${ref}'s dependencies with npm ci in the worktree …`)
    await npmCi(basePackage, ref)
    dependencies = { mode: 'installed', reason }
  } else {
    // The package's node_modules, and the repository's when the package sits below it (a workspace).
    for (const dir of new Set([rel, ''])) {
      const from = path.join(head.repo, dir, 'node_modules')
      const at = path.join(worktree.dir, dir, 'node_modules')
      if (existsSync(from) && !existsSync(at) && existsSync(path.dirname(at))) worktree.link(from, at)
    }
    dependencies = { mode: 'shared', ...(baseLock === undefined ? { reason: `${ref} has no package-lock.json to install from` } : {}) }
  }
  const manifest = readIfExists(path.join(basePackage, 'package.json'))
  const name = manifest ? (JSON.parse(manifest) as { name?: string }).name : undefined
  const dist = path.join(basePackage, 'dist')
  if (name === 'perfkit' && !existsSync(dist) && existsSync(path.join(head.packageRoot, 'dist'))) worktree.link(path.join(head.packageRoot, 'dist'), dist)
  return dependencies
}

/** `file` (in the working tree) at the same place in the worktree; a path outside the repository stays as it is. */
function inTree(file: string, repo: string, tree: string): string {
  const rel = path.relative(repo, file)
  return rel.startsWith('..') || path.isAbsolute(rel) ? file : path.join(tree, rel)
}

function realOrSame(file: string): string {
  try {
    return realpathSync(file)
  } catch {
    return path.resolve(file)
  }
}

/**
 * The ref's scenarios: its files found with the same patterns (a pattern that matches nothing there
 * is a file the head added), each file loaded on its own, so one that does not load costs only its
 * own scenarios — one note each.
 */
export async function loadBaseScenarios(
  discovery: { patterns: readonly string[]; root: string; origin: 'argument' | 'config' },
  worktree: { repo: string; dir: string },
  ref: string,
): Promise<{ scenarios: LoadedScenario[]; notes: string[]; unloaded: Set<string> }> {
  const root = inTree(realOrSame(discovery.root), worktree.repo, worktree.dir)
  const patterns = discovery.patterns.map((p) => (path.isAbsolute(p) ? inTree(realOrSame(p), worktree.repo, worktree.dir) : p))
  const files = new Set<string>()
  for (const pattern of patterns) {
    try {
      for (const file of await discoverScenarioFiles([pattern], root, discovery.origin)) files.add(file)
    } catch (error) {
      if (!(error instanceof UsageError)) throw error
    }
  }
  const shown = (file: string) => `${ref}:${path.relative(worktree.dir, file).split(path.sep).join('/')}`
  const relTree = path.relative(process.cwd(), worktree.dir)
  const scenarios: LoadedScenario[] = []
  const notes: string[] = []
  // Files (as paths relative to the repository) the ref has but could not load.
  const unloaded = new Set<string>()
  for (const file of [...files].sort()) {
    try {
      for (const loaded of await loadScenarios([file])) {
        const other = scenarios.find((s) => s.scenario.name === loaded.scenario.name)
        if (other) notes.push(`${loaded.scenario.name}: defined twice in ${ref} (${other.relFile}, ${shown(file)}): the first is used`)
        else scenarios.push({ ...loaded, relFile: shown(file) })
      }
    } catch (error) {
      if (!(error instanceof UsageError)) throw error
      const message = error.message.split('\n')[0]!.split(`${relTree}${path.sep}`).join(`${ref}:`)
      notes.push(`${shown(file)} does not load (${message}): its scenarios are measured on the working tree only`)
      unloaded.add(path.relative(worktree.dir, file))
    }
  }
  return { scenarios, notes, unloaded }
}

function sameParams(a: Params, b: Params): boolean {
  const keys = Object.keys(a)
  return keys.length === Object.keys(b).length && keys.every((k) => k in b && (b[k] as ParamValue) === a[k])
}

/**
 * Pairs each head case with the base case of the same scenario (by name) and parameters, variant
 * by variant (by name). Pure. Answers the cases to run — paired ones measure `head:<v>` and
 * `base:<v>`, the others are the head's cases as they were — and the run-level notes.
 */
export function pairCases(
  headCases: readonly ScenarioCase[],
  base: readonly LoadedScenario[],
  options: { ref: string; params: Record<string, string>; filter?: string; unloaded?: (c: ScenarioCase) => boolean },
): { cases: ScenarioCase[]; notes: string[] } {
  const { ref } = options
  const notes: string[] = []
  const noted = new Set<string>()
  const once = (key: string, line: string) => {
    if (!noted.has(key)) notes.push(line)
    noted.add(key)
  }
  const baseCases = new Map<string, ScenarioCase[] | string>()
  const casesOf = (loaded: LoadedScenario): ScenarioCase[] | string => {
    const name = loaded.scenario.name
    if (!baseCases.has(name)) {
      const params = Object.fromEntries(Object.entries(options.params).filter(([key]) => key in loaded.params))
      try {
        baseCases.set(name, buildCases([loaded], { params }))
      } catch (error) {
        baseCases.set(name, (error as Error).message.split('\n')[0]!)
      }
    }
    return baseCases.get(name)!
  }
  const used = new Set<ScenarioCase>()
  const cases = headCases.map((c): ScenarioCase => {
    const name = c.loaded.scenario.name
    const counterpart = base.find((b) => b.scenario.name === name)
    if (!counterpart) {
      // A file the ref could not load was said already.
      if (options.unloaded?.(c)) return c
      once(`only-head:${name}`, `${name}: only in the working tree (${ref} has no scenario of that name): measured on the working tree only`)
      return c
    }
    if (counterpart.kind !== c.loaded.kind) {
      once(`kind:${name}`, `${name}: a ${c.loaded.kind} scenario here and a ${counterpart.kind} scenario in ${ref}: measured on the working tree only`)
      return c
    }
    if (c.loaded.kind === 'load') {
      once(`load:${name}`, `${name}: load cells run once per variant, with no rounds to pair with ${ref}: measured on the working tree only`)
      return c
    }
    const candidates = casesOf(counterpart)
    if (typeof candidates === 'string') {
      once(`params:${name}`, `${name}: ${ref}'s scenario does not take these parameters (${candidates}): measured on the working tree only`)
      return c
    }
    const match = candidates.find((b) => sameParams(b.params, c.params))
    if (!match) {
      notes.push(`${c.id}: ${ref} has no case with these parameters (its parameter matrix differs): measured on the working tree only`)
      return c
    }
    used.add(match)
    return pairCase(c, counterpart, ref, notes)
  })
  // The ref's cases no head case matched: a scenario the head removed or renamed, a matrix that shrank.
  const headNames = new Set(headCases.map((c) => c.loaded.scenario.name))
  const filter = options.filter !== undefined ? safeRegExp(options.filter) : undefined
  for (const b of base) {
    const name = b.scenario.name
    if (filter && !filter.test(name)) continue
    if (!headNames.has(name)) {
      notes.push(`${name}: only in ${ref} (the working tree has no scenario of that name): not run`)
      continue
    }
    const candidates = baseCases.get(name)
    if (Array.isArray(candidates)) {
      for (const bc of candidates) if (!used.has(bc)) notes.push(`${bc.id}: only in ${ref} (the parameter matrices differ): not run`)
    }
  }
  return { cases, notes }
}

function safeRegExp(source: string): RegExp | undefined {
  try {
    return new RegExp(source)
  } catch {
    return undefined
  }
}

/** One head case and its base scenario as a paired case: `head:<v>` for every variant the head runs, `base:<v>` for those the ref has too. */
function pairCase(c: ScenarioCase, base: LoadedScenario, ref: string, runNotes: string[]): ScenarioCase {
  const filtered = c.variants.length < c.loaded.variants.length
  const common = c.variants.filter((v) => base.variants.includes(v))
  if (common.length === 0) {
    runNotes.push(`${c.id}: no variant in common with ${ref} (${ref} has ${base.variants.join(', ')}): measured on the working tree only`)
    return c
  }
  const onlyHead = c.variants.filter((v) => !base.variants.includes(v))
  // Variants the ref has and the head's scenario does not (a --filter that left some out is not a difference).
  const onlyBase = base.variants.filter((v) => !c.loaded.variants.includes(v) && !filtered)
  const sources: PairedCase['sources'] = {}
  const pairs: PairedCase['pairs'] = []
  const notes: string[] = []
  for (const v of c.variants) {
    sources[`head:${v}`] = { side: 'head', loaded: c.loaded, variant: v }
    if (common.includes(v)) {
      sources[`base:${v}`] = { side: 'base', loaded: base, variant: v }
      pairs.push({ variant: v, head: `head:${v}`, base: `base:${v}` })
    } else pairs.push({ variant: v, head: `head:${v}`, reason: `only in the working tree (${ref} has no variant ${v})` })
  }
  for (const v of onlyBase) pairs.push({ variant: v, reason: `only in ${ref} (the working tree has no variant ${v}): not run` })
  const renamed = onlyHead.length === 1 && onlyBase.length === 1 ? ` — renamed from ${onlyBase[0]}? a renamed variant is not compared` : ''
  if (onlyHead.length) notes.push(`variant${onlyHead.length === 1 ? '' : 's'} ${onlyHead.join(', ')} only in the working tree: measured on the head only${renamed}`)
  if (onlyBase.length) notes.push(`variant${onlyBase.length === 1 ? '' : 's'} ${onlyBase.join(', ')} only in ${ref}: not run`)
  if (base.scenario.baseline !== c.loaded.scenario.baseline) notes.push(`the baseline variant is ${c.loaded.scenario.baseline} here and ${base.scenario.baseline} in ${ref}; ratios are the head's`)
  const variants = [...c.variants.map((v) => `head:${v}`), ...common.map((v) => `base:${v}`)]
  return { ...c, variants, against: { sources, pairs, notes } }
}

/** What `perfkit run` needs to measure against a ref: the cases (some paired), the record for the result, and the worktree's removal. */
export interface Against {
  cases: ScenarioCase[]
  record: AgainstRun
  /** Removes the worktree; safe to call more than once. */
  dispose(): void
}

/**
 * Resolves the ref (before anything else: an unknown ref costs nothing), checks it out, gives it
 * its dependencies, loads its scenarios and pairs the cases. Ctrl-C while this works removes the
 * worktree and exits 130; any error removes it too.
 */
export async function prepareAgainst(
  ref: string,
  options: {
    /** The package root (the config's root): where node_modules and package-lock.json are. */
    packageRoot: string
    discovery: { patterns: readonly string[]; root: string; origin: 'argument' | 'config' }
    cases: readonly ScenarioCase[]
    params: Record<string, string>
    filter?: string
    note: (line: string) => void
  },
): Promise<Against> {
  const repo = gitRoot(options.packageRoot, ref)
  const { commit, subject } = resolveRef(ref, repo)
  const head = { commit: (() => { try { return git(['rev-parse', 'HEAD'], repo) } catch { return undefined } })(), dirty: isDirty(repo) }
  const worktree = Worktree.create(repo, commit, ref)
  const onSignal = () => {
    worktree.dispose()
    process.exit(130)
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  try {
    const short = commit.slice(0, 10)
    options.note(`perfkit: against ${ref} (${short}${subject ? ` ${subject}` : ''}), checked out in a temporary worktree; the working tree is the head${head.dirty ? ', with its uncommitted changes measured as they are' : ''}`)
    const dependencies = await provideDependencies(worktree, { packageRoot: realOrSame(options.packageRoot), repo }, ref, options.note)
    const loaded = await loadBaseScenarios(options.discovery, worktree, ref)
    const paired = pairCases(options.cases, loaded.scenarios, {
      ref,
      params: options.params,
      ...(options.filter !== undefined ? { filter: options.filter } : {}),
      unloaded: (c) => loaded.unloaded.has(path.relative(repo, realOrSame(c.loaded.file))),
    })
    const notes = [...loaded.notes, ...paired.notes]
    for (const line of notes) options.note(`perfkit: ${line}`)
    if (head.commit === commit && !head.dirty) options.note(`perfkit: ${ref} is the working tree's own commit: an A/A run, every difference is noise`)
    return {
      cases: paired.cases,
      record: { ref, commit, ...(subject ? { subject } : {}), head: { ...(head.commit ? { commit: head.commit } : {}), dirty: head.dirty }, dependencies, notes },
      dispose: () => worktree.dispose(),
    }
  } catch (error) {
    worktree.dispose()
    throw error
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}

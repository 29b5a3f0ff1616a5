/**
 * The parent's handle on one variant's child process: spawn it (fresh JIT and heap, TypeScript
 * loaded by tsx, GC exposed, an optional memory ceiling), send one request at a time with a
 * deadline, and turn every way a child can fail into a ChildFailure the scheduler records.
 */
import { fork, spawnSync, type ChildProcess } from 'node:child_process'
import os from 'node:os'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { redact } from '../errors.ts'
import type { ChildMessage, ParentMessage } from './protocol.ts'

export type FailureKind = 'errored' | 'timeout' | 'crashed' | 'interrupted'

/** Why a child did not answer a request. */
export class ChildFailure extends Error {
  constructor(
    readonly kind: FailureKind,
    readonly phase: string,
    message: string,
    readonly childStack?: string,
    readonly timeoutMs?: number,
  ) {
    super(message)
    this.name = 'ChildFailure'
  }
}

const here = fileURLToPath(import.meta.url)
/** child.js next to this file when compiled, child.ts when running from source (tests). */
const CHILD_ENTRY = path.join(path.dirname(here), `child${path.extname(here)}`)
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href
const STDERR_TAIL = 4000

/**
 * V8 flags for children whose rounds are compared: a young generation of one fixed size.
 *
 * V8 grows and shrinks its new space (the semi-spaces) as a process allocates, so code that builds
 * objects runs at two speeds — measured here on a 200-envelope loop: 3.5 µs and 5.4 µs per call,
 * switching every few rounds, round-to-round CV 10–20 %. With both semi-spaces fixed at 16 MB (the
 * size V8 grows them to under steady allocation) the same loop's CV is about 1 %. The figures are
 * those of a process whose young generation has settled, as a long-running service's has.
 */
export const STEADY_HEAP_ARGS = ['--min-semi-space-size=16', '--max-semi-space-size=16']

/**
 * The CPU that micro variants' processes measure on: the last one, when the machine has several
 * and `taskset` is there (PERFKIT_PIN=0 turns it off). Measured here on the allocation A/A with 12
 * processes per variant, twice: the spread of per-process log-ratios was 4.7 % with the scheduler
 * free to move processes between this VM's two vCPUs (one process pair 18 % apart) and 2.3 % with
 * every process on one vCPU. Turns never overlap, so one CPU serves every variant in turn.
 */
export function measuringCpu(): number | undefined {
  if (process.env.PERFKIT_PIN === '0' || process.platform !== 'linux') return undefined
  const cpus = os.availableParallelism()
  return cpus > 1 ? cpus - 1 : undefined
}

export interface SpawnOptions {
  label: string
  maxMemoryMB?: number
  env?: Record<string, string>
  /** Entry module of the child; the micro child by default. */
  entry?: string
  /** Extra arguments for node (before the entry). */
  execArgv?: string[]
}

/** Every protocol's child answers a request with one reply, or with an error. */
type ErrorReply = { type: 'error'; phase: string; message: string; stack?: string }

function isErrorReply(message: { type: string }): message is ErrorReply {
  return message.type === 'error'
}

/**
 * A child speaking protocol P (requests) / C (replies): the micro protocol by default; the http and
 * load children speak their own.
 */
export class VariantProcess<P extends { type: string } = ParentMessage, C extends { type: string } = ChildMessage> {
  private readonly child: ChildProcess
  private stderr = ''
  private exit?: { code: number | null; signal: NodeJS.Signals | null }
  private pending?: { resolve: (m: C) => void; reject: (e: ChildFailure) => void; phase: string }
  private interrupted = false
  /** An error the child reported while no request was outstanding (work a variant never awaited). */
  private lateError?: ChildFailure

  constructor(readonly options: SpawnOptions) {
    const execArgv = ['--import', TSX_LOADER, '--expose-gc', ...(options.execArgv ?? [])]
    if (options.maxMemoryMB) execArgv.push(`--max-old-space-size=${options.maxMemoryMB}`)
    this.child = fork(options.entry ?? CHILD_ENTRY, [], {
      execArgv,
      serialization: 'advanced',
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: { ...process.env, ...options.env, PERFKIT_CHILD: '1' },
    })
    const keep = (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-STDERR_TAIL)
    }
    this.child.stderr!.on('data', keep)
    // A variant's console output is its own business; keep a tail for error messages only.
    this.child.stdout!.on('data', keep)
    this.child.on('message', (message: C) => this.onMessage(message))
    this.child.on('exit', (code, signal) => {
      this.exit = { code, signal }
      const pending = this.pending
      this.pending = undefined
      if (!pending) return
      if (this.interrupted) pending.reject(new ChildFailure('interrupted', pending.phase, 'interrupted'))
      else pending.reject(new ChildFailure('crashed', pending.phase, this.describeExit(code, signal)))
    })
    this.child.on('error', () => {
      // 'exit' follows and reports it.
    })
  }

  get pid(): number | undefined {
    return this.child.pid
  }

  /** Moves every thread of the child to one CPU (`taskset`); false when that could not be done. */
  pin(cpu: number): boolean {
    if (this.child.pid === undefined || !this.running) return false
    const done = spawnSync('taskset', ['-a', '-p', '-c', String(cpu), String(this.child.pid)], { stdio: 'ignore' })
    return done.status === 0
  }

  get running(): boolean {
    return this.exit === undefined
  }

  /** The last lines the child wrote, for error messages. */
  stderrTail(lines = 6): string {
    return redact(this.stderr.trimEnd().split('\n').slice(-lines).join('\n'))
  }

  /** True when the child died because it ran out of heap. */
  get outOfMemory(): boolean {
    return /heap out of memory|Allocation failed|Reached heap limit|ERR_WORKER_OUT_OF_MEMORY/i.test(this.stderr)
  }

  private describeExit(code: number | null, signal: NodeJS.Signals | null): string {
    if (this.outOfMemory) return `out of memory${this.options.maxMemoryMB ? ` (ceiling ${this.options.maxMemoryMB} MB)` : ''}`
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`
    const tail = this.stderrTail(3)
    return `the variant's process ${how}${tail ? `: ${tail.replace(/\s*\n\s*/g, ' | ')}` : ''}`
  }

  private onMessage(message: C): void {
    const pending = this.pending
    const error = isErrorReply(message) ? message : undefined
    if (!pending) {
      if (error) this.lateError ??= new ChildFailure('errored', error.phase, error.message, error.stack)
      return
    }
    this.pending = undefined
    if (error) pending.reject(new ChildFailure('errored', error.phase, error.message, error.stack))
    else pending.resolve(message)
  }

  /** Sends one request and waits for its reply; a child that takes longer than timeoutMs is killed. */
  request<T extends C['type']>(message: P, expect: T, timeoutMs: number, phase: string): Promise<Extract<C, { type: T }>> {
    if (this.interrupted) return Promise.reject(new ChildFailure('interrupted', phase, 'interrupted'))
    if (this.exit) return Promise.reject(new ChildFailure('crashed', phase, this.describeExit(this.exit.code, this.exit.signal)))
    if (this.lateError) return Promise.reject(this.lateError)
    if (this.pending) return Promise.reject(new Error(`bug: two requests outstanding to ${this.options.label}`))
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        if (this.pending?.phase !== phase) return
        this.pending = undefined
        this.kill()
        reject(new ChildFailure('timeout', phase, `no answer within ${Math.round(timeoutMs)} ms (${phase})`, undefined, timeoutMs))
      }, timeoutMs)
      this.pending = {
        phase,
        resolve: (reply) => {
          clearTimeout(timer)
          if (reply.type !== expect) reject(new ChildFailure('errored', phase, `bug: expected "${expect}" from the child, got "${reply.type}"`))
          else resolve(reply as Extract<C, { type: T }>)
        },
        reject: (failure) => {
          clearTimeout(timer)
          reject(failure)
        },
      }
      this.child.send(message)
    })
  }

  /** Asks the variant to tear down (every protocol's `finish`), so it releases what it holds. */
  release(timeoutMs: number): Promise<unknown> {
    return this.request({ type: 'finish' } as P, 'finished' as C['type'], timeoutMs, 'teardown')
  }

  /** Stops the child now (Ctrl-C, or a child that no longer answers). */
  kill(): void {
    if (this.exit) return
    this.child.kill('SIGKILL')
  }

  /** Marks the child interrupted and kills it: its pending request rejects as `interrupted`. */
  interrupt(): void {
    this.interrupted = true
    this.kill()
  }

  /** Waits for the process to be gone (after finish or kill). */
  async closed(timeoutMs = 5000): Promise<void> {
    if (this.exit) return
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.kill()
        resolve()
      }, timeoutMs)
      this.child.once('exit', () => {
        clearTimeout(timer)
        resolve()
      })
      this.child.disconnect?.()
    })
  }
}

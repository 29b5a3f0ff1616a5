/**
 * The parent's handle on one variant's child process: spawn it (fresh JIT and heap, TypeScript
 * loaded by tsx, GC exposed, an optional memory ceiling), send one request at a time with a
 * deadline, and turn every way a child can fail into a ChildFailure the scheduler records.
 */
import { fork, type ChildProcess } from 'node:child_process'
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

export interface SpawnOptions {
  label: string
  maxMemoryMB?: number
  env?: Record<string, string>
  /** Entry module of the child; the micro child by default. */
  entry?: string
  /** Extra arguments for node (before the entry). */
  execArgv?: string[]
}

export class VariantProcess {
  private readonly child: ChildProcess
  private stderr = ''
  private exit?: { code: number | null; signal: NodeJS.Signals | null }
  private pending?: { resolve: (m: ChildMessage) => void; reject: (e: ChildFailure) => void; phase: string }
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
    this.child.on('message', (message: ChildMessage) => this.onMessage(message))
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

  private onMessage(message: ChildMessage): void {
    const pending = this.pending
    if (!pending) {
      if (message.type === 'error') this.lateError ??= new ChildFailure('errored', message.phase, message.message, message.stack)
      return
    }
    this.pending = undefined
    if (message.type === 'error') {
      pending.reject(new ChildFailure('errored', message.phase, message.message, message.stack))
    } else pending.resolve(message)
  }

  /** Sends one request and waits for its reply; a child that takes longer than timeoutMs is killed. */
  request<T extends ChildMessage['type']>(message: ParentMessage, expect: T, timeoutMs: number, phase: string): Promise<Extract<ChildMessage, { type: T }>> {
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
          else resolve(reply as Extract<ChildMessage, { type: T }>)
        },
        reject: (failure) => {
          clearTimeout(timer)
          reject(failure)
        },
      }
      this.child.send(message)
    })
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

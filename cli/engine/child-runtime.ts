/**
 * What every child entry (child.ts for micro, load-child.ts, http-child.ts) does alike: it leaves
 * Ctrl-C to the parent and goes when the parent does, answers one request at a time, reports an
 * error with the phase it happened in, finds the scenario again in the scenario file, and runs the
 * scenario's setup and teardown. The measuring itself is each kind's own (micro-child.ts,
 * load-driver.ts, http-server.ts); nothing here runs per measured operation.
 */
import { pathToFileURL } from 'node:url'
import type { Params, Scenario, SetupContext } from '../config/types.ts'
import { redact } from '../errors.ts'
import type { ProcessStats } from '../result/schema.ts'

/** How a child reports a failure; VariantProcess turns it into a ChildFailure. */
export interface ChildError {
  type: 'error'
  phase: string
  message: string
  stack?: string
}

/** An error as it crosses to the parent: credentials redacted from the message and stack. */
export function describeError(error: unknown): { message: string; stack?: string } {
  if (error instanceof Error) return { message: redact(error.message || error.name), ...(error.stack ? { stack: redact(error.stack) } : {}) }
  return { message: redact(String(error)) }
}

/** The child's side of the conversation with its parent. */
export class ChildRuntime<Request, Reply> {
  /** What the child is doing, named in every error it reports (`setup`, `round 3`, `teardown`). */
  phase: string

  constructor(phase: string) {
    this.phase = phase
    // Ctrl-C is the parent's to handle: it stops the child when it decides to.
    process.on('SIGINT', () => {})
    process.on('disconnect', () => process.exit(0))
  }

  send(message: Reply | ChildError): void {
    process.send?.(message)
  }

  /** Reports an error in the current phase. */
  fail(error: unknown): void {
    this.send({ type: 'error', phase: this.phase, ...describeError(error) })
  }

  /** Work the variant starts and never awaits can still fail; that is the variant's error, reported and then the process ends. */
  reportStrayErrors(): void {
    process.on('unhandledRejection', (reason) => {
      this.fail(reason)
      process.exitCode = 1
    })
    process.on('uncaughtException', (error) => {
      this.fail(error)
      setTimeout(() => process.exit(1), 50)
    })
  }

  /**
   * A server that throws outside any request takes the process down, as it would in production:
   * the error goes to stderr too, whose tail the parent reports.
   */
  crashOnStrayErrors(): void {
    const crash = (error: unknown) => {
      const { message, stack } = describeError(error)
      process.stderr.write(`${stack ?? message}\n`)
      this.send({ type: 'error', phase: this.phase, message, ...(stack ? { stack } : {}) })
      setTimeout(() => process.exit(1), 50)
    }
    process.on('unhandledRejection', crash)
    process.on('uncaughtException', crash)
  }

  /** Answers each of the parent's requests with `handle`'s reply, or with an error in the current phase. */
  serve(handle: (message: Request) => Promise<Reply>): void {
    process.on('message', (message: Request) => {
      handle(message).then(
        (reply) => this.send(reply),
        (error: unknown) => this.fail(error),
      )
    })
  }
}

/** Which scenario and variant the parent chose, and where it found them. */
export interface ScenarioAddress {
  file: string
  index: number
  scenario: string
  variant: string
}

/**
 * Imports the scenario file in this process and finds the scenario and variant the parent chose
 * (the file may have changed since the parent read it). `kind`, when given, must still match.
 */
export async function importScenario(address: ScenarioAddress, kind?: Scenario['kind']): Promise<Scenario> {
  const module = (await import(pathToFileURL(address.file).href)) as { default?: unknown }
  const exported = Array.isArray(module.default) ? module.default[address.index] : module.default
  const found = exported as Scenario | undefined
  if (!found || found.name !== address.scenario) throw new Error(`scenario "${address.scenario}" is no longer in ${address.file}`)
  if (kind !== undefined && (found.kind ?? 'micro') !== kind) throw new Error(`scenario "${address.scenario}" is no longer a ${kind} scenario`)
  if (!(address.variant in found.variants)) throw new Error(`variant "${address.variant}" is no longer in scenario "${address.scenario}"`)
  return found
}

/** A scenario's life in this process: setup once, and teardown at the end only if setup ran. */
export class ScenarioLife<S extends Scenario = Scenario> {
  state: unknown
  context: SetupContext | undefined
  private setupDone = false
  /** Aborted at teardown, so work the variant started can stop. */
  private readonly controller = new AbortController()

  constructor(
    readonly scenario: S,
    readonly variant: string,
  ) {}

  get isSetUp(): boolean {
    return this.setupDone
  }

  async setup(params: Params): Promise<SetupContext> {
    const context: SetupContext = { params, variant: this.variant, scenario: this.scenario.name, signal: this.controller.signal }
    this.context = context
    this.state = this.scenario.setup ? await this.scenario.setup(context) : undefined
    this.setupDone = true
    return context
  }

  /** Signals the variant's work to stop, lets `release` close what the child built on it (a driver, a server), then tears the scenario down. */
  async finish(release?: () => unknown): Promise<void> {
    this.controller.abort()
    await release?.()
    if (this.setupDone && this.scenario.teardown) await this.scenario.teardown(this.state, this.context!)
  }
}

/** The scenario's `counters(state)`, checked: numbers only. */
export function sanitizeCounters(raw: unknown): Record<string, number> {
  const counters: Record<string, number> = {}
  if (typeof raw !== 'object' || raw === null) throw new Error('counters(state) must return an object of numbers')
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`counters(state).${key} is not a finite number`)
    counters[key] = value
  }
  return counters
}

/** The process's lifetime figures, sent with `finished`. */
export function processFigures(gc: { count: number; totalMs: number } = { count: 0, totalMs: 0 }): ProcessStats {
  return { peakRssBytes: process.resourceUsage().maxRSS * 1024, heapUsedBytes: process.memoryUsage().heapUsed, gc }
}

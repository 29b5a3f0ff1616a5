/**
 * Progress while a run works: one rewritten line on a TTY, plain lines otherwise (CI logs).
 * Writes to stderr so stdout stays clean for tables or JSON.
 */
import type { EngineEvent } from '../engine/types.ts'

export class Progress {
  private line = ''
  private position = ''
  private started?: number

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly tty: boolean,
    private readonly now: () => number = Date.now,
  ) {}

  /** `[3/30, ~4 min left]`: the time left, from the cases done so far (none before the first is done). */
  private positionText(index: number, total: number): string {
    this.started ??= this.now()
    if (index === 0) return `[${index + 1}/${total}]`
    const left = ((this.now() - this.started) / index) * (total - index)
    return `[${index + 1}/${total}, ~${formatLeft(left)} left]`
  }

  handle(event: EngineEvent): void {
    switch (event.type) {
      case 'scenario-start':
        this.position = this.positionText(event.index, event.total)
        if (this.tty) this.show(`${this.position} ${event.scenario}: starting ${event.variants.length} variants`)
        else this.stream.write(`${this.position} ${event.scenario}: ${event.variants.join(', ')}\n`)
        break
      case 'phase':
        if (this.tty) this.show(`${this.position} ${event.scenario}: ${event.phase}${event.variant ? ` ${event.variant}` : ''}`)
        break
      case 'round':
        if (this.tty) this.show(`${this.position} ${event.scenario}: round ${event.round}/${event.rounds} ${event.variant}`)
        break
      case 'variant-failed':
        this.clear()
        this.stream.write(`${event.scenario}/${event.variant}: ${event.state}: ${event.message}\n`)
        break
      case 'scenario-done':
        this.clear()
        break
    }
  }

  private show(text: string): void {
    const width = Math.max(20, (this.stream.columns ?? 100) - 1)
    this.line = text.length > width ? `${text.slice(0, width - 1)}…` : text
    this.stream.write(`\r\u001b[K${this.line}`)
  }

  /** Removes the progress line before anything else is printed. */
  clear(): void {
    if (this.tty && this.line) this.stream.write('\r\u001b[K')
    this.line = ''
  }

  note(text: string): void {
    this.clear()
    this.stream.write(`${text}\n`)
  }
}

function formatLeft(ms: number): string {
  if (ms < 60_000) return `${Math.max(1, Math.round(ms / 1000))} s`
  return `${Math.round(ms / 60_000)} min`
}

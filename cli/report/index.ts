/**
 * Reporters, registered by name: each is a pure `result → string`. Adding a format means adding
 * an entry here; the CLI never changes.
 */
import type { RunResult } from '../result/schema.ts'
import { serializeResult } from '../result/io.ts'
import { renderConsole } from './console.ts'
import { renderHtml } from './html.ts'
import { renderJunit } from './junit.ts'
import { renderMarkdown } from './markdown.ts'

export interface Reporter {
  name: string
  /** File extension of its output. */
  extension: string
  render(result: RunResult): string | Promise<string>
}

const registry = new Map<string, Reporter>()

export function registerReporter(reporter: Reporter): void {
  registry.set(reporter.name, reporter)
}

export function getReporter(name: string): Reporter | undefined {
  return registry.get(name)
}

export function reporterNames(): string[] {
  return [...registry.keys()]
}

registerReporter({ name: 'json', extension: 'json', render: serializeResult })
registerReporter({ name: 'console', extension: 'txt', render: (result) => renderConsole(result, { color: false }) })
registerReporter({ name: 'html', extension: 'html', render: (result) => renderHtml(result) })
registerReporter({ name: 'markdown', extension: 'md', render: renderMarkdown })
registerReporter({ name: 'junit', extension: 'xml', render: renderJunit })

/**
 * Errors a user can cause carry their exit code and a one-line message that names the file or flag
 * and says what to do. Only cli/main.ts turns them into output and an exit code.
 *
 * Exit codes: 0 all good · 1 a budget failed or a regression was found · 2 usage, config or
 * scenario-file error · 3 the run could not complete · 130 interrupted.
 */
export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  incomplete: 3,
  interrupted: 130,
} as const

export type ExitCode = (typeof EXIT)[keyof typeof EXIT]

export class PerfkitError extends Error {
  readonly exitCode: ExitCode
  constructor(message: string, exitCode: ExitCode, options?: { cause?: unknown }) {
    super(message, options)
    this.name = new.target.name
    this.exitCode = exitCode
  }
}

/** A flag, config file, scenario file, baseline or budget is wrong (exit 2). */
export class UsageError extends PerfkitError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, EXIT.usage, options)
  }
}

/** The run could not complete: a backend is unreachable, a server never became ready … (exit 3). */
export class RunError extends PerfkitError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, EXIT.incomplete, options)
  }
}

/** Removes the password (and user info) from any URL-looking text, for every message perfkit prints. */
export function redact(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)([^/@\s:]*)(:[^/@\s]*)?@/gi, (_m, scheme: string, user: string, pass?: string) =>
    pass ? `${scheme}${user}:***@` : `${scheme}${user}@`,
  )
}

/**
 * Turning an http variant into a listening server: find its factory (a module path relative to
 * the scenario file, a named export, or the factory itself), call it, and bind what it returns to
 * 127.0.0.1 on a free port — perfkit's servers never listen anywhere else.
 *
 * Every request goes through one wrapper that counts it and, only while a traced pass is on, runs
 * it as one traced operation (`traceOp`) that ends when the response has been written, so the
 * phases the application marks with `span` plus the unattributed rest add up to the request's time.
 */
import http, { type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { isTracing, traceOp } from '../trace/index.ts'
import type { HttpServerContext, HttpServerFactory, HttpServerHandle, HttpVariant } from '../config/types.ts'

/** The host every server binds to. */
export const HTTP_HOST = '127.0.0.1'

export interface RunningServer {
  readonly port: number
  readonly server: http.Server
  /** Requests received since the server started. */
  readonly received: number
  /** Stops listening, drops keep-alive connections, then runs the handle's own `close`. */
  close(): Promise<void>
}

/** The factory a variant names. Throws an Error saying what to export when there is none. */
export async function resolveServerFactory(variant: HttpVariant, scenarioFile: string): Promise<HttpServerFactory> {
  if (typeof variant === 'function') return variant
  const spec = typeof variant === 'string' ? { module: variant, export: 'default' } : { module: variant.module, export: variant.export ?? 'default' }
  const file = path.resolve(path.dirname(scenarioFile), spec.module)
  const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>
  const factory = module[spec.export]
  if (typeof factory !== 'function') {
    const found = Object.keys(module).filter((key) => typeof module[key] === 'function')
    throw new Error(
      `server module ${spec.module} has no ${spec.export === 'default' ? 'default export' : `export "${spec.export}"`} that is a function` +
        ` (functions it exports: ${found.length ? found.join(', ') : 'none'}); export a factory (context) => request listener`,
    )
  }
  return factory as HttpServerFactory
}

/** Calls the factory and starts what it returns on 127.0.0.1:0. */
export async function startServer(factory: HttpServerFactory, context: HttpServerContext): Promise<RunningServer> {
  return listen(await factory(context))
}

function isServer(value: unknown): value is http.Server {
  return value instanceof http.Server
}

/** Binds a handle to 127.0.0.1 on a free port. */
export async function listen(handle: HttpServerHandle): Promise<RunningServer> {
  let server: http.Server
  let closeHandle: (() => unknown) | undefined
  const counter = { received: 0 }
  if (typeof handle === 'function') {
    server = http.createServer(wrapListener(handle as RequestListener, counter))
  } else if (isServer(handle)) {
    server = rewire(handle, counter)
  } else if (typeof handle === 'object' && handle !== null && (typeof handle.handler === 'function' || isServer(handle.server))) {
    server = handle.handler ? http.createServer(wrapListener(handle.handler, counter)) : rewire(handle.server!, counter)
    closeHandle = typeof handle.close === 'function' ? handle.close.bind(handle) : undefined
  } else {
    throw new Error(
      `the server factory returned ${describe(handle)}; return a request listener (req, res) => …, an http.Server that is not listening, or { handler | server, close }`,
    )
  }
  if (server.listening) {
    throw new Error(`the server factory returned a server that is already listening; return it before calling listen() — perfkit binds it to ${HTTP_HOST} on a free port`)
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, HTTP_HOST, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const port = (server.address() as AddressInfo).port
  let closed = false
  return {
    port,
    server,
    get received() {
      return counter.received
    },
    async close() {
      if (closed) return
      closed = true
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
      await closeHandle?.()
    },
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value === 'object' ? 'an object without a handler or server' : typeof value
}

/** Moves a server's own 'request' listeners behind the counting/tracing wrapper. */
function rewire(server: http.Server, counter: { received: number }): http.Server {
  const listeners = server.listeners('request') as RequestListener[]
  if (listeners.length === 0) throw new Error('the server factory returned an http.Server without a request listener')
  server.removeAllListeners('request')
  const all: RequestListener = listeners.length === 1 ? listeners[0]! : (req, res) => listeners.forEach((listener) => listener(req, res))
  server.on('request', wrapListener(all, counter))
  return server
}

/**
 * Outside a traced pass this costs a counter and one boolean check per request. Inside one, the
 * request is a traced operation from the moment Node hands it over (headers parsed) until the
 * response is flushed ('finish') or the connection goes ('close').
 */
function wrapListener(listener: RequestListener, counter: { received: number }): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    counter.received++
    if (!isTracing()) return listener(req, res)
    void traceOp(
      () =>
        new Promise<void>((resolve) => {
          res.once('finish', resolve)
          res.once('close', resolve)
          listener(req, res)
        }),
    )
  }
}

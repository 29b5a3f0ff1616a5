/**
 * A TCP proxy in front of a real server, so a test can make the server "go away" mid-run without
 * stopping the shared one: `cut()` drops every connection and refuses new ones.
 */
import net from 'node:net'

export interface Proxy {
  /** The target URL with the proxy's host and port. */
  url: string
  cut(): void
  close(): Promise<void>
}

export async function startProxy(target: string): Promise<Proxy> {
  const to = new URL(target)
  const sockets = new Set<net.Socket>()
  const server = net.createServer((client) => {
    const upstream = net.connect({ host: to.hostname, port: Number(to.port) })
    for (const s of [client, upstream]) {
      sockets.add(s)
      s.on('close', () => sockets.delete(s))
      s.on('error', () => s.destroy())
    }
    client.pipe(upstream)
    upstream.pipe(client)
    client.on('close', () => upstream.destroy())
    upstream.on('close', () => client.destroy())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  const url = new URL(target)
  url.hostname = '127.0.0.1'
  url.port = String(port)
  return {
    url: url.href.replace(/\/$/, ''),
    cut: () => {
      server.close()
      for (const s of sockets) s.destroy()
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        if (!server.listening) resolve()
        else server.close(() => resolve())
      }),
  }
}

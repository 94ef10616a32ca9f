// A raw TCP server on 127.0.0.1 port 0 that plays a misbehaving HTTP/1.1 server.
// It reads request heads itself (the load tester's requests have no body), and
// keeps its own books: connections accepted, requests read, and the responses it
// sent that were right for a request it had read. A load tester that counts more
// ok responses than that counted something the server never answered correctly.
import {createServer, type Socket} from 'node:net'

import {listen, type TestTarget, track} from './load-target.js'

export interface HostileStats {
  connections: number
  /** Request heads read, over every connection. */
  requests: number
  /** Responses sent in answer to a request read, complete and correct. */
  valid: number
}

export interface HostileConnection {
  /** Whether the socket is gone (a timer or a stream should stop). */
  readonly closed: boolean
  /** Requests read on this connection so far. */
  readonly requests: number
  readonly socket: Socket
  readonly stats: HostileStats
  /** Runs `fn` after `ms` unless the connection has closed by then. */
  later(ms: number, fn: () => void): void
  /** Writes `bytes` (latin1 when a string); `valid` counts them as one correct answer. */
  send(bytes: Buffer | string, valid?: boolean): void
  /** Writes `chunk` again and again, as fast as the socket takes it, until the connection closes. */
  stream(chunk: Buffer): void
}

export interface Behaviour {
  /** On accept, before anything is read. */
  onConnection?(connection: HostileConnection): void
  /** For every request head read. */
  onRequest?(connection: HostileConnection): void
}

export interface HostileTarget extends TestTarget {
  stats: HostileStats
}

const HEAD_END = '\r\n\r\n'

export async function startHostileTarget(behaviour: Behaviour): Promise<HostileTarget> {
  const stats: HostileStats = {connections: 0, requests: 0, valid: 0}
  const server = createServer((socket) => {
    stats.connections++
    socket.on('error', () => {})
    const connection = hostileConnection(socket, stats)
    let pending = ''
    socket.setEncoding('latin1')
    socket.on('data', (data: string) => {
      pending += data
      for (let end = pending.indexOf(HEAD_END); end >= 0; end = pending.indexOf(HEAD_END)) {
        pending = pending.slice(end + HEAD_END.length)
        connection.requestRead()
        behaviour.onRequest?.(connection)
        if (connection.closed) return
      }
    })
    behaviour.onConnection?.(connection)
  })
  const port = await listen(server)
  return {...track(server, port, () => stats.requests), stats}
}

function hostileConnection(socket: Socket, stats: HostileStats): HostileConnection & {requestRead(): void} {
  let requests = 0
  const timers = new Set<NodeJS.Timeout>()
  socket.on('close', () => {
    for (const timer of timers) clearTimeout(timer)
  })
  const closed = () => socket.destroyed || !socket.writable
  return {
    get closed() {
      return closed()
    },
    get requests() {
      return requests
    },
    later(ms, fn) {
      if (closed()) return
      const timer = setTimeout(() => {
        timers.delete(timer)
        if (!closed()) fn()
      }, ms)
      timers.add(timer)
    },
    requestRead() {
      requests++
      stats.requests++
    },
    send(bytes, valid = false) {
      if (closed()) return
      if (valid) stats.valid++
      socket.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes)
    },
    socket,
    stats,
    stream(chunk) {
      const pump = () => {
        while (!closed()) if (!socket.write(chunk)) return
      }

      socket.on('drain', pump)
      pump()
    },
  }
}

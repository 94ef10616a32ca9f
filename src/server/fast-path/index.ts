// The connection fast path, behind one small interface: a server gives it each
// new connection, and it answers the connection's plain requests itself (see
// connection.ts) until the first it cannot, when it hands the connection to
// node:http through node:http's documented way in: the server's 'connection'
// event, emitted by hand.
import type {Server} from 'node:http'
import type {Socket} from 'node:net'

import type {ServerTimeouts} from '../options.js'
import type {ReadyResponse} from '../ready-response.js'
import type {SimpleRequest} from './request-head.js'

import {serveFast} from './connection.js'
import {FirstHeadDeadlines} from './first-head.js'

export interface FastPathOptions {
  /** The prepared answer for a simple request, or undefined for node:http to take it. */
  answer(request: SimpleRequest): ReadyResponse | undefined
  /** Called once each answer is sent (body bytes, 0 if it was not), when there is an access log. */
  sent?: (request: SimpleRequest, answer: ReadyResponse, bytes: number, start: number) => void
  /** A connection that sent no complete head in time: answered as node:http answers it (a 408). */
  timedOut(socket: Socket): void
  timeouts: ServerTimeouts
}

export interface FastPath {
  /** Serves a new connection from its first byte. */
  accept(socket: Socket): void
  /** node:http has read a request head on `socket` (a connection handed to it): its first head came in time. */
  headRead(socket: Socket): void
}

export function attachFastPath(server: Server, options: FastPathOptions): FastPath {
  const {answer, sent, timedOut, timeouts} = options
  const firstHeads = new FirstHeadDeadlines(timedOut)
  const hooks = {
    answer,
    handOver(socket: Socket, unread: Buffer, headersDeadline: number | undefined) {
      // Bytes read here but not answered go back to the socket (readable.unshift), and the
      // socket flows again once node:http listens: they reach its parser first, before any
      // byte still to come, and before the client's FIN. Paused here for a client that did
      // not read its answers, it flows too: node:http keeps its own watch from now on.
      socket.pause()
      if (unread.byteLength > 0) socket.unshift(unread)
      server.emit('connection', socket)
      socket.resume()
      if (headersDeadline !== undefined) firstHeads.arm(socket, headersDeadline)
    },
    headersMs: timeouts.headersMs,
    headersTimedOut: timedOut,
    keepAliveMs: timeouts.keepAliveMs,
    sent,
  }
  return {
    accept: (socket) => serveFast(socket, hooks),
    headRead: (socket) => firstHeads.complete(socket),
  }
}

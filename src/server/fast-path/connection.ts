// One connection on the fast path: while its requests are simple
// (request-head.ts) and have prepared answers, they are answered straight from
// the bytes received, without node:http's request and response objects, which
// cost more than everything else a request does. At the first request that is
// not, the connection goes to node:http for good, that request's bytes with it;
// what was answered here is already queued in order.
import type {Socket} from 'node:net'

import {performance} from 'node:perf_hooks'

import type {ReadyResponse} from '../ready-response.js'

import {readSimpleRequest, type SimpleRequest} from './request-head.js'

export interface ConnectionHooks {
  /** The answer to send, or undefined when node:http must take the request. */
  answer(request: SimpleRequest): ReadyResponse | undefined
  /**
   * Gives the connection to node:http, with the bytes it has not read yet. Before
   * the connection's first answer, `headersDeadline` (performance.now() ms) is
   * when its first head must be complete: node:http's own clock starts at the
   * handover, so a client silent until just before the deadline would otherwise
   * get a whole headers timeout more.
   */
  handOver(socket: Socket, unread: Buffer, headersDeadline: number | undefined): void
  /** A connection that sent no request in time: answered as node:http answers it. */
  headersTimedOut(socket: Socket): void
  headersMs: number
  keepAliveMs: number
  /** Called once each answer is sent (body bytes, 0 if it was not), when there is an access log. */
  sent?: (request: SimpleRequest, answer: ReadyResponse, bytes: number, start: number) => void
}

/** Unsent bytes above which a client that does not read its answers is not read from either. */
const HIGH_WATER = 256 * 1024
/** node:http waits this much longer than its keep-alive timeout before closing an idle connection. */
const KEEP_ALIVE_GRACE_MS = 1000
const NOTHING = Buffer.alloc(0)

/**
 * Whether everything written so far is with the kernel. A write that failed
 * (the client reset) marks the socket errored at once, destroyed only later.
 */
function handedToKernel(socket: Socket): boolean {
  return socket.writableLength === 0 && !socket.destroyed && !socket.errored
}

export function serveFast(socket: Socket, hooks: ConnectionHooks): void {
  const idleMs = hooks.keepAliveMs > 0 ? hooks.keepAliveMs + KEEP_ALIVE_GRACE_MS : 0
  const headersDeadline = performance.now() + hooks.headersMs
  let owned = true
  let answered = false
  let timeoutMs = -1
  const setTimer = (ms: number) => {
    // Each call makes a new timer, so only when it changes.
    if (ms !== timeoutMs) socket.setTimeout((timeoutMs = ms))
  }

  const release = () => {
    owned = false
    socket.off('data', onData)
    socket.off('timeout', onTimeout)
    socket.off('end', onEnd)
    socket.setTimeout(0)
  }

  /** All answers written so far have left (or never will): log them, read and time out again. */
  const flushed = (batch: Sent[] | undefined, start: number, error?: Error | null) => {
    if (batch && hooks.sent) {
      for (const {answer, request} of batch) {
        hooks.sent(request, answer, !error && request.method !== 'HEAD' ? answer.body.byteLength : 0, start)
      }
    }

    if (!owned || socket.writableLength > 0) return
    socket.resume()
    setTimer(idleMs)
  }

  const onData = (chunk: Buffer) => {
    // A request racing a graceful close's end() has nobody left to answer it.
    if (socket.writableEnded) return
    const start = hooks.sent ? performance.now() : 0
    const text = chunk.toString('latin1')
    const batch: Sent[] | undefined = hooks.sent ? [] : undefined
    let from = 0
    let corked = false
    while (from < text.length) {
      const request = readSimpleRequest(text, from)
      if (typeof request !== 'object') break
      const answer = hooks.answer(request)
      if (answer === undefined) break
      // Pipelined answers leave in one write.
      if (from > 0 && !corked) {
        corked = true
        socket.cork()
      }

      send(socket, request, answer)
      batch?.push({answer, request})
      from = request.end
    }

    if (corked) socket.uncork()
    answered ||= from > 0
    if (from > 0) {
      if (handedToKernel(socket)) flushed(batch, start)
      else {
        // Written in order, so this callback comes once the batch has left, or failed; 'drain' would not come for a small remainder.
        socket.write(NOTHING, (error) => flushed(batch, start, error))
        // As node:http: no idle timeout while an answer is still being sent.
        setTimer(0)
        if (socket.writableLength > HIGH_WATER) socket.pause()
      }
    }

    if (from < text.length) {
      release()
      socket.off('error', onError)
      hooks.handOver(socket, chunk.subarray(from), answered ? undefined : headersDeadline)
    }
  }

  const onTimeout = () => {
    if (answered) {
      socket.destroy()
      return
    }

    release()
    hooks.headersTimedOut(socket)
  }

  // The server allows half-open connections: a client that is done sending still gets its answers, then the close.
  const onEnd = () => socket.end()
  const onError = () => socket.destroy()
  socket.on('data', onData)
  socket.on('timeout', onTimeout)
  socket.on('end', onEnd)
  socket.on('error', onError)
  setTimer(hooks.headersMs)
}

interface Sent {
  answer: ReadyResponse
  request: SimpleRequest
}

function send(socket: Socket, request: SimpleRequest, answer: ReadyResponse): void {
  const raw = answer.current()
  if (request.method === 'HEAD') socket.write(raw.head)
  else if (raw.getTail.byteLength === 0) socket.write(raw.get)
  else {
    // Head and body leave in one writev.
    socket.cork()
    socket.write(raw.get)
    socket.write(raw.getTail)
    socket.uncork()
  }
}

// The connection fast path. Every connection starts here: while its requests are
// simple (src/http/request-head.ts) and have prepared answers, they are answered
// straight from the bytes received, without node:http's request and response
// objects, which cost more than everything else a request does. At the first
// request that is not, the connection goes to node:http for good, that
// request's bytes with it; what was answered here is already queued in order.
import type {Socket} from 'node:net'

import {performance} from 'node:perf_hooks'

import type {RawResponse} from '../http/raw-response.js'

import {readSimpleRequest, type SimpleRequest} from '../http/request-head.js'

export interface Answer {
  /** Body bytes, as the access log counts them. */
  bodyBytes: number
  raw: RawResponse
  status: number
}

export interface FastPathHooks {
  /** The answer to send, or undefined when node:http must take the request. */
  answer(request: SimpleRequest): Answer | undefined
  /** Gives the connection to node:http, with the bytes it has not read yet. */
  handOver(socket: Socket, unread: Buffer): void
  /** A connection that sent no request in time: answered as node:http answers it. */
  headersTimedOut(socket: Socket): void
  headersMs: number
  keepAliveMs: number
  /** Called once each answer is sent (bytes 0 if it was not), when there is an access log. */
  sent?: (request: SimpleRequest, answer: Answer, bytes: number, start: number) => void
}

/** Unsent bytes above which a client that does not read its answers is not read from either. */
const HIGH_WATER = 256 * 1024
/** node:http waits this much longer than its keep-alive timeout before closing an idle connection. */
const KEEP_ALIVE_GRACE_MS = 1000

export function serveFast(socket: Socket, hooks: FastPathHooks): void {
  const idleMs = hooks.keepAliveMs > 0 ? hooks.keepAliveMs + KEEP_ALIVE_GRACE_MS : 0
  let answered = false
  let timeoutMs = -1
  let waitingForDrain = false
  const setTimer = (ms: number) => {
    // Each call makes a new timer, so only when it changes.
    if (ms !== timeoutMs) socket.setTimeout((timeoutMs = ms))
  }

  const release = () => {
    socket.off('data', onData)
    socket.off('timeout', onTimeout)
    socket.off('end', onEnd)
    socket.off('drain', onDrain)
    socket.setTimeout(0)
  }

  const onData = (chunk: Buffer) => {
    // A request racing a graceful close's end() has nobody left to answer it.
    if (socket.writableEnded) return
    const start = hooks.sent ? performance.now() : 0
    const text = chunk.toString('latin1')
    const done: Sent[] | undefined = hooks.sent ? [] : undefined
    let from = 0
    let corked = false
    while (from < text.length) {
      const request = readSimpleRequest(text, from)
      const answer = typeof request === 'object' ? hooks.answer(request) : undefined
      if (answer === undefined) break
      // Pipelined answers leave in one write.
      if (from > 0 && !corked) {
        corked = true
        socket.cork()
      }

      send(socket, request as SimpleRequest, answer)
      done?.push({answer, request: request as SimpleRequest})
      from = (request as SimpleRequest).end
    }

    if (corked) socket.uncork()
    answered ||= from > 0
    if (done !== undefined && done.length > 0) logWhenSent(socket, done, start, hooks.sent!)
    if (from < text.length) {
      release()
      socket.off('error', onError)
      hooks.handOver(socket, chunk.subarray(from))
      return
    }

    if (socket.writableLength === 0) setTimer(idleMs)
    else if (!waitingForDrain) {
      // As node:http: no idle timeout while an answer is still being sent.
      waitingForDrain = true
      setTimer(0)
      if (socket.writableLength > HIGH_WATER) socket.pause()
      socket.once('drain', onDrain)
    }
  }

  const onDrain = () => {
    waitingForDrain = false
    socket.resume()
    setTimer(idleMs)
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
  answer: Answer
  request: SimpleRequest
}

function send(socket: Socket, request: SimpleRequest, answer: Answer): void {
  const {raw} = answer
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

/**
 * Logs answers once the kernel has all their bytes, as node:http's 'finish'
 * counts them: usually at once, else when the socket drains. Answers still
 * queued when the connection closes are logged with 0 bytes.
 */
function logWhenSent(socket: Socket, done: Sent[], start: number, sent: NonNullable<FastPathHooks['sent']>): void {
  const log = (delivered: boolean) => {
    for (const {answer, request} of done) sent(request, answer, delivered && request.method !== 'HEAD' ? answer.bodyBytes : 0, start)
  }

  // A write that failed (the client reset) marks the socket errored at once, destroyed only later.
  if (socket.writableLength === 0 && !socket.destroyed && !socket.errored) {
    log(true)
    return
  }

  if (socket.closed) {
    log(false)
    return
  }

  const onDrain = () => {
    socket.off('close', onClose)
    log(true)
  }

  const onClose = () => {
    socket.off('drain', onDrain)
    log(false)
  }

  socket.once('drain', onDrain)
  socket.once('close', onClose)
}

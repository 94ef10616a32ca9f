// Closing a connection the client may still be sending on, in stages (RFC 9112
// §9.6). Closed at once, a socket with bytes unread, or bytes still arriving,
// is answered by the kernel with a reset, and a reset can destroy the last
// response in the client's buffers before its parser reads it: a pipelining
// client loses an answer the server did send. So: the FIN after the last
// answer, then read and discard until the client closes too, or the linger
// runs out (a lingering close, as nginx does).
import type {Socket} from 'node:net'

import {stopParsing} from './node-internals.js'

/** How long a client may go on sending after the server's last byte before its connection is cut. */
export const LINGER_MS = 2000
const lingering = new WeakSet<Socket>()

/** When a lingering connection is cut, counted in ms. */
export interface LingerBounds {
  /** From the FIN: how long the client may go on sending. */
  lingerMs?: number
  /**
   * From now, whether or not what is queued has gone out: for a connection
   * that owes the client nothing more (a 4xx), so one that never reads cannot
   * hold it. Without it, a last answer still going out to a slow client is
   * never cut, as node:http never cuts it.
   */
  deadlineMs?: number
}

/**
 * Sends `last` (if any) and whatever is still queued, then the FIN; reads and
 * drops what the client still sends; destroys the socket when the client ends
 * its side, or at the first bound passed. Calling it again is a no-op.
 */
export function closeLingering(socket: Socket, last?: string, {deadlineMs, lingerMs = LINGER_MS}: LingerBounds = {}): void {
  if (socket.destroyed || lingering.has(socket)) return
  lingering.add(socket)
  // Another close already began (a graceful close's end()): it only needs the bounds.
  if (!socket.writableEnded) {
    if (last === undefined) socket.end()
    else socket.end(last)
  }

  // Read on, and make no more requests of it: unread bytes are what the reset answers.
  stopParsing(socket)
  socket.resume()
  const cut = () => socket.destroy()
  let timer: NodeJS.Timeout | undefined
  const deadline = deadlineMs === undefined ? undefined : setTimeout(cut, deadlineMs).unref()
  // The linger counts from the FIN, not from now: a long answer still being sent is not cut short.
  const linger = () => {
    timer = setTimeout(cut, lingerMs).unref()
  }

  if (socket.writableFinished) linger()
  else socket.once('finish', linger)
  // Both sides ended: the socket closes itself (autoDestroy).
  socket.once('close', () => {
    socket.off('finish', linger)
    clearTimeout(timer)
    clearTimeout(deadline)
  })
}

/** closeLingering as a method of the socket, with its default bounds: one function for every connection. */
export function closeThisLingering(this: Socket): void {
  closeLingering(this)
}

/** Whether `socket` is closing by closeLingering. */
export function isLingering(socket: Socket): boolean {
  return lingering.has(socket)
}

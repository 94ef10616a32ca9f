// Closing a connection the client may still be sending on, in stages (RFC 9112
// §9.6). Closed at once, a socket with bytes unread, or bytes still arriving,
// is answered by the kernel with a reset, and a reset can destroy the last
// response in the client's buffers before its parser reads it: a pipelining
// client loses an answer the server did send. So: the FIN after the last
// answer, then read and discard until the client closes too, or the linger
// runs out (a lingering close, as nginx does).
import type {Socket} from 'node:net'

/** How long a client may go on sending after the server's last byte before its connection is cut. */
export const LINGER_MS = 2000

const lingering = new WeakSet<Socket>()

/**
 * Sends `last` (if any) and whatever is still queued, then the FIN; reads and
 * drops what the client still sends; destroys the socket when the client ends
 * its side or `lingerMs` after the FIN went out. Calling it again is a no-op.
 */
export function closeLingering(socket: Socket, last?: string, lingerMs = LINGER_MS): void {
  if (socket.destroyed || lingering.has(socket)) return
  lingering.add(socket)
  // Another close already began (a graceful close's end()): it only needs the bound.
  if (socket.writableEnded) {
    armLinger(socket, lingerMs)
    return
  }

  if (last === undefined) socket.end()
  else socket.end(last)
  armLinger(socket, lingerMs)
}

function armLinger(socket: Socket, lingerMs: number): void {
  // Whoever reads the socket (node:http's parser, or nobody) goes on reading: unread bytes are what the reset answers.
  socket.resume()
  let timer: NodeJS.Timeout | undefined
  // From the FIN, not from now: a long answer still being sent is not cut short.
  const start = () => {
    timer = setTimeout(() => socket.destroy(), lingerMs).unref()
  }

  if (socket.writableFinished) start()
  else socket.once('finish', start)
  // Both sides ended: the socket closes itself (autoDestroy). Where node:http
  // had paused its parser (answers to pipelined requests backed up), the
  // client's FIN is not read, and the linger running out ends the connection.
  socket.once('close', () => {
    socket.off('finish', start)
    clearTimeout(timer)
  })
}

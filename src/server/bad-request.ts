// Requests no app should see: ones Node's parser rejects (or that run out of
// time) and ones whose Host is ambiguous. Both get a 4xx and a close the client
// can actually read.
import type {IncomingMessage} from 'node:http'
import type {Socket} from 'node:net'

import {STATUS_CODES} from 'node:http'

import {isPlainHost} from '../http/host.js'

/** How long a rejected client may go on sending before its connection is cut. */
export const LINGER_MS = 2000

const STATUS_FOR_CODE: Readonly<Record<string, number>> = {
  ERR_HTTP_REQUEST_TIMEOUT: 408,
  HPE_CHUNK_EXTENSIONS_OVERFLOW: 413,
  HPE_HEADER_OVERFLOW: 431,
}

const rejected = new WeakSet<Socket>()

/**
 * The server's 'clientError' handler. Node's own writes the 4xx and destroys the
 * socket at once: with the rest of a large request still unread, the kernel then
 * answers with a reset, and the client may lose the 4xx. Instead this answers,
 * half-closes, and lets what the client still sends be discarded (by the parser,
 * or unread on a connection the fast path timed out) until it closes too or
 * LINGER_MS passes (a lingering close, as nginx does).
 */
export function rejectClient(error: NodeJS.ErrnoException, socket: Socket, workerId: string): void {
  // The parser reports every further chunk of a rejected connection as another error.
  if (rejected.has(socket)) return
  rejected.add(socket)
  const inFlight = (socket as Socket & {_httpMessage?: {headersSent: boolean}})._httpMessage
  if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
    // Nothing can be said any more without corrupting what the client reads.
    socket.destroy()
    return
  }

  const status = STATUS_FOR_CODE[error.code ?? ''] ?? 400
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0\r\nX-Worker: ${workerId}\r\n\r\n`,
  )
  setTimeout(() => socket.destroy(), LINGER_MS).unref()
}

/**
 * How a request names its host: `several` Host headers (RFC 9112 §3.2: a 400;
 * Node keeps the first and drops the rest), one `simple` Host the app's
 * adaptor takes as it is, or `other` (none, or one it must judge itself).
 */
export function classifyHost(req: IncomingMessage): 'other' | 'several' | 'simple' {
  const raw = req.rawHeaders
  let host: string | undefined
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i].length === 4 && raw[i].toLowerCase() === 'host') {
      if (host !== undefined) return 'several'
      host = raw[i + 1]
    }
  }

  return host !== undefined && isPlainHost(host) ? 'simple' : 'other'
}

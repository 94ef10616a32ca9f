// Requests no app should see: ones Node's parser rejects, and connections that
// run out of time before their head is in. Each gets a 4xx and a close the
// client can actually read.
import type {Socket} from 'node:net'

import {type OutgoingHttpHeaders, STATUS_CODES} from 'node:http'

import type {InFlight} from './in-flight.js'

import {closeLingering, LINGER_MS} from './lingering-close.js'

const STATUS_FOR_CODE: Readonly<Record<string, number>> = {
  ERR_HTTP_REQUEST_TIMEOUT: 408,
  HPE_CHUNK_EXTENSIONS_OVERFLOW: 413,
  HPE_HEADER_OVERFLOW: 431,
}

/** The error a connection that sent no complete head in time is rejected with, as node:http names it. */
export function requestTimeout(): NodeJS.ErrnoException {
  return Object.assign(new Error('request timeout'), {code: 'ERR_HTTP_REQUEST_TIMEOUT'})
}

/**
 * The server's 'clientError' handler, and what the fast path calls for a
 * connection that timed out. Node's own handler writes the 4xx and destroys the
 * socket at once: with the rest of a large request still unread, the kernel
 * then answers with a reset, and the client may lose the 4xx. Instead this
 * answers once the responses to the requests before it are sent (so the 4xx
 * never lands inside one of them), half-closes, and reads and drops what the
 * client still sends until it closes too, the linger runs out, or (for one
 * that does not read) LINGER_MS after the answer (lingering-close.ts).
 * When the fault is in the body of a request whose head was read (and which is
 * answered, or being answered), that answer is the request's only one: the
 * connection just ends after it.
 */
export function createRejecter(identity: OutgoingHttpHeaders, inFlight: InFlight): (error: NodeJS.ErrnoException, socket: Socket) => void {
  const rejected = new WeakSet<Socket>()
  const fields = Object.entries(identity)
    .map(([name, value]) => `${name}: ${String(value)}\r\n`)
    .join('')
  return (error, socket) => {
    // The parser reports every further chunk of a rejected connection as another error.
    if (rejected.has(socket)) return
    rejected.add(socket)
    if (error.code === 'ECONNRESET') {
      socket.destroy()
      return
    }

    const status = STATUS_FOR_CODE[error.code ?? ''] ?? 400
    const inBody = inFlight.lastRequest(socket)?.complete === false
    inFlight.whenIdle(socket, () => {
      // The last answer said Connection: close (the socket is ending once it is out), or the client left.
      if (!socket.writable) return
      const rejection = inBody ? undefined : `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n${fields}\r\n`
      // Nothing more is owed: a client that does not read cannot hold the connection past the linger either.
      closeLingering(socket, rejection, {deadlineMs: LINGER_MS})
    })
  }
}

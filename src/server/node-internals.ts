// The one place webkit leans on node:http behaviour that no documentation
// promises. test/server/node-internals.test.ts checks each on the Node it runs
// under and fails with a message naming what changed.
import type {Server} from 'node:http'
import type {Socket} from 'node:net'

/**
 * Starts node:http's checks of its header and request deadlines (headersTimeout,
 * requestTimeout) on a server that is given its connections (its documented
 * 'connection' event) and never listens itself. node:http starts them when the
 * server emits 'listening' (setupConnectionsTracking), so that is what this
 * does; without it, a client that never finishes its head would hold its
 * connection for ever.
 */
export function startDeadlineChecks(server: Server): void {
  server.emit('listening')
}

/**
 * Has node:http answer the requests a client sent before it half-closed the
 * connection, then close it, as the fast path does. By default node:http ends
 * the connection as soon as the client's FIN arrives, and answers still being
 * made (a file being opened, a response queued behind another) are lost
 * (RFC 9112 §9.6: a server should not close before the client can read its
 * last response). The switch is the server's httpAllowHalfOpen property,
 * which node:http sets but does not document.
 */
export function answerHalfClosedConnections(server: Server): void {
  ;(server as Server & {httpAllowHalfOpen: boolean}).httpAllowHalfOpen = true
}

/**
 * Has `close` (called on the socket) end the connection when node:http is done with it after its
 * last response (Connection: close, HTTP/1.0, a graceful close). node:http
 * does that by calling the socket's destroySoon(), undocumented: the FIN, then
 * the socket destroyed at once, bytes the client still sends answered with a
 * reset that can take the last response with it (see lingering-close.ts).
 */
export function onLastResponse(socket: Socket, close: (this: Socket) => void): void {
  ;(socket as Socket & {destroySoon: () => void}).destroySoon = close
}

/**
 * Has node:http make no more requests of what a client still sends on a
 * connection whose last response is out, while the bytes go on being read
 * (and dropped: each chunk comes to 'clientError' as HPE_PAUSED). Without it,
 * every request pipelined behind the last answer becomes a request and a
 * response held until the close, hundreds of megabytes a second from one
 * client. node:http's parser (socket.parser) is paused; its own pause of the
 * socket for answers backing up (socket._paused) is lifted, or the client's
 * FIN would not be read, and node:http would resume the parser on 'drain'.
 */
export function stopParsing(socket: Socket): void {
  const http = socket as Socket & {_paused?: boolean; parser?: {pause(): void} | null}
  http.parser?.pause()
  http._paused = false
}

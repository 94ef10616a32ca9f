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
 * Has `close` end the connection when node:http is done with it after its
 * last response (Connection: close, HTTP/1.0, a graceful close). node:http
 * does that by calling the socket's destroySoon(), undocumented: the FIN, then
 * the socket destroyed at once, bytes the client still sends answered with a
 * reset that can take the last response with it (see lingering-close.ts).
 */
export function onLastResponse(socket: Socket, close: (socket: Socket) => void): void {
  ;(socket as Socket & {destroySoon: () => void}).destroySoon = () => close(socket)
}

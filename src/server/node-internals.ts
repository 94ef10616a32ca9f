// The one place webkit leans on node:http behaviour that no documentation
// promises. test/server/node-internals.test.ts checks each on the Node it runs
// under and fails with a message naming what changed.
import type {Server} from 'node:http'

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

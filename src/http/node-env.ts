// What @hono/node-server hands a Hono app besides the fetch Request: the Node
// request and response. Reading a header from the Node request is cheaper than
// building a fetch Headers object; writing to the Node response directly lets
// a big body be sent with buffers that are reused once the socket has them.
import type {Context} from 'hono'
import type {IncomingMessage, ServerResponse} from 'node:http'

import {RESPONSE_ALREADY_SENT} from '@hono/node-server/utils/response'

/** The env node-server passes; absent under app.request() and other runtimes. */
interface NodeBindings {
  incoming?: IncomingMessage
  outgoing?: ServerResponse
}

/** The header's value (repeated fields joined by ", "), or undefined when absent. `name` is lowercase. */
export function requestHeader(c: Context, name: string): string | undefined {
  const incoming = (c.env as NodeBindings | undefined)?.incoming
  if (incoming === undefined) return c.req.raw.headers.get(name) ?? undefined
  const value = incoming.headers[name]
  return Array.isArray(value) ? value.join(', ') : value
}

/** The Node request, when the app runs under node-server. */
export function nodeRequest(c: Context): IncomingMessage | undefined {
  return (c.env as NodeBindings | undefined)?.incoming
}

/** The Node response to write to, when the app runs under node-server. */
export function nodeResponse(c: Context): ServerResponse | undefined {
  return (c.env as NodeBindings | undefined)?.outgoing
}

/**
 * What to return after writing the response to nodeResponse(c) yourself:
 * node-server's own marker. node-server honours it only when it is a native
 * Response, and its listener replaces the global Response with a stand-in of
 * its own when it is made; src/server/http-server.ts therefore loads this
 * module first (test/http/node-env.test.ts checks the marker is honoured).
 */
export function alreadySent(): Response {
  return RESPONSE_ALREADY_SENT
}

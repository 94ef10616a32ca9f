// What @hono/node-server hands a Hono app besides the fetch Request: the Node
// request and response. Reading a header from the Node request is cheaper than
// building a fetch Headers object; writing to the Node response directly lets
// a big body be sent with buffers that are reused once the socket has them.
import type {Context} from 'hono'
import type {IncomingMessage, ServerResponse} from 'node:http'

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

// node-server swaps the global Response for a lightweight stand-in whose
// prototype is the native class. Only a native Response reaches its branch
// that honours x-hono-already-sent, so find the native class either way.
const NativeResponse: typeof Response =
  Object.getPrototypeOf(Response) === Function.prototype ? Response : Object.getPrototypeOf(Response)

let sent: Response | undefined

/** What to return after writing the response to nodeResponse(c) yourself. */
export function alreadySent(): Response {
  sent ??= new NativeResponse(null, {headers: {'x-hono-already-sent': 'true'}})
  return sent
}

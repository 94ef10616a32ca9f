// Reading one request header cheaply. Under node-server the Node request is at
// hand with its headers already parsed; building a fetch Headers object from
// them for every request would cost more than the rest of a small response.
import type {Context} from 'hono'
import type {IncomingMessage} from 'node:http'

/** What @hono/node-server passes a Hono app as its env. */
interface NodeBindings {
  incoming?: IncomingMessage
}

/** The header's value (repeated fields joined by ", "), or undefined when absent. `name` is lowercase. */
export function requestHeader(c: Context, name: string): string | undefined {
  const incoming = (c.env as NodeBindings | undefined)?.incoming
  if (incoming === undefined) return c.req.raw.headers.get(name) ?? undefined
  const value = incoming.headers[name]
  return Array.isArray(value) ? value.join(', ') : value
}

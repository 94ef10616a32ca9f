// Answers known before the request arrives. A shortcut looks at the request line
// (and, if it must, the headers) and returns the prepared response the app would
// give, so the server can send it without building a fetch Request, routing and
// unwrapping a Response: that layer costs more than the rest of the request.
import type {Hono} from 'hono'
import type {IncomingHttpHeaders} from 'node:http'

import type {PreparedResponse} from './prepared.js'

/** What a shortcut may look at: the parts of a Node request it needs. */
export interface RequestHead {
  headers: IncomingHttpHeaders
  method?: string
  url?: string
}

/**
 * The response the app would send, byte for byte, or undefined to let the app
 * answer. It must be exactly the app's answer: tests hold every shortcut to that.
 */
export type Shortcut = (request: RequestHead) => PreparedResponse | undefined

/** An app as a server runs it: the Hono app, and the answers it can give without running. */
export interface ServedApp {
  app: Hono
  shortcut?: Shortcut
}

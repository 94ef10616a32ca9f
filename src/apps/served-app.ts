// The contract between an app and the server that runs it: the Hono app, and
// the answers it knows before a request arrives (its shortcut). A shortcut looks
// at the request line (and, if it must, the headers) and returns the prepared
// response the app would give, so the server can send it without building a
// fetch Request, routing and unwrapping a Response: that layer costs more than
// the rest of the request.
import type {Hono} from 'hono'

import type {PreparedResponse} from '../http/prepared.js'

/**
 * What a shortcut may look at: the parts of a request head it needs. The raw
 * headers, because Node builds `headers` on first use, which costs more than a shortcut saves.
 */
export interface RequestHead {
  method?: string
  /** Names and values, alternating, as received. */
  rawHeaders: string[]
  url?: string
}

/** Whether any of `names` (lowercase) is among the raw headers, in any case. */
export function hasHeader(rawHeaders: string[], names: ReadonlySet<string>): boolean {
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (names.has(rawHeaders[i]) || names.has(rawHeaders[i].toLowerCase())) return true
  }

  return false
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

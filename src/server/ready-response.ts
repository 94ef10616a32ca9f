// A response known in advance, as this server sends it: an app's prepared
// response with the server's decoration (decorate.ts), made once, and, for the
// fast path, the bytes node:http would write for it on a keep-alive connection:
// the same status line, the headers in the order given, then Date, Connection
// and Keep-Alive as Node adds them. Tests hold the two to byte equality.
import type {OutgoingHttpHeaders} from 'node:http'

import {STATUS_CODES} from 'node:http'

/**
 * Bodies up to this size are sent in one buffer with their head (one write, at
 * the price of a copy made once a second as the Date changes); larger ones after it.
 */
export const JOINED_MAX = 256 * 1024

const NOTHING: Buffer = Buffer.alloc(0)

export class ReadyResponse {
  /** What a GET gets: the head, with the body joined to it when small (see current()). */
  get: Buffer = NOTHING
  /** A body too large to copy into `get`, written after it; empty otherwise. */
  getTail: Buffer = NOTHING
  /** What a HEAD gets. */
  head: Buffer = NOTHING
  private date = ''

  /**
   * `headers` as they go out, X-Worker included. `keepAliveMs` is the server's
   * keep-alive timeout, which Node announces in whole seconds (and not at all when it is 0).
   */
  constructor(
    readonly status: number,
    readonly headers: Readonly<OutgoingHttpHeaders>,
    readonly body: Buffer,
    private readonly keepAliveMs: number,
  ) {}

  /** This response with its bytes for the current Date, remade when the second changes. */
  current(): this {
    const now = httpDate()
    if (now !== this.date) {
      this.date = now
      this.head = Buffer.from(rawHead(this.status, this.headers, now, this.keepAliveMs), 'latin1')
      const joined = this.body.byteLength <= JOINED_MAX
      this.get = joined ? Buffer.concat([this.head, this.body]) : this.head
      this.getTail = joined ? NOTHING : this.body
    }

    return this
  }
}

/** The head node:http writes for writeHead(status, headers) on a keep-alive connection. */
export function rawHead(status: number, headers: Readonly<OutgoingHttpHeaders>, date: string, keepAliveMs: number): string {
  // What Node would frame otherwise (chunked, no body, its own Connection, one line per array value) these bytes do not copy.
  if (status < 200 || status === 204 || status === 304 || !('Content-Length' in headers) || 'Connection' in headers) {
    throw new Error(`raw bytes need a keep-alive response with a body and its Content-Length (status ${status})`)
  }

  let text = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'unknown'}\r\n`
  for (const name in headers) {
    const value = headers[name]
    if (typeof value !== 'string' && typeof value !== 'number') throw new Error(`header ${name}: one value only`)
    text += `${name}: ${value}\r\n`
  }

  text += `Date: ${date}\r\nConnection: keep-alive\r\n`
  if (keepAliveMs > 0) text += `Keep-Alive: timeout=${Math.floor(keepAliveMs / 1000)}\r\n`
  return `${text}\r\n`
}

let dateSecond = -1
let dateText = ''

/** The Date header's value, formatted once a second as Node does. */
export function httpDate(now = Date.now()): string {
  const second = Math.floor(now / 1000)
  if (second !== dateSecond) {
    dateSecond = second
    dateText = new Date(second * 1000).toUTCString()
  }

  return dateText
}

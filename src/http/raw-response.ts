// A prepared response as the bytes node:http would write for it on a keep-alive
// connection: the same status line, the headers in the order given, then Date,
// Connection and Keep-Alive as Node adds them. Tests hold the two to byte equality.
import type {OutgoingHttpHeaders} from 'node:http'

import {STATUS_CODES} from 'node:http'

/**
 * Bodies up to this size are sent in one buffer with their head (one write, at
 * the price of a copy made once a second as the Date changes); larger ones after it.
 */
export const JOINED_MAX = 256 * 1024

export interface RawResponse {
  /** What a GET gets: the head, with the body joined to it when small. */
  get: Buffer
  /** A body too large to copy into `get`, written after it; empty otherwise. */
  getTail: Buffer
  /** What a HEAD gets. */
  head: Buffer
}

/**
 * The response's bytes. `keepAliveMs` is the server's keep-alive timeout, which
 * Node announces in whole seconds (and not at all when it is 0).
 */
export function rawResponse(status: number, headers: OutgoingHttpHeaders, body: Buffer, date: string, keepAliveMs: number): RawResponse {
  // What Node would frame otherwise (chunked, no body, one line per array value) these bytes do not copy.
  if (status < 200 || status === 204 || status === 304 || !('Content-Length' in headers)) {
    throw new Error(`a raw response needs a body with Content-Length (status ${status})`)
  }

  let text = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'unknown'}\r\n`
  for (const name in headers) {
    const value = headers[name]
    if (typeof value !== 'string' && typeof value !== 'number') throw new Error(`header ${name}: one value only`)
    text += `${name}: ${value}\r\n`
  }
  text += `Date: ${date}\r\nConnection: keep-alive\r\n`
  if (keepAliveMs > 0) text += `Keep-Alive: timeout=${Math.floor(keepAliveMs / 1000)}\r\n`
  const head = Buffer.from(`${text}\r\n`, 'latin1')
  const joined = body.byteLength <= JOINED_MAX
  return {
    get: joined ? Buffer.concat([head, body]) : head,
    getTail: joined ? Buffer.alloc(0) : body,
    head,
  }
}

/** A response's bytes with the current Date, remade when the second changes. */
export interface DatedResponse {
  current(): RawResponse
}

export function datedResponse(status: number, headers: OutgoingHttpHeaders, body: Buffer, keepAliveMs: number): DatedResponse {
  let date = httpDate()
  let raw = rawResponse(status, headers, body, date, keepAliveMs)
  return {
    current() {
      const now = httpDate()
      if (now !== date) {
        date = now
        raw = rawResponse(status, headers, body, date, keepAliveMs)
      }

      return raw
    },
  }
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

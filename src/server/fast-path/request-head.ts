// Reads the plainest HTTP/1.1 requests straight from the bytes received: a GET
// or HEAD with no body whose every line is unremarkable. Anything else (and
// anything not yet complete) is for node:http to read; this parser never
// rejects, it only declines. Whether the one Host it requires is one the app's
// adaptor takes as it is, is for the answer to judge (src/server/answers.ts).
import type {RequestHead} from '../../apps/served-app.js'

/** A request read in full, ending at `end` (just past its blank line). */
export interface SimpleRequest extends RequestHead {
  end: number
  method: 'GET' | 'HEAD'
  url: string
}

/** The most of a head this parser reads; node:http's own limit (16 KiB) is well above it. */
export const MAX_HEAD_BYTES = 8192
const MAX_HEADER_LINES = 64

/** Headers that change how a request is framed or answered by node:http itself. */
const FRAMING = new Set(['content-length', 'expect', 'http2-settings', 'proxy-connection', 'te', 'transfer-encoding', 'upgrade'])

/**
 * The request starting at `from` in `text` (bytes as latin1), `partial` if its
 * head has not all arrived, or `other` if it is anything but a simple request
 * with one Host and at most `Connection: keep-alive`.
 */
export function readSimpleRequest(text: string, from: number): 'other' | 'partial' | SimpleRequest {
  const headEnd = text.indexOf('\r\n\r\n', from)
  if (headEnd === -1) return text.length - from > MAX_HEAD_BYTES ? 'other' : 'partial'
  if (headEnd - from > MAX_HEAD_BYTES) return 'other'

  let method: 'GET' | 'HEAD'
  let at: number
  if (text.startsWith('GET ', from)) {
    method = 'GET'
    at = from + 4
  } else if (text.startsWith('HEAD ', from)) {
    method = 'HEAD'
    at = from + 5
  } else return 'other'

  const lineEnd = text.indexOf('\r\n', at)
  const urlEnd = lineEnd - 9
  if (urlEnd <= at || !text.startsWith(' HTTP/1.1', urlEnd) || text.charCodeAt(at) !== 0x2f) return 'other'
  for (let i = at; i < urlEnd; i++) {
    const c = text.charCodeAt(i)
    if (c <= 0x20 || c >= 0x7f) return 'other'
  }

  const rawHeaders: string[] = []
  let hasHost = false
  let line = lineEnd + 2
  while (line < headEnd + 2) {
    const next = text.indexOf('\r\n', line)
    const colon = text.indexOf(':', line)
    if (colon === -1 || colon >= next || colon === line || rawHeaders.length >= MAX_HEADER_LINES * 2) return 'other'
    for (let i = line; i < colon; i++) if (!isTokenChar(text.charCodeAt(i))) return 'other'
    let start = colon + 1
    let end = next
    while (start < end && isSpace(text.charCodeAt(start))) start++
    while (end > start && isSpace(text.charCodeAt(end - 1))) end--
    for (let i = start; i < end; i++) {
      const c = text.charCodeAt(i)
      if ((c < 0x20 && c !== 0x09) || c >= 0x7f) return 'other'
    }

    const name = text.slice(line, colon)
    const value = text.slice(start, end)
    const lower = name.toLowerCase()
    if (lower === 'host') {
      if (hasHost) return 'other'
      hasHost = true
    } else if (lower === 'connection') {
      if (value.toLowerCase() !== 'keep-alive') return 'other'
    } else if (FRAMING.has(lower)) return 'other'

    rawHeaders.push(name, value)
    line = next + 2
  }

  if (!hasHost) return 'other'
  return {end: headEnd + 4, method, rawHeaders, url: text.slice(at, urlEnd)}
}

/** RFC 9110 tchar, by character code. */
const TOKEN = new Uint8Array(128)
for (const c of "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") TOKEN[c.charCodeAt(0)] = 1

function isTokenChar(c: number): boolean {
  return c < 128 && TOKEN[c] === 1
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09
}

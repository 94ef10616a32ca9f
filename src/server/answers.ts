// What to answer a request head with before any app runs: the one decision,
// used by the fast path and by node:http alike, so the two cannot disagree.
// Some answers are the server's own, whatever the app (and with the fast path
// switched off too); the rest are the app's shortcut, for a head the app's
// adaptor takes as it is.
import type {RequestHead, Shortcut} from '../apps/served-app.js'

import {ALLOWED_METHODS, prepare, type PreparedResponse} from '../http/prepared.js'
import {authorityOf, classifyHost, hostHeader} from './host.js'

/** The prepared answer for a request head, or undefined for the app. */
export type Answers = (head: RequestHead) => PreparedResponse | undefined

/**
 * RFC 9110 §9.3.7: `OPTIONS *` asks about the server as a whole. Every app
 * here serves GET and HEAD alone (their 405s say so), so that is what Allow
 * says; there is no content, so Content-Length is 0. node-server cannot build
 * a URL from `*`, so no app could answer it.
 */
export const SERVER_OPTIONS = prepare(200, '', {Allow: ALLOWED_METHODS})

/**
 * RFC 9112 §3.2: a request with more than one Host gets a 400. Which host is
 * meant would be a guess, and one a proxy in front may have guessed differently.
 */
export const SEVERAL_HOSTS: PreparedResponse = Object.freeze({
  body: new Uint8Array(0),
  headers: Object.freeze({Connection: 'close', 'Content-Length': '0'}),
  status: 400,
})

/** The server's own answers, then `shortcut`'s (none when the fast path is switched off). */
export function createAnswers(shortcut?: Shortcut): Answers {
  return (head) => {
    const host = classifyHost(head.rawHeaders)
    if (host === 'several') return SEVERAL_HOSTS
    if (head.url === '*' && head.method === 'OPTIONS') {
      // Without Host only in HTTP/1.0 (node:http refuses HTTP/1.1 without it); a Host that names no authority is node-server's to refuse.
      return host === 'none' || host === 'simple' || authorityOf(hostHeader(head.rawHeaders)!) !== undefined ? SERVER_OPTIONS : undefined
    }

    return host === 'simple' ? shortcut?.(head) : undefined
  }
}

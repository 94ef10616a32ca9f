// What to answer a request head with before any app runs: the one decision,
// used by the fast path and by node:http alike, so the two cannot disagree.
// Some answers are the server's own, whatever the app (and with the fast path
// switched off too); the rest are the app's shortcut, for a head the app's
// adaptor takes as it is.
import type {RequestHead, Shortcut} from '../apps/served-app.js'

import type {PreparedResponse} from '../http/prepared.js'

import {classifyHost} from './host.js'

/** The prepared answer for a request head, or undefined for the app. */
export type Answers = (head: RequestHead) => PreparedResponse | undefined

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
    return host === 'simple' ? shortcut?.(head) : undefined
  }
}

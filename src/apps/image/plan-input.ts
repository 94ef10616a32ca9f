// The request fields a plan depends on, read from a request as the app gets it.
import type {Context} from 'hono'

import type {PlanInput} from './plan.js'

import {nodeRequest, requestHeader} from '../../http/node-env.js'

export function planInput(c: Context): PlanInput {
  return {
    head: c.req.method === 'HEAD',
    ifMatch: requestHeader(c, 'if-match'),
    ifModifiedSince: dateField(c, 'if-modified-since'),
    ifNoneMatch: requestHeader(c, 'if-none-match'),
    ifRange: requestHeader(c, 'if-range'),
    ifUnmodifiedSince: dateField(c, 'if-unmodified-since'),
    range: requestHeader(c, 'range'),
  }
}

/**
 * A date field, every line of it: node:http keeps only the first
 * If-Modified-Since or If-Unmodified-Since, and RFC 9110 (§13.1.3, §13.1.4)
 * says to ignore a field that holds more than one date. Joined, two dates
 * read as no date at all.
 */
function dateField(c: Context, name: string): string | undefined {
  const value = requestHeader(c, name)
  const raw = value === undefined ? undefined : nodeRequest(c)?.rawHeaders
  if (raw === undefined) return value
  const lines: string[] = []
  for (let i = 0; i < raw.length; i += 2) if (raw[i].toLowerCase() === name) lines.push(raw[i + 1])
  return lines.join(', ')
}

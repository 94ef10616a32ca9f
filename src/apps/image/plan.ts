// What to answer a GET or HEAD for the file, from the request's precondition
// and Range headers: 412, 304, 200, 206 or 416, decided in the order of
// RFC 9110 §13.2.2. Pure: no I/O, so the same plan serves a file in memory and
// a streamed one.
import type {HeaderRecord} from '../../http/prepared.js'
import type {Representation} from './representation.js'

import {evaluatePreconditions, ifRangeAllows, type Preconditions} from './conditional.js'
import {planMultipart, type Segment} from './multipart.js'
import {contentRange, parseRange, rangeLength} from './range.js'

/** The request headers a plan depends on. */
export interface PlanInput extends Preconditions {
  head: boolean
  ifRange?: string
  range?: string
}

export type Plan =
  | {headers: HeaderRecord; kind: 'partial'; segments: Segment[]}
  | {kind: 'full'}
  | {kind: 'not-modified'}
  | {kind: 'precondition-failed'}
  | {kind: 'unsatisfiable'}

const FULL: Plan = Object.freeze({kind: 'full'})
const NOT_MODIFIED: Plan = Object.freeze({kind: 'not-modified'})
const PRECONDITION_FAILED: Plan = Object.freeze({kind: 'precondition-failed'})
const UNSATISFIABLE: Plan = Object.freeze({kind: 'unsatisfiable'})

/**
 * Preconditions first, then If-Range and Range (§13.2.2), so a failed If-Match
 * is a 412 even when the Range could not be satisfied. The failures that come
 * before any precondition (§13.2.1) are decided before a plan: another path's
 * 404, another method's 405, a missing file.
 */
export function planResponse(rep: Representation, input: PlanInput): Plan {
  const {size, type, validators} = rep.version
  const precondition = evaluatePreconditions(input, validators)
  if (precondition === 'failed') return PRECONDITION_FAILED
  if (precondition === 'not-modified') return NOT_MODIFIED
  // Range is defined for GET only (§14.2); a stale If-Range asks for the whole new file.
  if (input.head || input.range === undefined || !ifRangeAllows(input.ifRange, validators)) return FULL
  const request = parseRange(input.range, size)
  if (request.kind === 'ignore') return FULL
  if (request.kind === 'unsatisfiable') return UNSATISFIABLE
  const {ranges} = request
  if (ranges.length === 1) {
    const [range] = ranges
    return {
      headers: {
        ...rep.partialHeaders,
        'Content-Length': String(rangeLength(range)),
        'Content-Range': contentRange(range, size),
        'Content-Type': type,
      },
      kind: 'partial',
      segments: [range],
    }
  }

  const multipart = planMultipart(ranges, size, type, rep.boundary)
  if (multipart === undefined) return FULL
  return {
    headers: {...rep.partialHeaders, 'Content-Length': String(multipart.length), 'Content-Type': multipart.contentType},
    kind: 'partial',
    segments: multipart.segments,
  }
}

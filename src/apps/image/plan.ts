// What to answer a GET or HEAD for the file, from the request's conditional
// and Range headers: 304, 200, 206 or 416. Pure: no I/O, so the same plan
// serves a file in memory and a streamed one.
import type {HeaderRecord} from '../../http/prepared.js'
import type {Representation} from './representation.js'

import {ifRangeAllows, isNotModified} from './conditional.js'
import {planMultipart, type Segment} from './multipart.js'
import {contentRange, parseRange, rangeLength} from './range.js'

/** The request headers a plan depends on. */
export interface PlanInput {
  head: boolean
  ifModifiedSince?: string
  ifNoneMatch?: string
  ifRange?: string
  range?: string
}

export type Plan =
  | {headers: HeaderRecord; kind: 'partial'; segments: Segment[]}
  | {kind: 'full'}
  | {kind: 'not-modified'}
  | {kind: 'unsatisfiable'}

const FULL: Plan = Object.freeze({kind: 'full'})
const NOT_MODIFIED: Plan = Object.freeze({kind: 'not-modified'})
const UNSATISFIABLE: Plan = Object.freeze({kind: 'unsatisfiable'})

export function planResponse(rep: Representation, input: PlanInput): Plan {
  const {size, type, validators} = rep.version
  if ((input.ifNoneMatch !== undefined || input.ifModifiedSince !== undefined) && isNotModified(input.ifNoneMatch, input.ifModifiedSince, validators)) {
    return NOT_MODIFIED
  }

  // Range is defined for GET only; a stale If-Range asks for the whole new file.
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

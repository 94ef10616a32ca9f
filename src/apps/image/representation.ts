// Everything about the responses for one version of the file that does not
// depend on the request, computed once per version: header sets for 200, 206
// and 304, the ready 200, 412 and 416 responses, the multipart boundary.
import {BASE_HEADERS, type HeaderRecord, prepare, type PreparedResponse} from '../../http/prepared.js'
import type {FileVersion} from './file-version.js'

import {newBoundary} from './multipart.js'

/**
 * Whatever the file holds, it runs nothing: an SVG gets no script, no plugins,
 * no fetches beyond inline images, and is sandboxed as if in a frame.
 */
export const IMAGE_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; sandbox"

export interface Representation {
  boundary: string
  /** The full 200 when the file is held in memory. */
  full?: PreparedResponse
  /** The 200's headers, Content-Length included (for HEAD and for streaming). */
  fullHeaders: Readonly<HeaderRecord>
  notModifiedHeaders: Readonly<HeaderRecord>
  /** 206 headers, short of Content-Type, Content-Range and Content-Length. */
  partialHeaders: Readonly<HeaderRecord>
  preconditionFailed: PreparedResponse
  unsatisfiable: PreparedResponse
  version: FileVersion
}

export function represent(version: FileVersion, cacheControl: string): Representation {
  const {etag, lastModified} = version.validators
  // No ETag at all until the bytes are hashed: a tag that could outlive them would be a lie.
  const tags: HeaderRecord = etag === undefined ? {'Last-Modified': lastModified} : {ETag: etag, 'Last-Modified': lastModified}
  const validators = {'Cache-Control': cacheControl, ...tags}
  const partialHeaders = Object.freeze({
    ...BASE_HEADERS,
    'Accept-Ranges': 'bytes',
    'Content-Security-Policy': IMAGE_CSP,
    ...validators,
  })
  const fullHeaders = Object.freeze({
    ...partialHeaders,
    'Content-Length': String(version.size),
    'Content-Type': version.type,
  })
  return {
    boundary: newBoundary(),
    full: version.bytes && prepare(200, version.bytes, {...fullHeaders}),
    fullHeaders,
    // A 304 carries what a 200 would of ETag and Cache-Control (RFC 9110 §15.4.5), never a body or its length;
    // and Last-Modified, which a touched file changes under the same tag, so caches keep it current.
    notModifiedHeaders: Object.freeze({...BASE_HEADERS, ...validators}),
    partialHeaders,
    // The file's current validators, so the client sees what it did not match; no body. no-store: it
    // answers one request's conditions, and a cache that kept it would give it to requests without them.
    preconditionFailed: prepare(412, '', {'Cache-Control': 'no-store', ...tags}),
    unsatisfiable: prepare(416, 'Range Not Satisfiable\n', {
      'Accept-Ranges': 'bytes',
      'Content-Range': `bytes */${version.size}`,
      'Content-Security-Policy': "default-src 'none'",
      'Content-Type': 'text/plain; charset=utf-8',
    }),
    version,
  }
}

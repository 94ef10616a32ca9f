// multipart/byteranges (RFC 9110 §14.6): several ranges in one 206 response.
// The layout is a list of segments, literal part headers and slices of the
// file, so the same plan serves a file held in memory and a streamed one.
import {randomBytes} from 'node:crypto'

import {type ByteRange, contentRange, rangeLength} from './range.js'

/** Bytes sent as they are, or a slice of the file. */
export type Segment = ByteRange | Uint8Array

export interface MultipartBody {
  /** The response's Content-Type, boundary included. */
  contentType: string
  length: number
  segments: Segment[]
}

/**
 * More parts than this and the full file is sent instead: each part costs a
 * read, and a client asking for dozens of scattered slices of one image is
 * better served by the image.
 */
export const MAX_PARTS = 32

const encoder = new TextEncoder()

/** A boundary for one version of the file; 24 random hex digits never occur in it by chance. */
export function newBoundary(): string {
  return `webkit-${randomBytes(12).toString('hex')}`
}

/**
 * The multipart body for `ranges` (two or more, sorted and disjoint), or
 * undefined when it would cost as much as the whole file: then the caller
 * sends a 200, so no Range header ever makes a response bigger than the file.
 */
export function planMultipart(ranges: ByteRange[], size: number, type: string, boundary: string): MultipartBody | undefined {
  if (ranges.length > MAX_PARTS) return undefined
  const segments: Segment[] = []
  let length = 0
  for (const [i, range] of ranges.entries()) {
    const head = encoder.encode(
      `${i === 0 ? '' : '\r\n'}--${boundary}\r\nContent-Type: ${type}\r\nContent-Range: ${contentRange(range, size)}\r\n\r\n`,
    )
    segments.push(head, range)
    length += head.byteLength + rangeLength(range)
  }

  const tail = encoder.encode(`\r\n--${boundary}--\r\n`)
  segments.push(tail)
  length += tail.byteLength
  if (length >= size) return undefined
  return {contentType: `multipart/byteranges; boundary=${boundary}`, length, segments}
}

/** The body of a multipart response as one buffer, from a file held in memory. */
export function joinSegments(segments: Segment[], file: Uint8Array, length: number): Uint8Array<ArrayBuffer> {
  const body = new Uint8Array(length)
  let at = 0
  for (const segment of segments) {
    const bytes = segment instanceof Uint8Array ? segment : file.subarray(segment.start, segment.end + 1)
    body.set(bytes, at)
    at += bytes.byteLength
  }

  return body
}

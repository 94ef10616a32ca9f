// A response body read from an open file as the client takes it. The stream
// reads the next chunk only when node-server asks for it, which it does once
// the socket has drained, so each response holds a chunk or two, not the file.
import type {FileHandle} from 'node:fs/promises'

import type {Segment} from './multipart.js'

export const CHUNK_BYTES = 64 * 1024

/**
 * Streams `segments` (literal bytes and slices of the file) and closes the
 * handle at the end, on error and when the client goes away. A file that got
 * shorter mid-response errors the stream, so the connection is cut rather than
 * the body padded or left hanging.
 */
export function streamSegments(handle: FileHandle, segments: Segment[]): ReadableStream<Uint8Array> {
  let index = 0
  let position = segments[0] instanceof Uint8Array ? 0 : segments[0].start
  let closed = false
  const close = () => {
    if (closed) return
    closed = true
    handle.close().catch(() => {})
  }

  return new ReadableStream<Uint8Array>(
    {
      cancel: close,
      async pull(controller) {
        try {
          const segment = segments[index]
          if (segment instanceof Uint8Array) {
            controller.enqueue(segment)
            next()
          } else {
            const want = Math.min(CHUNK_BYTES, segment.end + 1 - position)
            // A fresh buffer per chunk: the socket may still hold the last one.
            const {bytesRead, buffer} = await handle.read(Buffer.allocUnsafeSlow(want), 0, want, position)
            if (bytesRead === 0) throw new Error('the file got shorter while it was being sent')
            position += bytesRead
            controller.enqueue(bytesRead === want ? buffer : buffer.subarray(0, bytesRead))
            if (position > segment.end) next()
          }

          if (index === segments.length) {
            close()
            controller.close()
          }
        } catch (error) {
          close()
          controller.error(error)
        }
      },
    },
    // Read nothing ahead: a chunk is read when the consumer asks for it.
    {highWaterMark: 0},
  )

  function next() {
    index++
    const segment = segments[index]
    if (segment !== undefined && !(segment instanceof Uint8Array)) position = segment.start
  }
}

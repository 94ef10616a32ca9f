// Sending a body read from an open file as the client takes it, so a response
// holds a chunk or two and never the file. Under node-server the chunks go
// straight to the Node response through two reused buffers, each refilled
// only once the socket has taken it: no garbage per chunk, so memory stays
// flat however many gigabytes go out. Elsewhere (app.request) the body is a
// web ReadableStream read on demand.
import type {FileHandle} from 'node:fs/promises'
import type {ServerResponse} from 'node:http'

import type {Segment} from './multipart.js'

export const CHUNK_BYTES = 128 * 1024

const SHRUNK = 'the file got shorter while it was being sent'

/** Bytes to send as they are, or where to read the next chunk of the file. */
type Piece = Uint8Array | {length: number; position: number}

/** The segments cut into pieces of at most CHUNK_BYTES. */
function* pieces(segments: Segment[]): Generator<Piece> {
  for (const segment of segments) {
    if (segment instanceof Uint8Array) {
      yield segment
      continue
    }

    for (let position = segment.start; position <= segment.end; position += CHUNK_BYTES) {
      yield {length: Math.min(CHUNK_BYTES, segment.end + 1 - position), position}
    }
  }
}

/**
 * Writes `segments` to a Node response whose head is already written, then
 * ends it; a client that leaves stops the copy. The handle is closed in every
 * case. A file that got shorter mid-response cuts the connection rather than
 * sending a body short of its Content-Length, and rejects so it can be logged.
 */
export async function writeSegments(handle: FileHandle, segments: Segment[], res: ServerResponse): Promise<void> {
  const buffers = [Buffer.allocUnsafeSlow(CHUNK_BYTES), Buffer.allocUnsafeSlow(CHUNK_BYTES)]
  // A buffer is busy until the socket has taken it. Waiting is a flag and one
  // waker, not a race against a promise of the close: each race would leave a
  // reaction on that promise until the client leaves, thousands per file.
  const busy = [false, false]
  let closed = false
  let wake: (() => void) | undefined
  const wakeUp = () => {
    const resolve = wake
    wake = undefined
    resolve?.()
  }

  const onClose = () => {
    closed = true
    wakeUp()
  }

  const taken = [0, 1].map((slot) => () => {
    busy[slot] = false
    wakeUp()
  })
  res.once('close', onClose)
  let turn = 0
  try {
    for (const piece of pieces(segments)) {
      if (closed || res.destroyed) return
      if (piece instanceof Uint8Array) {
        res.write(piece)
        continue
      }

      while (busy[turn] && !closed) {
        await new Promise<void>((resolve) => {
          wake = resolve
        })
      }

      if (closed || res.destroyed) return
      const buffer = buffers[turn]
      const {bytesRead} = await handle.read(buffer, 0, piece.length, piece.position)
      if (closed || res.destroyed) return
      if (bytesRead < piece.length) throw new Error(SHRUNK)
      busy[turn] = true
      res.write(buffer.subarray(0, bytesRead), taken[turn])
      turn ^= 1
    }

    res.end()
  } catch (error) {
    res.destroy(error as Error)
    throw error
  } finally {
    res.off('close', onClose)
    await handle.close()
  }
}

/**
 * The same body as a web stream: a chunk is read only when the consumer asks
 * for one, into a fresh buffer (nothing says when the consumer is done with
 * it). Closes the handle at the end, on error and on cancel.
 */
export function streamSegments(handle: FileHandle, segments: Segment[]): ReadableStream<Uint8Array> {
  const iterator = pieces(segments)
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
          const next = iterator.next()
          if (next.done) {
            close()
            controller.close()
            return
          }

          const piece = next.value
          if (piece instanceof Uint8Array) {
            controller.enqueue(piece)
            return
          }

          const {buffer, bytesRead} = await handle.read(Buffer.allocUnsafeSlow(piece.length), 0, piece.length, piece.position)
          if (bytesRead < piece.length) throw new Error(SHRUNK)
          controller.enqueue(buffer)
        } catch (error) {
          close()
          controller.error(error)
        }
      },
    },
    // Read nothing ahead of the consumer.
    {highWaterMark: 0},
  )
}

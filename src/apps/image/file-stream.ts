// Sending a body read from an open file as the client takes it, so a response
// holds a chunk or two and never the file. Under node-server the chunks go
// straight to the Node response through two reused buffers, each refilled
// only once the socket has taken it: no garbage per chunk, so memory stays
// flat however many gigabytes go out. Elsewhere (app.request) the body is a
// web ReadableStream read on demand.
//
// A body never mixes two versions of the file: after every read the open file
// is checked against the stamp its response was planned from, and a file
// rewritten, shortened or extended since cuts the response (the connection
// closes before the promised length), so the client knows the transfer failed.
import type {FileHandle} from 'node:fs/promises'
import type {ServerResponse} from 'node:http'

import {fstatSync} from 'node:fs'

import type {Segment} from './multipart.js'

import {type Drift, driftOf, type FileStamp, stampOf} from './file-stamp.js'

export const CHUNK_BYTES = 128 * 1024

const CHANGED: Readonly<Record<Drift, string>> = {
  grew: 'the file got longer while it was being sent',
  rewritten: 'the file was rewritten while it was being sent',
  shrank: 'the file got shorter while it was being sent',
}

/**
 * A check to run after each read: throws when the read came up short or the
 * file is no longer the one `stamp` describes. fstat of an open file reads its
 * inode, already in memory: a microsecond, less than a trip through the I/O
 * pool that an asynchronous call would take.
 */
function changeGuard(handle: FileHandle, stamp: FileStamp): (bytesRead: number, wanted: number) => void {
  let last = stamp
  return (bytesRead, wanted) => {
    if (bytesRead < wanted) throw new Error(CHANGED.shrank)
    const now = stampOf(fstatSync(handle.fd, {bigint: true}))
    const drift = driftOf(last, now)
    if (drift !== undefined) throw new Error(CHANGED[drift])
    // A rename or removal is not a change of the bytes, but what follows it is measured from it.
    last = now
  }
}

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
 * case. A file that changed from `stamp` mid-response cuts the connection
 * before the rest of the body, and rejects so it can be logged.
 */
export async function writeSegments(handle: FileHandle, segments: Segment[], res: ServerResponse, stamp: FileStamp): Promise<void> {
  const check = changeGuard(handle, stamp)
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
      check(bytesRead, piece.length)
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
 * it). Closes the handle at the end, on error and on cancel; errors the stream
 * when the file changes from `stamp`.
 */
export function streamSegments(handle: FileHandle, segments: Segment[], stamp: FileStamp): ReadableStream<Uint8Array> {
  const check = changeGuard(handle, stamp)
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
          check(bytesRead, piece.length)
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

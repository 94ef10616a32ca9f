// The strong ETag of the served file: a hash of its bytes, so the same bytes
// get the same tag in every worker and across restarts, and other bytes never
// get it. A file held in memory is hashed as it is read; a bigger one is
// hashed from disk in the background (hashFile), one read at a time.
import type {FileHandle} from 'node:fs/promises'

import {createHash, type Hash} from 'node:crypto'

import {type FileStamp, identityOf, stampOf} from './file-stamp.js'

/** Bytes read per step of a background hash: a fraction of a millisecond of hashing between two turns of the event loop. */
export const HASH_CHUNK_BYTES = 256 * 1024

/**
 * How long after a file's last change its change time is surely in the past of
 * the filesystem's clock. File times advance by a clock tick (a few ms on
 * Linux); filesystems that keep whole seconds (ext3, HFS+, FAT's 2 s) show it
 * as a stamp without a fraction of a second.
 */
const FINE_SETTLE_MS = 100
const COARSE_SETTLE_MS = 2000

function tagOf(hash: Hash): string {
  return `"${hash.digest('base64url').slice(0, 27)}"`
}

/** The tag of bytes held in memory. */
export function contentTag(bytes: Uint8Array): string {
  return tagOf(createHash('sha256').update(bytes))
}

/**
 * Milliseconds to wait, from `nowMs` (the wall clock), before hashing a file
 * with this stamp. A change made during the hash must move the change time
 * away from the stamp's, and one made within the same tick would not: so a
 * hash starts only once the stamp's tick is over (or, for a stamp from a
 * clock not ours, after one full wait).
 */
export function settleDelayMs(stamp: FileStamp, nowMs: number): number {
  const whole = stamp.ctimeNs % 1_000_000_000n === 0n && stamp.mtimeNs % 1_000_000_000n === 0n
  const settle = whole ? COARSE_SETTLE_MS : FINE_SETTLE_MS
  const changedMs = Number(stamp.ctimeNs / 1_000_000n)
  return Math.min(settle, Math.max(0, changedMs + settle - nowMs))
}

/**
 * The tag of the open file if it still has `stamp` before and after every
 * byte is read, else undefined (it changed: a new version will come). Reads
 * one chunk at a time into one buffer, so it holds a quarter of a megabyte
 * and one thread of the I/O pool at most; `wanted` is asked before each read,
 * so a hash no one needs any more stops at once.
 */
export async function hashFile(handle: FileHandle, stamp: FileStamp, wanted: () => boolean): Promise<string | undefined> {
  const expected = identityOf(stamp)
  if (identityOf(stampOf(await handle.stat({bigint: true}))) !== expected) return undefined
  const hash = createHash('sha256')
  const buffer = Buffer.allocUnsafeSlow(HASH_CHUNK_BYTES)
  const size = Number(stamp.size)
  for (let position = 0; position < size; ) {
    if (!wanted()) return undefined
    const {bytesRead} = await handle.read(buffer, 0, Math.min(HASH_CHUNK_BYTES, size - position), position)
    if (bytesRead === 0) return undefined
    hash.update(buffer.subarray(0, bytesRead))
    position += bytesRead
  }

  // Unchanged, ctime included, after the last read: no byte changed while it was hashed.
  if (identityOf(stampOf(await handle.stat({bigint: true}))) !== expected) return undefined
  return tagOf(hash)
}

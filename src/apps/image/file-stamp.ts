// What a stat says about the served file, and what it can and cannot prove.
// Every change to a file's bytes moves its change time (ctime), and no program
// can set that back: tools that restore the modification time (cp -p,
// rsync -t) restore mtime only. So a stamp that still matches, ctime included,
// proves the bytes have not changed since it was taken, whatever the mtime says.
import type {BigIntStats} from 'node:fs'

export interface FileStamp {
  readonly ctimeNs: bigint
  readonly dev: bigint
  readonly ino: bigint
  readonly mtimeNs: bigint
  readonly nlink: bigint
  readonly size: bigint
}

export function stampOf(stats: BigIntStats): FileStamp {
  const {ctimeNs, dev, ino, mtimeNs, nlink, size} = stats
  return Object.freeze({ctimeNs, dev, ino, mtimeNs, nlink, size})
}

/**
 * Changes whenever the file is replaced, rewritten, touched or has its
 * metadata changed: equal identities mean the same bytes.
 */
export function identityOf(stamp: FileStamp): string {
  return `${stamp.dev}:${stamp.ino}:${stamp.size}:${stamp.mtimeNs}:${stamp.ctimeNs}`
}

/** How an open file can have changed under a response being sent from it. */
export type Drift = 'grew' | 'rewritten' | 'shrank'

/**
 * How the open file `now` differs from `before` in a way that can have
 * changed its bytes, or undefined when it cannot have. A change of link count
 * alone also moves ctime: that is the file being renamed over or removed
 * (atomic replacement, which leaves the open file's bytes as they were), or
 * hard-linked; it is not taken for a rewrite. Any other ctime change is (a
 * chmod cannot be told from a rewrite whose mtime was put back).
 */
export function driftOf(before: FileStamp, now: FileStamp): Drift | undefined {
  if (now.size < before.size) return 'shrank'
  if (now.size > before.size) return 'grew'
  if (now.mtimeNs !== before.mtimeNs || now.ino !== before.ino || now.dev !== before.dev) return 'rewritten'
  if (now.ctimeNs === before.ctimeNs || now.nlink !== before.nlink) return undefined
  return 'rewritten'
}

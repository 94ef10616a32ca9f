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

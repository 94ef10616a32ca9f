// One version of the served file: what it is (type, size, validators) and, when
// it is small enough, its bytes. A new version is made whenever the file on
// disk changes, and never altered after.
import type {BigIntStats} from 'node:fs'

import {createHash} from 'node:crypto'

import {httpDate, type Validators} from './conditional.js'
import {contentTypeOf} from './content-type.js'

export interface FileVersion {
  /** The whole file, when it is held in memory; absent when it is streamed from disk. */
  readonly bytes?: Uint8Array<ArrayBuffer>
  /** Changes whenever the file is replaced, rewritten or touched. */
  readonly identity: string
  readonly size: number
  readonly type: string
  readonly validators: Validators
}

/** What a stat says about the file, to tell whether it changed since the last look. */
export function identityOf(stats: BigIntStats): string {
  return `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeNs}:${stats.ctimeNs}`
}

/**
 * A version from a stat and bytes read from the same open file: the whole file
 * when it is to be held in memory, else just its first bytes for sniffing.
 */
export function makeVersion(
  path: string,
  stats: BigIntStats,
  bytes: Uint8Array<ArrayBuffer>,
  whole: boolean,
): FileVersion {
  const size = Number(stats.size)
  const modifiedSeconds = Number(stats.mtimeNs / 1_000_000_000n)
  return Object.freeze({
    bytes: whole ? bytes : undefined,
    identity: identityOf(stats),
    size,
    type: contentTypeOf(bytes, path),
    validators: Object.freeze({
      etag: whole ? contentTag(bytes) : statTag(stats),
      lastModified: httpDate(modifiedSeconds),
      modifiedSeconds,
    }),
  })
}

/** Bytes held in memory are hashed: the same content keeps its tag across touches, workers and restarts. */
function contentTag(bytes: Uint8Array): string {
  return `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 27)}"`
}

/** A streamed file is too big to hash on every change: its tag comes from the inode, size and mtime. */
function statTag(stats: BigIntStats): string {
  return `"${stats.ino.toString(36)}-${stats.size.toString(36)}-${stats.mtimeNs.toString(36)}"`
}

// One version of the served file: what it is (type, size, validators) and, when
// it is small enough, its bytes. A new version is made whenever the file on
// disk changes, and never altered after; a streamed file's version gains its
// ETag as a copy once its bytes are hashed.
import type {BigIntStats} from 'node:fs'

import {httpDate, type Validators} from './conditional.js'
import {contentTag} from './content-tag.js'
import {contentTypeOf} from './content-type.js'
import {type FileStamp, identityOf, stampOf} from './file-stamp.js'

export interface FileVersion {
  /** The whole file, when it is held in memory; absent when it is streamed from disk. */
  readonly bytes?: Uint8Array<ArrayBuffer>
  /** Changes whenever the file is replaced, rewritten, touched or has its metadata changed. */
  readonly identity: string
  readonly size: number
  readonly stamp: FileStamp
  readonly type: string
  /** A streamed file has no ETag until its bytes are hashed. */
  readonly validators: Validators
}

/**
 * A version from a stat and bytes read from the same open file: the whole file
 * when it is to be held in memory (and then tagged at once), else just its
 * first bytes for sniffing.
 */
export function makeVersion(
  path: string,
  stats: BigIntStats,
  bytes: Uint8Array<ArrayBuffer>,
  whole: boolean,
): FileVersion {
  const stamp = stampOf(stats)
  const modifiedSeconds = Number(stats.mtimeNs / 1_000_000_000n)
  return Object.freeze({
    bytes: whole ? bytes : undefined,
    identity: identityOf(stamp),
    size: Number(stats.size),
    stamp,
    type: contentTypeOf(bytes, path),
    validators: Object.freeze({
      etag: whole ? contentTag(bytes) : undefined,
      lastModified: httpDate(modifiedSeconds),
      modifiedSeconds,
    }),
  })
}

/** The same version with the ETag its bytes hashed to. */
export function withTag(version: FileVersion, etag: string): FileVersion {
  return Object.freeze({...version, validators: Object.freeze({...version.validators, etag})})
}

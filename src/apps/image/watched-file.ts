// The served file as last seen on disk, kept current cheaply: requests use the
// version in hand while it is fresh, refresh it in the background once it is
// a little old, and wait for a stat only after a quiet spell. So under load no
// request waits on the disk, and after any change the new bytes are served
// within about a second. A version too big to hold in memory gets its ETag
// from a hash of its bytes, computed once in the background.
import {type BigIntStats, constants, statSync} from 'node:fs'
import {type FileHandle, open, stat} from 'node:fs/promises'
import {performance} from 'node:perf_hooks'

import {hashFile, settleDelayMs} from './content-tag.js'
import {SNIFF_BYTES} from './content-type.js'
import {type FileStamp, identityOf, stampOf} from './file-stamp.js'
import {type FileVersion, makeVersion, withTag} from './file-version.js'

/** Younger than this, the version in hand is used as it is. */
export const FRESH_MS = 250
/** Older than this, a request waits for a stat before it is answered. */
export const TRUST_MS = 1000

// O_NONBLOCK: opening a FIFO must not hang the worker; regular files ignore it.
export const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK
/** Attempts at reading a file that keeps changing under the reader. */
const READ_ATTEMPTS = 3

export interface WatchedFileOptions {
  /** Files up to this size are held in memory; bigger ones are streamed. */
  memoryLimit: number
  path: string
  warn(message: string): void
}

type Outcome = {problem: string; version?: undefined} | {problem?: undefined; version: FileVersion}

/** A version to send, with the open file to stream it from (and its stamp) when it is not held in memory. */
export type OpenFile = {handle: FileHandle; stamp: FileStamp; version: FileVersion} | {handle?: undefined; version: FileVersion}

export class WatchedFile {
  #checkedAt = Number.NEGATIVE_INFINITY
  #problem: string | undefined
  #refreshing: Promise<FileVersion | undefined> | undefined
  /** The hash under way, if any: one at a time. */
  #tagging: Promise<void> | undefined
  #version: FileVersion | undefined

  constructor(private readonly options: WatchedFileOptions) {
    // A quick look now so a missing file is reported at startup; the bytes come next.
    this.#report(problemAt(options.path))
    this.refresh()
  }

  /** The version to serve, or undefined when there is no file; a promise only when a stat is due. */
  current(): FileVersion | Promise<FileVersion | undefined> | undefined {
    const age = performance.now() - this.#checkedAt
    if (age < FRESH_MS) return this.#version
    if (age < TRUST_MS) {
      this.refresh()
      return this.#version
    }

    return this.refresh()
  }

  /** Looks at the file now (one look at a time); never rejects. */
  refresh(): Promise<FileVersion | undefined> {
    this.#refreshing ??= this.#check().finally(() => {
      this.#refreshing = undefined
    })
    return this.#refreshing
  }

  /**
   * Opens the file to stream it. The version returned is the open file's own,
   * so the validators sent always describe the bytes sent; a version held in
   * memory needs no handle, so none is returned with it. Undefined: no file.
   */
  async open(): Promise<OpenFile | undefined> {
    for (let attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
      const startedAt = performance.now()
      let handle: FileHandle
      try {
        handle = await open(this.options.path, OPEN_FLAGS)
      } catch (error) {
        this.#settle(startedAt, {problem: describe(error)})
        return undefined
      }

      let streaming = false
      try {
        const stats = await handle.stat({bigint: true})
        let version = this.#version
        if (version?.identity !== identityOf(stampOf(stats))) {
          const outcome = await this.#read(handle, stats)
          if (outcome === undefined) continue
          this.#settle(startedAt, outcome)
          if (outcome.version === undefined) return undefined
          version = outcome.version
        }

        if (version.bytes !== undefined) return {version}
        streaming = true
        return {handle, stamp: stampOf(stats), version}
      } finally {
        if (!streaming) await handle.close()
      }
    }

    throw new Error(`${this.options.path} kept changing while being opened`)
  }

  async #check(): Promise<FileVersion | undefined> {
    for (let attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
      const startedAt = performance.now()
      let handle: FileHandle | undefined
      try {
        const stats = await stat(this.options.path, {bigint: true})
        if (this.#version?.identity === identityOf(stampOf(stats))) return this.#settle(startedAt, {version: this.#version})
        handle = await open(this.options.path, OPEN_FLAGS)
        const outcome = await this.#read(handle, await handle.stat({bigint: true}))
        if (outcome) return this.#settle(startedAt, outcome)
      } catch (error) {
        return this.#settle(startedAt, {problem: describe(error)})
      } finally {
        await handle?.close()
      }
    }

    // Still changing: keep what we have and look again on the next request.
    return this.#version
  }

  /** A version read from an open file, or undefined when the file changed during the read. */
  async #read(handle: FileHandle, stats: BigIntStats): Promise<Outcome | undefined> {
    if (stats.isDirectory()) return {problem: 'is a directory'}
    if (!stats.isFile()) return {problem: 'is not a regular file'}
    const size = Number(stats.size)
    const whole = size <= this.options.memoryLimit
    const bytes = new Uint8Array(whole ? size : Math.min(size, SNIFF_BYTES))
    let filled = 0
    while (filled < bytes.byteLength) {
      const {bytesRead} = await handle.read(bytes, filled, bytes.byteLength - filled, filled)
      if (bytesRead === 0) return undefined
      filled += bytesRead
    }

    if (identityOf(stampOf(await handle.stat({bigint: true}))) !== identityOf(stampOf(stats))) return undefined
    return {version: makeVersion(this.options.path, stats, bytes, whole)}
  }

  /** Records what a look found, unless a look that started later already did. */
  #settle(startedAt: number, outcome: Outcome): FileVersion | undefined {
    if (startedAt >= this.#checkedAt) {
      this.#checkedAt = startedAt
      this.#version = outcome.version
      this.#report(outcome.problem)
      this.#tag()
    }

    return this.#version
  }

  /**
   * Hashes the current version when it has no tag yet, in the background: the
   * tag is attached (as a new version object) only if the file is still that
   * version when the hash is done. Requests meanwhile go without an ETag.
   */
  #tag() {
    const version = this.#version
    if (this.#tagging !== undefined || version === undefined || version.validators.etag !== undefined) return
    const isCurrent = () => this.#version?.identity === version.identity
    this.#tagging = (async () => {
      const delay = settleDelayMs(version.stamp, Date.now())
      if (delay > 0) {
        await new Promise<void>((resolve) => {
          setTimeout(resolve, delay).unref()
        })
      }

      if (!isCurrent()) return
      const handle = await open(this.options.path, OPEN_FLAGS)
      let tag: string | undefined
      try {
        tag = await hashFile(handle, version.stamp, isCurrent)
      } finally {
        await handle.close()
      }

      if (tag !== undefined && isCurrent()) this.#version = withTag(this.#version!, tag)
    })()
      // A file that vanished or cannot be read is reported by the next look, not here.
      .catch(() => {})
      .finally(() => {
        this.#tagging = undefined
        // The version may have changed while this one was hashed.
        if (this.#version !== version) this.#tag()
      })
  }

  /** Warns once when the file stops being servable, and again only if the reason changes. */
  #report(problem: string | undefined) {
    if (problem !== undefined && problem !== this.#problem) {
      this.options.warn(`image file ${this.options.path} ${problem}: answering 404 until it can be served`)
    }

    this.#problem = problem
  }
}

/** Why the file cannot be served, judged from a stat: undefined when it looks servable. */
export function problemAt(path: string): string | undefined {
  try {
    const stats = statSync(path)
    if (stats.isDirectory()) return 'is a directory'
    return stats.isFile() ? undefined : 'is not a regular file'
  } catch (error) {
    return describe(error)
  }
}

/** Why a stat or an open failed, as the end of a sentence about the file. */
export function describe(error: unknown): string {
  const {code, message} = error as NodeJS.ErrnoException
  if (isMissing(error)) return 'was not found'
  if (code === 'EISDIR') return 'is a directory'
  if (code === 'EACCES' || code === 'EPERM') return 'is not readable (permission denied)'
  return `cannot be read (${code ?? message})`
}

export function isMissing(error: unknown): boolean {
  const {code} = error as NodeJS.ErrnoException
  return code === 'ENOENT' || code === 'ENOTDIR'
}

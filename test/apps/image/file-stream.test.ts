import type {ServerResponse} from 'node:http'

import {strict as assert} from 'node:assert'
import {execFileSync} from 'node:child_process'
import {EventEmitter} from 'node:events'
import {
  appendFileSync,
  chmodSync,
  closeSync,
  linkSync,
  mkdtempSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
  writeSync,
} from 'node:fs'
import {type FileHandle, open} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {setFlagsFromString} from 'node:v8'
import {runInNewContext} from 'node:vm'

import type {Segment} from '../../../src/apps/image/multipart.js'

import {type FileStamp, stampOf} from '../../../src/apps/image/file-stamp.js'
import {CHUNK_BYTES, writeSegments} from '../../../src/apps/image/file-stream.js'

interface FakeSocket {
  /** Called before write number `index` (from 0) is recorded. */
  beforeWrite?(index: number, res: FakeResponse): void
  /** Keeps what was written (off for long runs). Default: on. */
  keepChunks?: boolean
  /** Whether the socket ever takes write number `index`. Default: each one, on the next turn. */
  takes?(index: number): boolean
}

/** Enough of a Node response for writeSegments. */
class FakeResponse extends EventEmitter {
  chunks: Buffer[] = []
  destroyed = false
  ended = false
  error: Error | undefined
  writes = 0

  constructor(private readonly socket: FakeSocket = {}) {
    super()
  }

  destroy(error?: Error): void {
    this.error = error
    this.leave()
  }

  end(): void {
    this.ended = true
  }

  /** The client goes away. */
  leave(): void {
    this.destroyed = true
    this.emit('close')
  }

  write(bytes: Uint8Array, taken?: () => void): boolean {
    const {beforeWrite, keepChunks = true, takes} = this.socket
    const index = this.writes++
    beforeWrite?.(index, this)
    if (keepChunks) this.chunks.push(Buffer.from(bytes))
    if (taken && (takes?.(index) ?? true)) setImmediate(taken)
    return true
  }

  asResponse(): ServerResponse {
    return this as unknown as ServerResponse
  }
}

describe('apps/image/file-stream: writeSegments', () => {
  let dir: string
  let path: string
  const size = 3 * CHUNK_BYTES + 1000
  const content = Buffer.alloc(size)
  for (let i = 0; i < size; i++) content[i] = (i * 7 + (i >> 8)) & 0xff

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'webkit-file-stream-'))
    path = join(dir, 'file.bin')
    writeFileSync(path, content)
  })

  afterEach(() => rmSync(dir, {force: true, recursive: true}))

  /** Opens the file, takes its stamp and records whether writeSegments closed it. */
  async function openTracked(): Promise<{handle: FileHandle; isClosed: () => boolean; stamp: FileStamp}> {
    const handle = await open(path)
    const stamp = stampOf(await handle.stat({bigint: true}))
    let closed = false
    const close = handle.close.bind(handle)
    handle.close = () => {
      closed = true
      return close()
    }

    return {handle, isClosed: () => closed, stamp}
  }

  it('sends file slices and literal bytes in order, byte for byte, then ends and closes the file', async () => {
    const {handle, isClosed, stamp} = await openTracked()
    const res = new FakeResponse()
    const segments: Segment[] = [Buffer.from('head|'), {end: size - 1, start: 10}, Buffer.from('|mid|'), {end: 99, start: 0}]
    await writeSegments(handle, segments, res.asResponse(), stamp)
    const expected = Buffer.concat([Buffer.from('head|'), content.subarray(10), Buffer.from('|mid|'), content.subarray(0, 100)])
    assert.ok(Buffer.concat(res.chunks).equals(expected))
    assert.ok(res.chunks.every((chunk) => chunk.length <= CHUNK_BYTES))
    assert.equal(res.ended, true)
    assert.equal(isClosed(), true)
  })

  it('stops reading when the client leaves, and still closes the file', async () => {
    const {handle, isClosed, stamp} = await openTracked()
    // The client leaves after the third chunk, before the socket takes it.
    const res = new FakeResponse({
      beforeWrite: (index, self) => index === 2 && setImmediate(() => self.leave()),
      takes: (index) => index < 2,
    })
    const segments: Segment[] = Array.from({length: 1000}, () => ({end: size - 1, start: 0}))

    await writeSegments(handle, segments, res.asResponse(), stamp)
    assert.equal(res.writes, 3, 'nothing written after the client left')
    assert.equal(res.ended, false)
    assert.equal(isClosed(), true)
  })

  it('stops waiting for a socket that never takes its chunks when the client leaves', async () => {
    const {handle, isClosed, stamp} = await openTracked()
    // The socket takes nothing: both buffers stay busy and the copy waits until the client leaves.
    const res = new FakeResponse({
      beforeWrite: (index, self) => index === 1 && setImmediate(() => self.leave()),
      takes: () => false,
    })

    await writeSegments(handle, [{end: size - 1, start: 0}], res.asResponse(), stamp)
    assert.equal(res.writes, 2)
    assert.equal(res.ended, false)
    assert.equal(isClosed(), true)
  })

  it('cuts the response when the file got shorter, rather than sending less than promised', async () => {
    const {handle, isClosed, stamp} = await openTracked()
    truncateSync(path, CHUNK_BYTES)
    const res = new FakeResponse()
    await assert.rejects(writeSegments(handle, [{end: size - 1, start: 0}], res.asResponse(), stamp), /got shorter/)
    assert.match(String(res.error), /got shorter/)
    assert.equal(res.ended, false)
    assert.equal(isClosed(), true)
  })

  /** Sends the whole file, running `change` just before the first chunk is handed to the socket. */
  async function sendChangedAfterFirstChunk(change: () => void) {
    const {handle, isClosed, stamp} = await openTracked()
    const res = new FakeResponse({beforeWrite: (index) => index === 0 && change()})
    const sent = writeSegments(handle, [{end: size - 1, start: 0}], res.asResponse(), stamp)
    return {isClosed, res, sent}
  }

  /** Rewrites `bytes` at `position` in place (same inode, no truncation), as dd conv=notrunc does. */
  function overwrite(position: number, bytes: Buffer) {
    const fd = openSync(path, 'r+')
    writeSync(fd, bytes, 0, bytes.length, position)
    closeSync(fd)
  }

  /** Asserts the response was cut after its first chunk: nothing of the changed file sent, the body never ended. */
  async function assertCut(sending: ReturnType<typeof sendChangedAfterFirstChunk>, pattern: RegExp) {
    const {isClosed, res, sent} = await sending
    await assert.rejects(sent, pattern)
    assert.match(String(res.error), pattern, 'the response is destroyed with the reason')
    assert.equal(res.ended, false, 'never ended: the client sees fewer bytes than promised')
    assert.equal(res.writes, 1, 'nothing read after the change is sent')
    assert.ok(Buffer.concat(res.chunks).equals(content.subarray(0, CHUNK_BYTES)))
    assert.equal(isClosed(), true)
  }

  it('cuts the response when the file is rewritten in place, even with its size and mtime put back', async () => {
    const reference = join(dir, 'reference')
    execFileSync('cp', ['-p', path, reference])
    await assertCut(
      sendChangedAfterFirstChunk(() => {
        overwrite(2 * CHUNK_BYTES, Buffer.alloc(100, 0xee))
        execFileSync('touch', ['-r', reference, path])
        assert.equal(statSync(path, {bigint: true}).mtimeNs, statSync(reference, {bigint: true}).mtimeNs, 'the mtime is back')
      }),
      /the file was rewritten while it was being sent/,
    )
  })

  it('cuts the response when the file gets longer or shorter mid-way', async () => {
    await assertCut(
      sendChangedAfterFirstChunk(() => appendFileSync(path, 'more')),
      /the file got longer while it was being sent/,
    )
    writeFileSync(path, content)
    await assertCut(
      sendChangedAfterFirstChunk(() => truncateSync(path, size - 1)),
      /the file got shorter while it was being sent/,
    )
  })

  it('takes a metadata change for a rewrite, as the two cannot be told apart', async () => {
    await assertCut(
      sendChangedAfterFirstChunk(() => chmodSync(path, 0o600)),
      /the file was rewritten while it was being sent/,
    )
  })

  it('keeps sending the old bytes when the file is renamed over or removed mid-way', async () => {
    for (const change of [
      () => {
        writeFileSync(`${path}.new`, Buffer.alloc(size, 1))
        renameSync(`${path}.new`, path)
      },
      () => rmSync(path),
    ]) {
      writeFileSync(path, content)
      const {isClosed, res, sent} = await sendChangedAfterFirstChunk(change)
      await sent
      assert.equal(res.ended, true)
      assert.ok(Buffer.concat(res.chunks).equals(content), 'every byte of the file that was opened')
      assert.equal(isClosed(), true)
    }
  })

  it('still notices a rewrite that follows a new link to the file', async () => {
    const reference = join(dir, 'reference')
    execFileSync('cp', ['-p', path, reference])
    const {handle, isClosed, stamp} = await openTracked()
    const other = join(dir, 'other-name')
    // A link before the second chunk (not a change of the bytes), a rewrite through it before the third.
    const res = new FakeResponse({
      beforeWrite(index) {
        if (index === 0) linkSync(path, other)
        if (index !== 1) return
        const fd = openSync(other, 'r+')
        writeSync(fd, Buffer.alloc(10, 0xee), 0, 10, 3 * CHUNK_BYTES)
        closeSync(fd)
        execFileSync('touch', ['-r', reference, other])
      },
    })
    await assert.rejects(writeSegments(handle, [{end: size - 1, start: 0}], res.asResponse(), stamp), /rewritten/)
    assert.equal(res.writes, 2)
    assert.equal(isClosed(), true)
  })

  it('holds no memory per chunk while a long response is under way', async function () {
    this.timeout(20_000)
    // Exposes gc() to this mocha process from here on; nothing else depends on it being absent.
    setFlagsFromString('--expose-gc')
    const gc = runInNewContext('gc') as () => void
    const {handle, stamp} = await openTracked()
    const pieces = 30_000
    let heapAt10k = 0
    let heapAtEnd = 0
    // Measured while the response is still open; the fake keeps no chunks.
    const res = new FakeResponse({
      beforeWrite(index) {
        if (index !== 10_000 && index !== pieces - 1) return
        gc()
        if (index === 10_000) heapAt10k = process.memoryUsage().heapUsed
        else heapAtEnd = process.memoryUsage().heapUsed
      },
      keepChunks: false,
    })

    await writeSegments(handle, Array.from({length: pieces}, () => ({end: 63, start: 0})), res.asResponse(), stamp)
    const grownKb = Math.round((heapAtEnd - heapAt10k) / 1024)
    // 20,000 more chunks; anything kept per chunk (a promise reaction is ~100 bytes) shows as megabytes.
    assert.ok(grownKb < 1024, `the heap grew by ${grownKb} KB over 20,000 chunks`)
  })
})

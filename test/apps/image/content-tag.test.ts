import {strict as assert} from 'node:assert'
import {randomBytes} from 'node:crypto'
import {appendFileSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {open} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {contentTag, HASH_CHUNK_BYTES, hashFile, settleDelayMs} from '../../../src/apps/image/content-tag.js'
import {type FileStamp, stampOf} from '../../../src/apps/image/file-stamp.js'
import {expectedTag} from '../../support/preconditions.js'

describe('apps/image/content-tag', () => {
  let dir: string
  let path: string
  const bytes = randomBytes(3 * HASH_CHUNK_BYTES + 5)
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'webkit-content-tag-'))
    path = join(dir, 'file.bin')
    writeFileSync(path, bytes)
  })
  afterEach(() => rmSync(dir, {force: true, recursive: true}))

  /** Hashes the file from a stamp taken now, asking `wanted` before each read. */
  async function hashNow(wanted: (call: number) => boolean = () => true, stamp?: FileStamp) {
    const handle = await open(path)
    try {
      let calls = 0
      return await hashFile(handle, stamp ?? stampOf(await handle.stat({bigint: true})), () => wanted(calls++))
    } finally {
      await handle.close()
    }
  }

  it('tags bytes in memory and the same bytes on disk alike: their SHA-256', async () => {
    assert.equal(contentTag(bytes), expectedTag(bytes))
    assert.equal(await hashNow(), expectedTag(bytes))
    writeFileSync(path, '')
    assert.equal(await hashNow(), contentTag(new Uint8Array(0)))
  })

  it('gives no tag for a file that is no longer the stamped one, or that changes while it is hashed', async () => {
    const handle = await open(path)
    const stamp = stampOf(await handle.stat({bigint: true}))
    await handle.close()
    appendFileSync(path, 'x')
    assert.equal(await hashNow(undefined, stamp), undefined, 'changed before the hash')
    writeFileSync(path, bytes)
    const changing = await hashNow((call) => {
      if (call === 2) appendFileSync(path, 'x')
      return true
    })
    assert.equal(changing, undefined, 'changed during the hash')
  })

  it('stops reading as soon as the hash is no longer wanted', async () => {
    let asked = 0
    assert.equal(await hashNow((call) => ++asked > 0 && call < 1), undefined)
    assert.equal(asked, 2, 'one read, then it stopped')
  })

  it('waits for the tick of the last change to pass: briefly on fine clocks, longer on whole seconds', () => {
    const at = (ms: number, nsExtra = 0n): FileStamp => ({
      ctimeNs: BigInt(ms) * 1_000_000n + nsExtra,
      dev: 1n,
      ino: 1n,
      mtimeNs: BigInt(ms) * 1_000_000n + nsExtra,
      nlink: 1n,
      size: 1n,
    })
    const changed = 1_800_000_000_123
    assert.equal(settleDelayMs(at(changed), changed), 100)
    assert.equal(settleDelayMs(at(changed), changed + 40), 60)
    assert.equal(settleDelayMs(at(changed), changed + 5000), 0)
    // A change time in the future (another clock): one full wait, not until then.
    assert.equal(settleDelayMs(at(changed + 60_000), changed), 100)
    // Whole seconds: a filesystem whose times have no fraction.
    const whole = 1_800_000_000_000
    assert.equal(settleDelayMs(at(whole), whole + 500), 1500)
    assert.equal(settleDelayMs(at(whole, 1n), whole + 500), 0, 'a single nanosecond shows a fine clock')
  })
})

import {strict as assert} from 'node:assert'

import {driftOf, type FileStamp, identityOf} from '../../../src/apps/image/file-stamp.js'

const base: FileStamp = {ctimeNs: 2000n, dev: 1n, ino: 7n, mtimeNs: 1000n, nlink: 1n, size: 100n}
const with_ = (changes: Partial<FileStamp>): FileStamp => ({...base, ...changes})

describe('apps/image/file-stamp', () => {
  it('tells a file that may have other bytes from one that cannot', () => {
    assert.equal(driftOf(base, base), undefined)
    assert.equal(driftOf(base, with_({size: 99n})), 'shrank')
    assert.equal(driftOf(base, with_({ctimeNs: 3000n, mtimeNs: 3000n, size: 101n})), 'grew')
    assert.equal(driftOf(base, with_({ctimeNs: 3000n, mtimeNs: 3000n})), 'rewritten')
    // cp -p, rsync -t: the mtime put back; only the change time tells.
    assert.equal(driftOf(base, with_({ctimeNs: 3000n})), 'rewritten')
    // Renamed over or removed (atomic replacement), hard-linked: the bytes are as they were.
    assert.equal(driftOf(base, with_({ctimeNs: 3000n, nlink: 0n})), undefined)
    assert.equal(driftOf(base, with_({ctimeNs: 3000n, nlink: 2n})), undefined)
  })

  it('gives every change of what a stat shows a new identity', () => {
    const identities = new Set(
      [base, with_({size: 1n}), with_({mtimeNs: 1n}), with_({ctimeNs: 1n}), with_({ino: 1n}), with_({dev: 2n})].map((s) => identityOf(s)),
    )
    assert.equal(identities.size, 6)
  })
})

import {strict as assert} from 'node:assert'

import {type FileStamp, identityOf} from '../../../src/apps/image/file-stamp.js'

const base: FileStamp = {ctimeNs: 2000n, dev: 1n, ino: 7n, mtimeNs: 1000n, nlink: 1n, size: 100n}
const with_ = (changes: Partial<FileStamp>): FileStamp => ({...base, ...changes})

describe('apps/image/file-stamp', () => {
  it('gives every change of what a stat shows a new identity', () => {
    const identities = new Set(
      [base, with_({size: 1n}), with_({mtimeNs: 1n}), with_({ctimeNs: 1n}), with_({ino: 1n}), with_({dev: 2n})].map((s) => identityOf(s)),
    )
    assert.equal(identities.size, 6)
  })
})

import {strict as assert} from 'node:assert'

import {coalesce, parseRange} from '../../../src/apps/image/range.js'

const SIZE = 1000
const ranges = (header: string, size = SIZE) => {
  const request = parseRange(header, size)
  assert.equal(request.kind, 'ranges', `${header} should give ranges, got ${request.kind}`)
  return request.kind === 'ranges' ? request.ranges.map(({end, start}) => [start, end]) : []
}

describe('Range header parsing', () => {
  it('reads a-b, a- and -n, clamping the end to the file', () => {
    assert.deepEqual(ranges('bytes=0-99'), [[0, 99]])
    assert.deepEqual(ranges('bytes=500-'), [[500, 999]])
    assert.deepEqual(ranges('bytes=-100'), [[900, 999]])
    assert.deepEqual(ranges('bytes=990-5000'), [[990, 999]])
    assert.deepEqual(ranges('bytes=999-999'), [[999, 999]])
  })

  it('serves the whole file for a suffix longer than it (never from the start of a wrong window)', () => {
    assert.deepEqual(ranges('bytes=-5000'), [[0, 999]])
    assert.deepEqual(ranges('bytes=-1', 1), [[0, 0]])
  })

  it('accepts any case for the unit, spaces around items and empty list elements', () => {
    assert.deepEqual(ranges('Bytes=0-1'), [[0, 1]])
    assert.deepEqual(ranges('bytes = 0-1 ,  , 5-6 '), [[0, 1], [5, 6]])
  })

  it('is unsatisfiable when every range starts at or past the end, or is -0', () => {
    for (const header of ['bytes=1000-', 'bytes=1000-2000', 'bytes=-0', 'bytes=5000-,-0', 'bytes=99999999999999999999-']) {
      assert.deepEqual(parseRange(header, SIZE), {kind: 'unsatisfiable'}, header)
    }
  })

  it('drops the unsatisfiable ranges of a set that has a satisfiable one', () => {
    assert.deepEqual(ranges('bytes=2000-3000,10-19,-0'), [[10, 19]])
  })

  it('ignores a header it cannot read, so the whole file is sent', () => {
    for (const header of [
      'bytes=5-1',
      'bytes=abc',
      'bytes=1-2-3',
      'bytes=--5',
      'bytes= - ',
      'bytes=',
      'bytes=,',
      'bytes=0x10-20',
      'bytes=+1-2',
      'bytes=1.5-2',
      'items=0-5',
      '0-5',
      'bytes 0-5',
      'bytes=0-5,7-3',
    ]) {
      assert.deepEqual(parseRange(header, SIZE), {kind: 'ignore'}, header)
    }
  })

  it('ignores Range on an empty file (no byte range can describe it)', () => {
    assert.deepEqual(parseRange('bytes=0-', 0), {kind: 'ignore'})
    assert.deepEqual(parseRange('bytes=-5', 0), {kind: 'ignore'})
  })

  it('sorts and merges overlapping and touching ranges, so no byte is sent twice', () => {
    assert.deepEqual(ranges('bytes=500-599,0-99,50-149,150-160,-1'), [[0, 160], [500, 599], [999, 999]])
    assert.deepEqual(ranges('bytes=0-,0-,0-'), [[0, 999]])
    assert.deepEqual(ranges('bytes=-500,0-499'), [[0, 999]])
  })

  it('merges thousands of ranges in one pass', () => {
    const header = `bytes=${Array.from({length: 3000}, (_, i) => `${i}-${i}`).join(',')}`
    assert.deepEqual(ranges(header, 10_000), [[0, 2999]])
    const scattered = `bytes=${Array.from({length: 3000}, (_, i) => `${3 * i}-${3 * i}`).join(',')}`
    assert.equal(ranges(scattered, 10_000).length, 3000)
  })

  it('coalesce leaves its input untouched', () => {
    const input = [{end: 9, start: 5}, {end: 6, start: 0}]
    assert.deepEqual(coalesce(input), [{end: 9, start: 0}])
    assert.deepEqual(input, [{end: 9, start: 5}, {end: 6, start: 0}])
  })
})

import {strict as assert} from 'node:assert'

import {
  httpDate,
  ifRangeAllows,
  isNotModified,
  noneMatchHits,
  parseEntityTags,
  parseHttpDate,
  type Validators,
} from '../../../src/apps/image/conditional.js'

const MODIFIED = Date.UTC(1994, 10, 6, 8, 49, 37) / 1000
const validators: Validators = {etag: '"v1"', lastModified: httpDate(MODIFIED), modifiedSeconds: MODIFIED}

describe('conditional requests', () => {
  describe('HTTP-dates', () => {
    it('reads all three formats as the same instant', () => {
      assert.equal(httpDate(MODIFIED), 'Sun, 06 Nov 1994 08:49:37 GMT')
      assert.equal(parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT'), MODIFIED)
      assert.equal(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT'), MODIFIED)
      assert.equal(parseHttpDate('Sun Nov  6 08:49:37 1994'), MODIFIED)
    })

    it('gives undefined, never an error, for anything else', () => {
      for (const value of [
        undefined,
        '',
        'yesterday',
        '1994-11-06T08:49:37Z',
        '784111777',
        'Sun, 06 Nov 1994 08:49:37 PST',
        'Sun, 99 Nov 1994 08:49:37 GMT',
        'Sun, 06 Nov 1994 25:61:99 GMT',
        `Sun, 06 Nov 1994 08:49:37 GMT${' '.repeat(100)}`,
        '\u0000\uFFFF',
        'x'.repeat(10_000),
      ]) {
        assert.equal(parseHttpDate(value), undefined, JSON.stringify(value))
      }
    })
  })

  describe('entity-tag lists', () => {
    it('reads lists, weak tags and *', () => {
      assert.deepEqual(parseEntityTags('"a"'), ['"a"'])
      assert.deepEqual(parseEntityTags('"a", W/"b" ,"c"'), ['"a"', '"b"', '"c"'])
      assert.deepEqual(parseEntityTags(' * '), ['*'])
      assert.deepEqual(parseEntityTags('""'), ['""'])
    })

    it('rejects what is not a list of quoted tags', () => {
      for (const value of ['a', '"a', 'w/"a"', '"a" "b"', '"a",b', '*, "a"']) {
        assert.equal(parseEntityTags(value), undefined, value)
      }
    })

    it('If-None-Match compares weakly: W/"v1" matches "v1"', () => {
      assert.equal(noneMatchHits('"v1"', '"v1"'), true)
      assert.equal(noneMatchHits('W/"v1"', '"v1"'), true)
      assert.equal(noneMatchHits('"x", "v1"', '"v1"'), true)
      assert.equal(noneMatchHits('*', '"v1"'), true)
      assert.equal(noneMatchHits('"v2"', '"v1"'), false)
      assert.equal(noneMatchHits('v1', '"v1"'), false)
    })
  })

  describe('304 decisions', () => {
    it('If-Modified-Since: not modified at or after the file time, modified before it', () => {
      assert.equal(isNotModified(undefined, httpDate(MODIFIED), validators), true)
      assert.equal(isNotModified(undefined, httpDate(MODIFIED + 3600), validators), true)
      assert.equal(isNotModified(undefined, httpDate(MODIFIED - 1), validators), false)
    })

    it('ignores a malformed If-Modified-Since', () => {
      assert.equal(isNotModified(undefined, 'not a date', validators), false)
    })

    it('If-None-Match wins over If-Modified-Since, both ways', () => {
      assert.equal(isNotModified('"other"', httpDate(MODIFIED + 3600), validators), false)
      assert.equal(isNotModified('"v1"', httpDate(MODIFIED - 3600), validators), true)
    })
  })

  describe('If-Range', () => {
    it('allows the range only for the current validator, compared strongly', () => {
      assert.equal(ifRangeAllows(undefined, validators), true)
      assert.equal(ifRangeAllows('"v1"', validators), true)
      assert.equal(ifRangeAllows(' "v1" ', validators), true)
      assert.equal(ifRangeAllows('"v0"', validators), false)
      assert.equal(ifRangeAllows('W/"v1"', validators), false)
      assert.equal(ifRangeAllows(httpDate(MODIFIED), validators), true)
      assert.equal(ifRangeAllows(httpDate(MODIFIED + 1), validators), false)
      assert.equal(ifRangeAllows('garbage', validators), false)
    })
  })
})

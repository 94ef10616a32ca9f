import {strict as assert} from 'node:assert'

import {
  type EntityTag,
  evaluatePreconditions,
  httpDate,
  ifMatchHolds,
  ifNoneMatchHolds,
  ifRangeAllows,
  parseEntityTags,
  parseHttpDate,
  type Preconditions,
  type Validators,
} from '../../../src/apps/image/conditional.js'

const MODIFIED = Date.UTC(1994, 10, 6, 8, 49, 37) / 1000
const validators: Validators = {etag: '"v1"', lastModified: httpDate(MODIFIED), modifiedSeconds: MODIFIED}
/** A file too big for memory whose bytes are not hashed yet. */
const untagged: Validators = {lastModified: httpDate(MODIFIED), modifiedSeconds: MODIFIED}
const strong = (opaque: string): EntityTag => ({opaque, weak: false})
const weak = (opaque: string): EntityTag => ({opaque, weak: true})

/** A fixed-seed generator (mulberry32), so a failure can be replayed: random(n) is 0..n-1. */
function seeded(seed: number) {
  return (n: number) => {
    seed = (seed + 0x6d_2b_79_f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return (((t ^ (t >>> 14)) >>> 0) % n + n) % n
  }
}

describe('conditional requests', () => {
  describe('HTTP-dates', () => {
    it('reads all three formats as the same instant', () => {
      assert.equal(httpDate(MODIFIED), 'Sun, 06 Nov 1994 08:49:37 GMT')
      assert.equal(parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT'), MODIFIED)
      assert.equal(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT'), MODIFIED)
      assert.equal(parseHttpDate('Sun Nov  6 08:49:37 1994'), MODIFIED)
    })

    it('gives undefined, never an error, for anything else, a list of dates included', () => {
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
        'Sun, 06 Nov 1994 08:49:37 GMT, Sun, 06 Nov 1994 08:49:37 GMT',
        '\u0000\uFFFF',
        'x'.repeat(10_000),
      ]) {
        assert.equal(parseHttpDate(value), undefined, JSON.stringify(value))
      }
    })
  })

  describe('entity-tag lists (RFC 9110 §5.6.1, §8.8.3)', () => {
    it('reads lists, weak tags and *', () => {
      assert.deepEqual(parseEntityTags('"a"'), [strong('"a"')])
      assert.deepEqual(parseEntityTags('"a", W/"b" ,"c"'), [strong('"a"'), weak('"b"'), strong('"c"')])
      assert.equal(parseEntityTags(' * '), '*')
      assert.deepEqual(parseEntityTags('""'), [strong('""')])
      // A comma is an etagc: it does not split a quoted tag.
      assert.deepEqual(parseEntityTags('"a,b"'), [strong('"a,b"')])
    })

    it('accepts and ignores empty elements and whitespace around commas', () => {
      for (const value of ['"a",,"b"', ', "a", "b"', ', ,"a",\t"b",', '"a" , , "b" ,,', ' ,\t, "a",,,"b" , ']) {
        assert.deepEqual(parseEntityTags(value), [strong('"a"'), strong('"b"')], JSON.stringify(value))
      }

      for (const value of ['', ',', ' , ,\t']) assert.deepEqual(parseEntityTags(value), [], JSON.stringify(value))
    })

    it('rejects what is not * or a list of entity tags', () => {
      for (const value of ['a', '"a', 'w/"a"', '"a" "b"', '"a",b', '*, "a"', '"a", *', '"a b"', '"a\u0001"', 'W/ "a"', '"a"W/"b"', '**']) {
        assert.equal(parseEntityTags(value), undefined, value)
      }
    })

    it('reads 2,000 generated lists as they were built, and rejects every one with a stray character', () => {
      const random = seeded(20_261_127)
      const etagc = '!#$%&\'()*+,-./09:;<=>?@AZ[\\]^_`az{|}~\u0080\u00ff'
      const space = () => ['', ' ', '\t', '  ', ' \t'][random(5)]
      for (let round = 0; round < 2000; round++) {
        const tags: EntityTag[] = []
        /** Where the list's own commas are (a tag may hold commas too). */
        const commas: number[] = []
        let value = space()
        const comma = () => {
          commas.push(value.length)
          value += `,${space()}`
        }

        for (let elements = random(5); elements > 0; elements--) {
          // An empty element.
          if (random(4) === 0) {
            comma()
            continue
          }

          const opaque = `"${Array.from({length: random(6)}, () => etagc[random(etagc.length)]).join('')}"`
          const tag = {opaque, weak: random(2) === 0}
          tags.push(tag)
          value += `${tag.weak ? 'W/' : ''}${opaque}${space()}`
          // Two tags need a comma between them; the last may have one or not.
          if (elements > 1 || random(2) === 0) comma()
        }

        assert.deepEqual(parseEntityTags(value), tags, JSON.stringify(value))
        if (tags.length === 0 || commas.length === 0) continue
        // A character no list may hold outside a tag, just before one of its commas.
        const at = commas[random(commas.length)]
        const broken = `${value.slice(0, at)}${['x', ';', '\u0001', 'W', '/', '"'][random(6)]}${value.slice(at)}`
        assert.equal(parseEntityTags(broken), undefined, JSON.stringify(broken))
      }
    })
  })

  describe('If-Match (§13.1.1): strong comparison', () => {
    it('holds for *, and for a list with the tag itself', () => {
      for (const value of ['*', '"v1"', '"x", "v1"', ',"v1",', ' "x" ,, "v1" ']) assert.equal(ifMatchHolds(value, '"v1"'), true, value)
    })

    it('does not hold for a weak tag, another tag, an empty list or a value that is not a list', () => {
      for (const value of ['W/"v1"', '"v2"', 'W/"v1", "v2"', '', ',', 'v1', '"v1" "v2"', '*, "v1"']) {
        assert.equal(ifMatchHolds(value, '"v1"'), false, value)
      }
    })

    it('does not hold for any tag while the file has none yet; * still holds', () => {
      assert.equal(ifMatchHolds('"v1"', undefined), false)
      assert.equal(ifMatchHolds('*', undefined), true)
    })
  })

  describe('If-None-Match (§13.1.2): weak comparison', () => {
    it('fails (304) for * and for a list with the tag, weak or not', () => {
      for (const value of ['*', '"v1"', 'W/"v1"', '"x", W/"v1"', '"a",,"v1"', ', "v1"', ', ,"v1",']) {
        assert.equal(ifNoneMatchHolds(value, '"v1"'), false, value)
      }
    })

    it('holds for other tags, an empty list and a value that is not a list', () => {
      for (const value of ['"v2"', 'W/"v2"', '', ',', 'v1', '"v1" "v2"', '"v1", x']) assert.equal(ifNoneMatchHolds(value, '"v1"'), true, value)
    })

    it('holds for any tag while the file has none yet; * still fails', () => {
      assert.equal(ifNoneMatchHolds('"v1"', undefined), true)
      assert.equal(ifNoneMatchHolds('*', undefined), false)
    })
  })

  describe('the order of §13.2.2', () => {
    const before = httpDate(MODIFIED - 1)
    const at = httpDate(MODIFIED)
    const after = httpDate(MODIFIED + 3600)
    const cases: Array<[Preconditions, 'failed' | 'not-modified' | undefined]> = [
      [{}, undefined],
      // 1. If-Match, before everything else.
      [{ifMatch: '"v1"'}, undefined],
      [{ifMatch: '"other"'}, 'failed'],
      [{ifMatch: 'W/"v1"'}, 'failed'],
      [{ifMatch: '"other"', ifNoneMatch: '"v1"'}, 'failed'],
      [{ifMatch: '"other"', ifModifiedSince: after}, 'failed'],
      [{ifMatch: '"v1"', ifNoneMatch: '"v1"'}, 'not-modified'],
      [{ifMatch: '"v1"', ifNoneMatch: '"other"'}, undefined],
      // 2. If-Unmodified-Since, only without If-Match.
      [{ifUnmodifiedSince: before}, 'failed'],
      [{ifUnmodifiedSince: at}, undefined],
      [{ifUnmodifiedSince: after}, undefined],
      [{ifMatch: '"v1"', ifUnmodifiedSince: before}, undefined],
      [{ifMatch: '*', ifUnmodifiedSince: before}, undefined],
      [{ifUnmodifiedSince: 'yesterday'}, undefined],
      [{ifUnmodifiedSince: `${before}, ${before}`}, undefined],
      [{ifModifiedSince: at, ifUnmodifiedSince: before}, 'failed'],
      [{ifModifiedSince: at, ifUnmodifiedSince: after}, 'not-modified'],
      [{ifModifiedSince: before, ifUnmodifiedSince: after}, undefined],
      // 3. If-None-Match.
      [{ifNoneMatch: '"v1"'}, 'not-modified'],
      [{ifNoneMatch: '"other"'}, undefined],
      // 4. If-Modified-Since, only without If-None-Match.
      [{ifModifiedSince: at}, 'not-modified'],
      [{ifModifiedSince: after}, 'not-modified'],
      [{ifModifiedSince: before}, undefined],
      [{ifModifiedSince: 'not a date'}, undefined],
      [{ifModifiedSince: `${after}, ${after}`}, undefined],
      [{ifModifiedSince: after, ifNoneMatch: '"other"'}, undefined],
      [{ifModifiedSince: before, ifNoneMatch: '"v1"'}, 'not-modified'],
      [{ifModifiedSince: after, ifNoneMatch: 'garbage'}, undefined],
    ]
    for (const [fields, expected] of cases) {
      it(`${JSON.stringify(fields)} → ${expected ?? 'go on'}`, () => {
        assert.equal(evaluatePreconditions(fields, validators), expected)
      })
    }

    it('judges an untagged file by its dates and by *, failing If-Match on a tag', () => {
      assert.equal(evaluatePreconditions({ifMatch: '"v1"'}, untagged), 'failed')
      assert.equal(evaluatePreconditions({ifMatch: '*'}, untagged), undefined)
      assert.equal(evaluatePreconditions({ifNoneMatch: '"v1"'}, untagged), undefined)
      assert.equal(evaluatePreconditions({ifNoneMatch: '*'}, untagged), 'not-modified')
      assert.equal(evaluatePreconditions({ifModifiedSince: at}, untagged), 'not-modified')
      assert.equal(evaluatePreconditions({ifUnmodifiedSince: before}, untagged), 'failed')
    })
  })

  describe('If-Range (§13.1.5)', () => {
    it('allows the range only for the current tag, compared strongly', () => {
      assert.equal(ifRangeAllows(undefined, validators), true)
      assert.equal(ifRangeAllows('"v1"', validators), true)
      assert.equal(ifRangeAllows(' "v1" ', validators), true)
      assert.equal(ifRangeAllows('"v0"', validators), false)
      assert.equal(ifRangeAllows('W/"v1"', validators), false)
      assert.equal(ifRangeAllows('"v1", "v1"', validators), false)
      assert.equal(ifRangeAllows('garbage', validators), false)
      assert.equal(ifRangeAllows('"v1"', untagged), false)
    })

    it('never allows it for a date, even the exact Last-Modified: a restored mtime keeps it for other bytes', () => {
      assert.equal(ifRangeAllows(httpDate(MODIFIED), validators), false)
      assert.equal(ifRangeAllows(httpDate(MODIFIED), untagged), false)
      assert.equal(ifRangeAllows(httpDate(MODIFIED + 1), validators), false)
    })
  })
})

// The conditional requests of RFC 9110 §13 as a table, each with the answer
// the image server owes it, so the same cases run through app.request(), over
// a real socket and against the CLI. Ranges ask for bytes 0-9.
import {strict as assert} from 'node:assert'
import {createHash} from 'node:crypto'

export type Header = [name: string, value: string]

export interface PreconditionCase {
  expect: 200 | 206 | 304 | 412
  /** Header lines in order; a name may repeat. */
  headers: Header[]
  method: 'GET' | 'HEAD'
  name: string
}

/** What the served file looks like to its clients. */
export interface ServedFile {
  cacheControl: string
  content: Buffer
  etag: string
  lastModified: string
}

export interface Answer {
  body: Buffer
  /** A response header by lowercase name, undefined when absent. */
  header(name: string): string | undefined
  status: number
}

/** The ETag the server owes these bytes: their SHA-256, as the README describes it. */
export function expectedTag(bytes: Uint8Array): string {
  return `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 27)}"`
}

const RANGE: Header = ['Range', 'bytes=0-9']

export function preconditionCases({etag, lastModified}: Pick<ServedFile, 'etag' | 'lastModified'>): PreconditionCase[] {
  const seconds = Date.parse(lastModified)
  const before = new Date(seconds - 1000).toUTCString()
  const after = new Date(seconds + 3_600_000).toUTCString()
  const im = (value: string): Header => ['If-Match', value]
  const ius = (value: string): Header => ['If-Unmodified-Since', value]
  const inm = (value: string): Header => ['If-None-Match', value]
  const ims = (value: string): Header => ['If-Modified-Since', value]
  const ifRange = (value: string): Header => ['If-Range', value]
  const cases: Array<[string, PreconditionCase['expect'], Header[]]> = [
    // If-Match alone: strong comparison, *, lists with empty elements and whitespace.
    ['If-Match: the tag', 200, [im(etag)]],
    ['If-Match: a list holding the tag', 200, [im(`"other", ${etag}`)]],
    ['If-Match: *', 200, [im('*')]],
    ['If-Match: empty element first', 200, [im(`"a",,${etag}`)]],
    ['If-Match: leading comma', 200, [im(`, ${etag}`)]],
    ['If-Match: empty elements around', 200, [im(`, ,${etag},`)]],
    ['If-Match: two fields, the tag in the second', 200, [im('"other"'), im(etag)]],
    ['If-Match: the weak tag (strong comparison)', 412, [im(`W/${etag}`)]],
    ['If-Match: another tag', 412, [im('"other"')]],
    ['If-Match: not a list (unquoted)', 412, [im(etag.slice(1, -1))]],
    ['If-Match: an empty list', 412, [im(',')]],
    // If-Unmodified-Since alone.
    ['If-Unmodified-Since: Last-Modified', 200, [ius(lastModified)]],
    ['If-Unmodified-Since: later', 200, [ius(after)]],
    ['If-Unmodified-Since: earlier', 412, [ius(before)]],
    ['If-Unmodified-Since: malformed (ignored)', 200, [ius('yesterday')]],
    ['If-Unmodified-Since: two fields (a list of dates, ignored)', 200, [ius(before), ius(before)]],
    // If-None-Match alone: weak comparison.
    ['If-None-Match: the tag', 304, [inm(etag)]],
    ['If-None-Match: the weak tag', 304, [inm(`W/${etag}`)]],
    ['If-None-Match: *', 304, [inm('*')]],
    ['If-None-Match: empty element first', 304, [inm(`"a",,${etag}`)]],
    ['If-None-Match: leading comma', 304, [inm(`, ${etag}`)]],
    ['If-None-Match: empty elements around', 304, [inm(`, ,${etag},`)]],
    ['If-None-Match: another tag', 200, [inm('"other"')]],
    ['If-None-Match: malformed', 200, [inm('nonsense')]],
    // If-Modified-Since alone.
    ['If-Modified-Since: Last-Modified', 304, [ims(lastModified)]],
    ['If-Modified-Since: later', 304, [ims(after)]],
    ['If-Modified-Since: earlier', 200, [ims(before)]],
    ['If-Modified-Since: malformed (ignored)', 200, [ims('0')]],
    ['If-Modified-Since: two fields (ignored)', 200, [ims(after), ims(after)]],
    ['If-Range without Range (ignored)', 200, [ifRange(etag)]],
    // The order of §13.2.2.
    ['If-Match fails before If-None-Match matches', 412, [im('"other"'), inm(etag)]],
    ['If-Match holds, If-None-Match matches', 304, [im(etag), inm(etag)]],
    ['If-Match holds, If-None-Match does not match', 200, [im(etag), inm('"other"')]],
    ['If-Match fails before If-Modified-Since', 412, [im('"other"'), ims(after)]],
    ['If-Match holds: If-Unmodified-Since is ignored', 200, [im(etag), ius(before)]],
    ['If-Unmodified-Since fails before If-Modified-Since', 412, [ius(before), ims(lastModified)]],
    ['If-Unmodified-Since holds, If-Modified-Since gives 304', 304, [ius(after), ims(lastModified)]],
    ['If-Unmodified-Since holds, modified since', 200, [ius(after), ims(before)]],
    ['If-None-Match present: If-Modified-Since is ignored', 200, [inm('"other"'), ims(after)]],
    ['If-None-Match matches whatever If-Modified-Since says', 304, [inm(etag), ims(before)]],
    // With Range, and If-Range.
    ['Range alone', 206, [RANGE]],
    ['If-Match holds, Range', 206, [im(etag), RANGE]],
    ['If-Match fails, Range', 412, [im('"other"'), RANGE]],
    ['If-Match weak, Range', 412, [im(`W/${etag}`), RANGE]],
    ['If-Unmodified-Since fails, Range', 412, [ius(before), RANGE]],
    ['If-Unmodified-Since holds, Range', 206, [ius(after), RANGE]],
    ['If-None-Match matches, Range', 304, [inm(etag), RANGE]],
    ['If-None-Match does not match, Range', 206, [inm('"other"'), RANGE]],
    ['If-Modified-Since gives 304, Range', 304, [ims(lastModified), RANGE]],
    ['If-Modified-Since earlier, Range', 206, [ims(before), RANGE]],
    // Preconditions come before the Range is even read: no 416 for these.
    ['If-Match fails, Range past the end', 412, [im('"other"'), ['Range', 'bytes=999999999999-']]],
    ['If-None-Match matches, Range past the end', 304, [inm(etag), ['Range', 'bytes=999999999999-']]],
    ['If-Range the tag', 206, [ifRange(etag), RANGE]],
    ['If-Range the weak tag', 200, [ifRange(`W/${etag}`), RANGE]],
    ['If-Range an old tag', 200, [ifRange('"old"'), RANGE]],
    ['If-Range Last-Modified (a date is never trusted)', 200, [ifRange(lastModified), RANGE]],
    ['If-Range malformed', 200, [ifRange('junk'), RANGE]],
    ['If-Match holds, If-Range the tag', 206, [im(etag), ifRange(etag), RANGE]],
    ['If-Match holds, If-Range stale', 200, [im(etag), ifRange('"old"'), RANGE]],
    ['If-Match fails before If-Range', 412, [im('"other"'), ifRange(etag), RANGE]],
    ['If-Unmodified-Since fails before If-Range', 412, [ius(before), ifRange(etag), RANGE]],
    ['If-Unmodified-Since holds, If-Range the tag', 206, [ius(after), ifRange(etag), RANGE]],
    ['If-Match and If-None-Match hold and match, If-Range', 304, [im(etag), inm(etag), ifRange(etag), RANGE]],
    ['If-None-Match matches before If-Range', 304, [inm(etag), ifRange(etag), RANGE]],
    ['If-None-Match does not match, If-Range stale', 200, [inm('"other"'), ifRange('"old"'), RANGE]],
    ['If-Modified-Since earlier, If-Range the tag', 206, [ims(before), ifRange(etag), RANGE]],
  ]
  const head: Array<[string, PreconditionCase['expect'], Header[]]> = [
    ['If-Match fails', 412, [im('"other"')]],
    ['If-Match holds', 200, [im(etag)]],
    ['If-Unmodified-Since fails', 412, [ius(before)]],
    ['If-None-Match matches', 304, [inm(etag)]],
    ['If-Modified-Since', 304, [ims(lastModified)]],
    ['Range (ignored on HEAD)', 200, [RANGE]],
    ['If-Match fails, Range', 412, [im('"other"'), RANGE]],
  ]
  return [
    ...cases.map(([name, expect, headers]) => ({expect, headers, method: 'GET' as const, name: `GET, ${name}`})),
    ...head.map(([name, expect, headers]) => ({expect, headers, method: 'HEAD' as const, name: `HEAD, ${name}`})),
  ]
}

/** Asserts `answer` is what `testCase` is owed: status, body and the headers RFC 9110 asks for. */
export function assertAnswer(testCase: PreconditionCase, answer: Answer, file: ServedFile): void {
  const label = testCase.name
  const size = file.content.length
  const bodyless = testCase.method === 'HEAD'
  assert.equal(answer.status, testCase.expect, label)
  assert.equal(answer.header('etag'), file.etag, `${label}: ETag`)
  assert.equal(answer.header('last-modified'), file.lastModified, `${label}: Last-Modified`)
  switch (testCase.expect) {
    case 200: {
      assert.equal(answer.header('content-length'), String(size), label)
      assert.equal(answer.header('cache-control'), file.cacheControl, label)
      assert.ok(answer.body.equals(bodyless ? Buffer.alloc(0) : file.content), `${label}: the whole file`)
      break
    }

    case 206: {
      assert.equal(answer.header('content-range'), `bytes 0-9/${size}`, label)
      assert.equal(answer.header('content-length'), '10', label)
      assert.ok(answer.body.equals(file.content.subarray(0, 10)), `${label}: bytes 0-9`)
      break
    }

    case 304: {
      // RFC 9110 §15.4.5: what a 200 would carry of ETag and Cache-Control; no body, no length.
      assert.equal(answer.header('cache-control'), file.cacheControl, label)
      assert.equal(answer.header('content-length'), undefined, `${label}: a 304 has no length`)
      assert.equal(answer.header('content-type'), undefined, label)
      assert.equal(answer.body.length, 0, `${label}: no body`)
      break
    }

    case 412: {
      assert.equal(answer.header('content-length'), '0', `${label}: no body`)
      assert.equal(answer.header('content-type'), undefined, label)
      assert.equal(answer.header('cache-control'), 'no-store', `${label}: never kept by a cache`)
      assert.equal(answer.body.length, 0, `${label}: no body`)
      break
    }
  }
}

import {strict as assert} from 'node:assert'

import {ResponseFramer} from '../../src/load/framer.js'
import {compileExpectation, ResponseCheck} from '../../src/load/response-check.js'

/** Frames `text` (in pieces of `size`) with a check against `expect`, and returns what the check says. */
function checked(text: string, size: number, expect = EXPECT, head = false) {
  const check = new ResponseCheck()
  const framer = new ResponseFramer(check)
  check.begin(expect, head)
  framer.expect(head)
  const bytes = Buffer.from(text, 'latin1')
  let done = false
  for (let i = 0; i < bytes.length && !done; i += size) {
    const piece = Buffer.from(bytes.subarray(i, Math.min(bytes.length, i + size)))
    done = framer.execute(piece, 0, piece.length) >= 0
  }

  if (!done) assert.equal(framer.end(true), 'complete')
  check.finish()
  return {mismatch: check.mismatch, worker: check.worker}
}

const EXPECT = compileExpectation({body: Buffer.from('hello'), contentType: 'text/html', status: 200})
const OK = 'HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Worker: 3\r\nContent-Length: 5\r\n\r\nhello'
const CHUNKED = 'HTTP/1.1 200 OK\r\ncontent-type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n2;ext=1\r\nhe\r\n3\r\nllo\r\n0\r\nTrailer: x\r\n\r\n'

describe('load/response-check', () => {
  it('passes the expected body and type, chunked or not, whatever the pieces, and reads X-Worker', () => {
    for (const text of [OK, CHUNKED]) {
      for (const size of [1, 4, 1000]) assert.equal(checked(text, size).mismatch, undefined, `${JSON.stringify(text.slice(0, 40))} in pieces of ${size}`)
    }

    assert.equal(checked(OK, 3).worker, '3')
    assert.equal(checked(CHUNKED, 3).worker, undefined)
  })

  it('names the first difference from the expectation', () => {
    const cases: [string, RegExp][] = [
      [OK.replace('hello', 'hellO'), /^body differs from byte 4$/],
      [CHUNKED.replace('0\r\nTrailer', '1\r\n!\r\n0\r\nTrailer'), /^body longer than 5 bytes$/],
      [OK.replace('text/html', 'text/plain'), /^Content-Type "text\/plain", expected "text\/html"$/],
      [OK.replace('Content-Length: 5', 'Content-Length: 4').replace('hello', 'hell'), /^Content-Length 4, expected 5$/],
      [CHUNKED.replace('3\r\nllo', '2\r\nll'), /^body of 4 bytes, expected 5$/],
      [OK.replace('Content-Type: text/html\r\n', ''), /^no Content-Type$/],
      ['HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\nhel', /^body of 3 bytes, expected 5$/],
    ]
    for (const [text, reason] of cases) assert.match(checked(text, 3).mismatch ?? '', reason, JSON.stringify(text))
    const untyped = compileExpectation({body: Buffer.from('hello'), contentType: null, status: 200})
    assert.equal(checked(OK, 3, untyped).mismatch, 'an unexpected Content-Type "text/html"')
  })

  it('compares no body for HEAD, but still the type', () => {
    const head = 'HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5\r\n\r\n'
    assert.equal(checked(head, 7, EXPECT, true).mismatch, undefined)
    assert.match(checked(head.replace('text/html', 'image/png'), 7, EXPECT, true).mismatch ?? '', /^Content-Type/)
  })

  it('starts afresh for each response', () => {
    const check = new ResponseCheck()
    const framer = new ResponseFramer(check)
    const bad = Buffer.from(OK.replace('hello', 'jello'), 'latin1')
    const good = Buffer.from(OK, 'latin1')
    check.begin(EXPECT, false)
    framer.execute(bad, 0, bad.length)
    check.finish()
    assert.equal(check.mismatch, 'body differs from byte 0')
    check.begin(EXPECT, false)
    framer.execute(good, 0, good.length)
    check.finish()
    assert.equal(check.mismatch, undefined)
  })
})

import {strict as assert} from 'node:assert'

import {compileExpectation, ParseError, ResponseFramer} from '../../src/load/framer.js'

interface Seen {
  keepAlive: boolean
  mismatch: string | undefined
  status: number
  worker: string | undefined
}

function framer() {
  const seen: Seen[] = []
  const f = new ResponseFramer(({keepAlive, mismatch, status, worker}) => seen.push({keepAlive, mismatch, status, worker}))
  return {f, seen}
}

/** Feeds `text` in pieces of `size` bytes, copied into one reused buffer as the engine's reads are. */
function feed(f: ResponseFramer, text: string | Buffer, size = Number.POSITIVE_INFINITY) {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'latin1') : text
  const reused = Buffer.alloc(64 * 1024, 0x41)
  for (let i = 0; i < bytes.length; i += size) {
    const piece = bytes.subarray(i, Math.min(bytes.length, i + size))
    piece.copy(reused, 0)
    f.execute(reused, 0, piece.length)
  }
}

const OK = 'HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Worker: 3\r\nContent-Length: 5\r\n\r\nhello'
const CHUNKED =
  'HTTP/1.1 200 OK\r\ncontent-type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n' +
  '2;ext=1\r\nhe\r\n3\r\nllo\r\n0\r\nTrailer: x\r\n\r\n'

describe('load/framer', () => {
  it('frames a Content-Length response and reads status, X-Worker and keep-alive', () => {
    const {f, seen} = framer()
    feed(f, OK)
    assert.deepEqual(seen, [{keepAlive: true, mismatch: undefined, status: 200, worker: '3'}])
    assert.equal(f.midResponse, false)
  })

  it('frames the same responses whatever the read boundaries', () => {
    const text = OK + CHUNKED + 'HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n'
    for (const size of [1, 2, 3, 7, 50, text.length]) {
      const {f, seen} = framer()
      feed(f, text, size)
      assert.deepEqual(
        seen.map((s) => s.status),
        [200, 200, 404],
        `pieces of ${size}`,
      )
      assert.equal(f.midResponse, false)
    }
  })

  it('checks the body, type and length against an expectation, chunked or not', () => {
    const expect = compileExpectation({body: Buffer.from('hello'), contentType: 'text/html', status: 200})
    for (const text of [OK, CHUNKED]) {
      for (const size of [1, 4, 1000]) {
        const {f, seen} = framer()
        f.expect = expect
        feed(f, text, size)
        assert.equal(seen[0].mismatch, undefined, `${JSON.stringify(text.slice(0, 40))} in pieces of ${size}`)
      }
    }

    const cases: [string, RegExp][] = [
      [OK.replace('hello', 'hellO'), /body differs from byte 4/],
      [CHUNKED.replace('0\r\nTrailer', '1\r\n!\r\n0\r\nTrailer'), /body longer than 5 bytes/],
      [OK.replace('text/html', 'text/plain'), /Content-Type "text\/plain", expected "text\/html"/],
      [OK.replace('Content-Length: 5', 'Content-Length: 4').replace('hello', 'hell'), /Content-Length 4, expected 5/],
      [CHUNKED.replace('3\r\nllo', '2\r\nll'), /body of 4 bytes, expected 5/],
      [OK.replace('Content-Type: text/html\r\n', ''), /no Content-Type/],
    ]
    for (const [text, reason] of cases) {
      const {f, seen} = framer()
      f.expect = expect
      feed(f, text, 3)
      assert.equal(seen.length, 1)
      assert.match(seen[0].mismatch ?? '', reason)
    }
  })

  it('knows a HEAD response, 204 and 304 have no body', () => {
    const {f, seen} = framer()
    f.headRequest = true
    feed(f, 'HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n')
    assert.equal(seen.length, 1)
    f.headRequest = false
    feed(f, 'HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\nHTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n')
    assert.deepEqual(
      seen.map((s) => s.status),
      [200, 204, 304],
    )
  })

  it('skips interim 1xx responses', () => {
    const {f, seen} = framer()
    feed(f, 'HTTP/1.1 100 Continue\r\n\r\n' + OK, 5)
    assert.deepEqual(
      seen.map((s) => s.status),
      [200],
    )
  })

  it('reads a body delimited by the close, and HTTP/1.0 and Connection: close end keep-alive', () => {
    const {f, seen} = framer()
    feed(f, 'HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end')
    assert.equal(seen.length, 0)
    assert.equal(f.end(), 'complete')
    assert.equal(seen[0].keepAlive, false)

    const close = framer()
    feed(close.f, 'HTTP/1.1 200 OK\r\nConnection: Close\r\nContent-Length: 0\r\n\r\n')
    assert.equal(close.seen[0].keepAlive, false)
    const keep = framer()
    feed(keep.f, 'HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n')
    assert.equal(keep.seen[0].keepAlive, true)
  })

  it('tells a response cut short from an idle close', () => {
    const {f} = framer()
    assert.equal(f.end(), 'idle')
    feed(f, OK.slice(0, OK.length - 2))
    assert.equal(f.end(), 'truncated')
    const head = framer()
    feed(head.f, 'HTTP/1.1 200 OK\r\nContent-')
    assert.equal(head.f.end(), 'truncated')
  })

  it('rejects what is not HTTP/1.x', () => {
    const bad = [
      'SSH-2.0-OpenSSH\r\n\r\n',
      'HTTP/1.1 2x0 OK\r\n\r\n',
      'HTTP/1.1 200 OK\r\nContent-Length: five\r\n\r\n',
      'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n',
      'HTTP/1.1 200 OK\r\nno colon here\r\n\r\n',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabXY',
    ]
    for (const text of bad) {
      const {f} = framer()
      assert.throws(() => feed(f, text), ParseError, JSON.stringify(text))
    }

    const {f} = framer()
    assert.throws(() => feed(f, 'HTTP/1.1 200 OK\r\nX: ' + 'a'.repeat(70_000), 1000), /no end of line/)
  })

  it('stops parsing a read once reset for a new connection', () => {
    const seen: number[] = []
    const f: ResponseFramer = new ResponseFramer((r) => {
      seen.push(r.status)
      r.reset()
    })
    feed(f, OK + OK)
    assert.deepEqual(seen, [200])
  })
})

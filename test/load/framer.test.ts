import {strict as assert} from 'node:assert'

import {MAX_CHUNK_LINE_BYTES, MAX_FIELDS, MAX_HEAD_BYTES, ParseError, type ResponseFramer} from '../../src/load/framer.js'
import {type FramedResponse, frameAll, recordingFramer, type RecordingSink} from '../support/frames.js'

/** Feeds `text` in pieces of `size` bytes, copied into one reused buffer as the engine's reads are. */
function feed(framer: ResponseFramer, sink: RecordingSink, text: Buffer | string, size = Number.POSITIVE_INFINITY): FramedResponse[] {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'latin1') : text
  const reused = Buffer.alloc(64 * 1024, 0x41)
  for (let i = 0; i < bytes.length; i += size) {
    const piece = bytes.subarray(i, Math.min(bytes.length, i + size))
    piece.copy(reused, 0)
    frameAll(framer, reused, () => sink.done(framer), 0, piece.length)
  }

  return sink.responses
}

function frame(text: Buffer | string, size?: number, head = false) {
  const {framer, sink} = recordingFramer()
  framer.expect(head)
  const responses = feed(framer, sink, text, size)
  return {framer, responses, sink}
}

const rejects = (text: string, reason?: RegExp, size?: number) =>
  assert.throws(() => frame(text, size), (error: Error) => error instanceof ParseError && (!reason || reason.test(error.message)), JSON.stringify(text.slice(0, 120)))

const OK = 'HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Worker: 3\r\nContent-Length: 5\r\n\r\nhello'
const CHUNKED =
  'HTTP/1.1 200 OK\r\ncontent-type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n' +
  '2;ext=1\r\nhe\r\n3\r\nllo\r\n0\r\nTrailer: x\r\n\r\n'

describe('load/framer', () => {
  it('frames a Content-Length response and hands every field line to the sink', () => {
    const {framer, responses} = frame(OK)
    assert.deepEqual(responses, [
      {
        bodyBytes: 5,
        fields: [
          ['Content-Type', 'text/html'],
          ['X-Worker', '3'],
          ['Content-Length', '5'],
        ],
        keepAlive: true,
        status: 200,
      },
    ])
    assert.equal(framer.midResponse, false)
  })

  it('stops after each response and says where the next bytes start', () => {
    const {framer, sink} = recordingFramer()
    const data = Buffer.from(OK + OK, 'latin1')
    assert.equal(framer.execute(data, 0, data.length), OK.length)
    sink.done(framer)
    assert.equal(framer.execute(data, OK.length, data.length), data.length)
    assert.equal(framer.execute(data, 0, 10), -1, 'an incomplete head')
  })

  it('frames the same responses whatever the read boundaries', () => {
    const text = OK + CHUNKED + 'HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n'
    const whole = frame(text).responses
    assert.deepEqual(
      whole.map((r) => [r.status, r.bodyBytes]),
      [
        [200, 5],
        [200, 5],
        [404, 0],
      ],
    )
    for (const size of [1, 2, 3, 7, 50]) {
      const {framer, responses} = frame(text, size)
      assert.deepEqual(responses, whole, `pieces of ${size}`)
      assert.equal(framer.midResponse, false)
    }
  })

  it('knows a HEAD response, 204 and 304 have no body (RFC 9112 §6.3)', () => {
    assert.deepEqual(
      frame('HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n', undefined, true).responses.map((r) => r.bodyBytes),
      [0],
    )
    const {responses} = frame('HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\nHTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n')
    assert.deepEqual(
      responses.map((r) => r.status),
      [204, 304],
    )
  })

  it('skips interim 1xx responses, their fields unseen, and ends at a 101', () => {
    const {responses} = frame('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n' + OK, 5)
    assert.deepEqual(
      responses.map((r) => [r.status, r.fields.length]),
      [[200, 3]],
    )
    const {framer, sink} = recordingFramer()
    const switching = 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n'
    const data = Buffer.from(switching + '\x81\x05hello' + OK, 'latin1')
    assert.equal(framer.execute(data, 0, data.length), switching.length)
    assert.equal(framer.execute(data, switching.length, data.length), -1, 'what follows is not framed')
    assert.equal(framer.upgraded, true)
    assert.equal(framer.keepAlive, false)
    assert.equal(sink.done(framer).status, 101)
  })

  it('reads a body delimited by a clean close only, and keep-alive by version and Connection', () => {
    const close = 'HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end'
    const clean = frame(close)
    assert.equal(clean.responses.length, 0)
    assert.equal(clean.framer.end(true), 'complete')
    assert.equal(clean.sink.done(clean.framer).bodyBytes, 'until the end'.length)
    assert.equal(clean.framer.keepAlive, false)
    // RFC 9112 §8: a close-delimited body ended by a reset is incomplete.
    assert.equal(frame(close).framer.end(false), 'truncated')

    const keep = (text: string) => frame(text).responses[0].keepAlive
    assert.equal(keep('HTTP/1.1 200 OK\r\nConnection: Close\r\nContent-Length: 0\r\n\r\n'), false)
    assert.equal(keep('HTTP/1.1 200 OK\r\nConnection: upgrade, close\r\nContent-Length: 0\r\n\r\n'), false)
    assert.equal(keep('HTTP/1.1 200 OK\r\nConnection: closed\r\nContent-Length: 0\r\n\r\n'), true)
    assert.equal(keep('HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n'), true)
    assert.equal(keep('HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n'), false)
    assert.equal(keep('HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nConnection: close\r\nContent-Length: 0\r\n\r\n'), false)
    assert.equal(keep('HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'), false)
  })

  it('tells a response cut short from an idle close', () => {
    const {framer} = frame('')
    assert.equal(framer.end(true), 'idle')
    assert.equal(frame(OK.slice(0, -2)).framer.end(true), 'truncated')
    assert.equal(frame('HTTP/1.1 200 OK\r\nContent-').framer.end(true), 'truncated')
    assert.equal(frame(CHUNKED.slice(0, -2)).framer.end(true), 'truncated')
  })

  it('frames Transfer-Encoding as a list whose final coding must be exactly chunked (RFC 9112 §6.1, §6.3)', () => {
    const body = '2\r\nhi\r\n0\r\n\r\n'
    const chunked = (te: string) => {
      const {framer, responses} = frame(`HTTP/1.1 200 OK\r\n${te}\r\n\r\n${body}`)
      if (responses.length === 1) return true
      assert.equal(framer.end(true), 'complete', te)
      return false
    }

    assert.equal(chunked('Transfer-Encoding: chunked'), true)
    assert.equal(chunked('Transfer-Encoding: CHUNKED'), true)
    assert.equal(chunked('Transfer-Encoding: gzip, chunked'), true)
    assert.equal(chunked('Transfer-Encoding: , chunked'), true)
    // node:http reads "chunked," as not chunked: refused rather than framed either way.
    rejects(`HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked ,\r\n\r\n${body}`, /comma after/)
    assert.equal(chunked('Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked'), true)
    assert.equal(chunked('Transfer-Encoding: xchunked'), false)
    assert.equal(chunked('Transfer-Encoding: chunkedx'), false)
    assert.equal(chunked('Transfer-Encoding: chunked, gzip'), false)
    assert.equal(chunked('Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip'), false)
    // node:http reads "chunked<TAB>" as another coding, the RFC as chunked: trusted by neither.
    rejects('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\t\r\n\r\n' + body, /a tab after/)
    rejects('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\n' + body, /both/)
    rejects('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n' + body, /both/)
  })

  it('reads chunk sizes as hex digits with optional extensions and nothing else (RFC 9112 §7.1)', () => {
    const ok = (line: string) => frame(`HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${line}\r\nhi\r\n0\r\n\r\n`).responses[0].bodyBytes
    assert.equal(ok('2'), 2)
    assert.equal(ok('0002'), 2)
    assert.equal(ok('2;a'), 2)
    assert.equal(ok('2;a=b;c=d'), 2)
    assert.equal(ok('2;a="b c;\\" d"'), 2)
    for (const line of ['2zz', '2 ', ' 2', '0x2', '2;', '2;=b', '2; a=b', '2;a=', '2;a="b', '2;a=b c', '-2', '']) {
      rejects(`HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${line}\r\nhi\r\n0\r\n\r\n`, undefined)
    }

    rejects('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffff\r\n', /too large/)
    rejects('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2;' + 'a'.repeat(MAX_CHUNK_LINE_BYTES) + '\r\nhi\r\n0\r\n\r\n', /4096/, 100)
  })

  it('needs exactly CRLF after chunk data, and reads trailers as field lines', () => {
    for (const after of ['\r\r\r\r\r\n', '\n', 'X\r\n', '\r']) {
      rejects(`HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi${after}0\r\n\r\n`, /CRLF/)
    }

    assert.equal(frame(CHUNKED).responses.length, 1)
    rejects('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nno colon\r\n\r\n', /colon/)
    const many = Array.from({length: MAX_FIELDS + 1}, (_, i) => `T${i}: x\r\n`).join('')
    rejects(`HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n${many}\r\n`, /header lines/)
  })

  it('reads the status line strictly: HTTP/1.0 or 1.1, SP, three digits, then SP or the end (RFC 9112 §4)', () => {
    assert.equal(frame('HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n').responses[0].status, 200)
    assert.equal(frame('HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n').responses[0].status, 200)
    assert.equal(frame('HTTP/1.1 599 Odd\tbut fine\r\nContent-Length: 0\r\n\r\n').responses[0].status, 599)
    assert.equal(frame('HTTP/1.1 999 Whatever\r\nContent-Length: 0\r\n\r\n').responses[0].status, 999)
    for (const line of [
      'HTTP/1.1 2000 OK',
      'HTTP/1.1 200x OK',
      'HTTP/1.1 20 OK',
      'HTTP/1.1  200 OK',
      'HTTP/1.1 099 Low',
      'HTTP/1.2 200 OK',
      'HTTP/2.0 200 OK',
      'HTTP/0.9 200 OK',
      'http/1.1 200 OK',
      'HTTP/1.1 200 O\u0001K',
      'HTTP/1.1 200\rOK',
      'SSH-2.0-OpenSSH',
    ]) {
      rejects(`${line}\r\nContent-Length: 0\r\n\r\n`)
    }
  })

  it('needs CRLF line ends and token names, and refuses control characters in values', () => {
    for (const head of [
      'HTTP/1.1 200 OK\nContent-Length: 0\n\n',
      'HTTP/1.1 200 OK\r\nContent-Length: 0\n\r\n',
      'HTTP/1.1 200 OK\r\nX-A : a\r\nContent-Length: 0\r\n\r\n',
      'HTTP/1.1 200 OK\r\n: a\r\nContent-Length: 0\r\n\r\n',
      'HTTP/1.1 200 OK\r\nX(A: a\r\nContent-Length: 0\r\n\r\n',
      'HTTP/1.1 200 OK\r\nno colon here\r\n\r\n',
      'HTTP/1.1 200 OK\r\nX-A: a\u0000b\r\nContent-Length: 0\r\n\r\n',
      'HTTP/1.1 200 OK\r\nX-A: a\rb\r\nContent-Length: 0\r\n\r\n',
      'HTTP/1.1 200 OK\r\nX-A: a\u007fb\r\nContent-Length: 0\r\n\r\n',
      'HTTP/1.1 200 OK\r\n X-A: a\r\nContent-Length: 0\r\n\r\n',
    ]) {
      rejects(head)
    }

    // What is not HTTP/1.x is refused at its first bytes, and a bare LF as soon as it arrives, not after a timeout.
    rejects('<html>', /not an HTTP/)
    rejects('HTTP/2', /not an HTTP/)
    assert.equal(frame('HTTP/1').framer.midResponse, true)
    rejects('HTTP/1.1 200 OK\r\nX-A: b\n', /without CR/)
    assert.deepEqual(frame('HTTP/1.1 200 OK\r\nX-A: a\u00ffb\r\nContent-Length: 0\r\n\r\n').responses[0].fields[0], ['X-A', 'a\u00ffb'])
  })

  it('replaces obs-fold with a space (RFC 9112 §5.2), in any field, framing ones too', () => {
    const {responses} = frame('HTTP/1.1 200 OK\r\nX-A: one \r\n  two\r\n\tthree\r\nTransfer-Encoding: gzip,\r\n chunked\r\n\r\n0\r\n\r\n', 3)
    assert.deepEqual(responses[0].fields, [
      ['X-A', 'one two three'],
      ['Transfer-Encoding', 'gzip, chunked'],
    ])
    rejects('HTTP/1.1 200 OK\r\nX-A: one\r\n t\u0001wo\r\nContent-Length: 0\r\n\r\n', /control/)
  })

  it('reads Content-Length as one non-negative decimal (RFC 9110 §8.6)', () => {
    assert.equal(frame('HTTP/1.1 200 OK\r\nContent-Length:\t 2 \r\n\r\nhi').responses[0].bodyBytes, 2)
    for (const value of ['five', '+2', '-2', '2 2', '2, 2', '0x2', '', '99999999999999999999', '2\t']) {
      rejects(`HTTP/1.1 200 OK\r\nContent-Length: ${value}\r\n\r\nhi`, /Content-Length/)
    }

    // node:http refuses a second Content-Length even when it agrees; so does the framer.
    rejects('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nhi', /more than one/)
    rejects('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nhi', /more than one/)
  })

  it('enforces its limits on the head, however it arrives', () => {
    const long = 'HTTP/1.1 200 ' + 'O'.repeat(70_000) + '\r\nContent-Length: 0\r\n\r\n'
    for (const size of [1000, 40_000, 65_536]) rejects(long, /65536/, size)
    const near = 'HTTP/1.1 200 OK\r\nX: ' + 'a'.repeat(MAX_HEAD_BYTES - 44) + '\r\nContent-Length: 0\r\n\r\n'
    assert.equal(Buffer.byteLength(near, 'latin1') <= MAX_HEAD_BYTES, true)
    assert.equal(frame(near, 1000).responses.length, 1)
    rejects('HTTP/1.1 200 OK\r\nX: ' + 'a'.repeat(70_000), /65536/, 1000)
    const many = Array.from({length: MAX_FIELDS + 1}, (_, i) => `X-${i}: x\r\n`).join('')
    rejects(`HTTP/1.1 200 OK\r\n${many}\r\n`, /header lines/)
  })

  it('decides the same for a head it has seen, and afresh for one that differs by a byte', () => {
    const head = (length: number, connection = 'keep-alive') =>
      `HTTP/1.1 200 OK\r\nX-Worker: 7\r\nConnection: ${connection}\r\nContent-Length: ${length}\r\n\r\n`
    const {framer, sink} = recordingFramer()
    const texts = [head(2) + 'hi', head(2) + 'ho', head(3) + 'hey', head(3, 'close') + 'hey', head(3, 'close') + 'hey']
    const seen = texts.map((text) => feed(framer, sink, text, 7).at(-1)!)
    assert.deepEqual(
      seen.map((r) => [r.bodyBytes, r.keepAlive, r.fields.length, r.fields[0][1]]),
      [
        [2, true, 3, '7'],
        [2, true, 3, '7'],
        [3, true, 3, '7'],
        [3, false, 3, '7'],
        [3, false, 3, '7'],
      ],
    )
    assert.deepEqual(seen[1].fields, seen[0].fields, 'the same field lines, handed over again')
    // A folded head's values are not in its bytes: the second one is unfolded again.
    const folded = 'HTTP/1.1 200 OK\r\nX-A: one\r\n two\r\nContent-Length: 0\r\n\r\n'
    assert.deepEqual(
      frame(folded + folded).responses.map((r) => r.fields[0]),
      [
        ['X-A', 'one two'],
        ['X-A', 'one two'],
      ],
    )
    // An interim head in between leaves the kept one as it was.
    const interim = 'HTTP/1.1 100 Continue\r\n\r\n' + head(2) + 'hi'
    assert.deepEqual(
      frame(head(2) + 'hi' + interim + interim).responses.map((r) => r.fields.length),
      [3, 3, 3],
    )
    // A malformed head never matches a good one: it differs in a byte.
    const {framer: again, sink: its} = recordingFramer()
    feed(again, its, head(2) + 'hi')
    assert.throws(() => feed(again, its, head(2).replace('X-Worker', 'X Worker') + 'hi'), ParseError)
  })

  it('starts afresh for a new connection', () => {
    const {framer, sink} = recordingFramer()
    feed(framer, sink, OK.slice(0, 30))
    assert.equal(framer.midResponse, true)
    framer.reset()
    sink.current = {bodyBytes: 0, fields: [], keepAlive: true, status: 0}
    assert.equal(feed(framer, sink, OK).length, 1)
  })
})

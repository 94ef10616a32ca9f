// Misbehaving HTTP/1.1 servers, and what `webkit load-test` must make of each.
// Every case is a raw server (test/support/hostile-target.ts) that keeps its own
// count of the requests it read and the correct answers it sent; the suite runs
// the built CLI against it as a user would and holds the report to that count.
// A few well-behaved servers sit among them, so a tester that fails everything
// cannot pass either. Where it is a question of parsing one response, `nodeHttp`
// records what node:http's own client (llhttp) makes of the same bytes; the
// suite checks that too, so the deliberate differences stay few and visible.
import {strict as assert} from 'node:assert'

import type {Behaviour, HostileConnection, HostileStats} from '../support/hostile-target.js'

export type Report = Record<string, any>

export interface HostileCase {
  /** load-test flags besides --url and --json. */
  args: string[]
  /** Extra assertions on the report, with the server's own count. */
  check?(report: Report, stats: HostileStats): void
  /** Seconds after which a run still going counts as hung (generous: the machine is shared). */
  endsWithin: number
  /** 0: every response was right. 1: something was wrong. */
  exit: 0 | 1
  /** Failure kinds the report must count, each at least once. */
  kinds?: string[]
  name: string
  /** What node:http's client makes of these responses: every one read ('accepts'), or an error ('rejects'). */
  nodeHttp?: 'accepts' | 'rejects'
  /** The only failure kinds allowed; defaults to `kinds` (none when the exit is 0). */
  only?: string[]
  /** Times to run it: a race is tried more than once. */
  runs?: number
  /** A fresh server behaviour for each run. */
  serve(): Behaviour
}

/** Many requests, each fast: the user's usual run, bounded by the request count. */
const MANY = ['-c', '4', '-n', '2000', '--timeout', '1']
/** One second of load: for servers that may leave requests to time out, bounded by the clock whatever the tester does. */
const SECOND = ['-c', '4', '-d', '1', '--timeout', '0.5']
/** A few requests that will time out: bounded by the timeout. */
const FEW = ['-c', '4', '-n', '4', '--timeout', '0.5']
/** The same with a 1 s timeout: long enough to stream a lot, or to trickle part of an answer. */
const FEW_SLOW = ['-c', '4', '-n', '4', '--timeout', '1']

const OK = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'

/** Answers every request with `raw`; `valid` says whether that is a correct answer. */
function answer(raw: Buffer | string, valid: boolean): () => Behaviour {
  return () => ({
    onRequest(c) {
      c.send(raw, valid)
    },
  })
}

/** A body that never ends, after `head`: the socket is written as fast as it takes bytes. */
function endless(head: string): () => Behaviour {
  const chunk = Buffer.alloc(64 * 1024, 'x')
  return () => ({
    onRequest(c) {
      if (c.requests > 1) return
      c.send(head)
      c.stream(chunk)
    },
  })
}

/** Writes `raw` a byte at a time, one every `ms`; it counts as valid once the last byte is out. */
function trickle(c: HostileConnection, raw: string, ms: number, valid: boolean): void {
  let i = 0
  const next = () => {
    c.send(raw[i], valid && i === raw.length - 1)
    if (++i < raw.length) c.later(ms, next)
  }

  next()
}

const chunked = (body: string) => `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${body}`
const withHeaders = (headers: string) => `HTTP/1.1 200 OK\r\n${headers}Content-Length: 2\r\n\r\nok`

export const HOSTILE_CASES: HostileCase[] = [
  // --- Well-behaved servers: every response right, exit 0 -------------------------
  {
    name: 'a well-behaved server (the control)',
    serve: answer('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Worker: 1\r\nContent-Length: 2\r\n\r\nok', true),
    args: MANY,
    endsWithin: 10,
    exit: 0,
    nodeHttp: 'accepts',
    check(report) {
      assert.equal(report.requests.total, 2000)
      assert.deepEqual(report.workers, {'1': 2000})
    },
  },
  {
    name: 'a well-behaved server, --threads 2',
    serve: answer(OK, true),
    args: [...MANY, '--threads', '2'],
    endsWithin: 10,
    exit: 0,
    check(report) {
      assert.equal(report.requests.ok, 2000, 'exactly -n over two threads')
    },
  },
  {
    name: 'a well-behaved server, --rate 400',
    serve: answer(OK, true),
    args: ['-c', '4', '-n', '200', '--rate', '400', '--timeout', '1'],
    endsWithin: 8,
    exit: 0,
    check(report) {
      assert.equal(report.requests.ok, 200)
      assert.equal(report.rate, 400)
    },
  },
  {
    name: 'a well-behaved server, closed loop for 1 s',
    serve: answer(OK, true),
    args: ['-c', '4', '-d', '1', '--timeout', '1'],
    endsWithin: 8,
    exit: 0,
    check(report) {
      assert.ok(report.requests.ok > 100, `${report.requests.ok} ok in a second`)
    },
  },
  {
    // RFC 9112 section 4: a client ignores the reason phrase. The space before it is the
    // server's to send, but a line ending at the code is read by node:http too.
    name: 'a status line with no reason phrase, or an empty one',
    serve: () => ({
      onRequest(c) {
        c.send(c.requests % 2 ? 'HTTP/1.1 200\r\nContent-Length: 2\r\n\r\nok' : 'HTTP/1.1 200 \r\nContent-Length: 2\r\n\r\nok', true)
      },
    }),
    args: MANY,
    endsWithin: 10,
    exit: 0,
    nodeHttp: 'accepts',
  },
  {
    // RFC 9112 section 7.1.1 and 7.1.2: extensions after ';' and a trailer section are part of chunked framing.
    name: 'chunked with extensions, upper-case hex, leading zeros and a trailer',
    serve: answer(chunked('2;name=value;q="a b"\r\nok\r\n00A\r\n0123456789\r\n0\r\nX-Trailer: 1\r\n\r\n'), true),
    args: MANY,
    endsWithin: 10,
    exit: 0,
    nodeHttp: 'accepts',
  },
  {
    // RFC 9112 section 7: transfer codings are case-insensitive; chunked is the final coding.
    name: 'Transfer-Encoding: CHUNKED in capitals, with spaces around it',
    serve: answer('HTTP/1.1 200 OK\r\nTransfer-Encoding:   CHUNKED  \r\n\r\n2\r\nok\r\n0\r\n\r\n', true),
    args: MANY,
    endsWithin: 10,
    exit: 0,
    nodeHttp: 'accepts',
  },
  {
    // RFC 9112 section 5.2: a user agent that receives obs-fold in a response replaces
    // it with spaces. node:http's client rejects it: a deliberate difference.
    name: 'obs-fold in a response header (valid: replaced by spaces)',
    serve: answer(withHeaders('X-Folded: a\r\n b\r\n\tc\r\n'), true),
    args: MANY,
    endsWithin: 10,
    exit: 0,
    nodeHttp: 'rejects',
  },
  {
    // RFC 9110 section 8.6 lets a recipient accept a Content-Length repeated with the
    // same value, but node:http rejects any duplicate, and what node:http refuses is
    // never counted ok: refused here too.
    name: 'two Content-Length headers that agree',
    serve: answer('HTTP/1.1 200 OK\r\nContent-Length: 2\r\ncontent-length: 2\r\n\r\nok', false),
    args: MANY,
    endsWithin: 10,
    exit: 1,
    kinds: ['parse-error'],
    nodeHttp: 'rejects',
  },
  {
    // RFC 9110 section 15.2: interim responses precede the final one, which answers the request.
    name: '1xx interim responses (100, 102, 103 with a header) before the final 200',
    serve: answer(
      'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </s.css>; rel=preload\r\n\r\n' + OK,
      true,
    ),
    args: MANY,
    endsWithin: 10,
    exit: 0,
    nodeHttp: 'accepts',
  },
  {
    // RFC 9112 section 9.3: HTTP/1.0 without keep-alive, and Connection: close, end the
    // connection after the response; the client must close it even if the server does not.
    name: 'HTTP/1.0 and Connection: close answers on connections the server leaves open',
    serve: () => ({
      onRequest(c) {
        c.send(c.stats.requests % 2 ? 'HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok' : 'HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok', true)
      },
    }),
    args: ['-c', '4', '-n', '500', '--timeout', '1'],
    endsWithin: 10,
    exit: 0,
    nodeHttp: 'accepts',
    check(report, stats) {
      assert.equal(report.requests.ok, 500)
      assert.ok(stats.connections >= 500, `a connection per request, got ${stats.connections}`)
    },
  },
  {
    // RFC 9112 section 6.3 rule 8: no length and no chunking: the body ends at the close (a clean FIN).
    name: 'a body delimited by a clean close',
    serve: () => ({
      onRequest(c) {
        c.send('HTTP/1.1 200 OK\r\n\r\nthe body runs to the close', true)
        c.socket.end()
      },
    }),
    args: ['-c', '4', '-n', '500', '--timeout', '1'],
    endsWithin: 10,
    exit: 0,
    check(report) {
      assert.equal(report.requests.ok, 500)
    },
  },
  {
    // Framing must not depend on read boundaries: every byte is its own write, 2 ms apart.
    name: 'a chunked response trickled a byte at a time (within the timeout)',
    serve: () => ({
      onRequest(c) {
        trickle(c, chunked('5;x=y\r\nhello\r\n0\r\n\r\n'), 2, true)
      },
    }),
    args: ['-c', '4', '-n', '16', '--timeout', '2'],
    endsWithin: 10,
    exit: 0,
    check(report) {
      assert.equal(report.requests.ok, 16)
    },
  },
  {
    // A pool gives a connection to one worker, so names that change on every response
    // are a lie the tester cannot see; what it must do is report exactly what was said,
    // and keep its JSON whole whatever the names contain.
    name: 'a lying X-Worker: another name on every response, with quotes and braces in the names',
    serve() {
      const names = ['w"1', 'w}2', '{"w":3}', 'w\\4']
      let i = 0
      return {
        onRequest(c) {
          c.send(`HTTP/1.1 200 OK\r\nX-Worker: ${names[i++ % names.length]}\r\nContent-Length: 2\r\n\r\nok`, true)
        },
      }
    },
    args: [...MANY, '--expect-workers', '4'],
    endsWithin: 10,
    exit: 0,
    check(report) {
      assert.deepEqual(report.workers, {'w"1': 500, 'w}2': 500, '{"w":3}': 500, 'w\\4': 500})
    },
  },
  {
    // RFC 9110 section 15.4.5: a 304 has no body; its Content-Length describes the representation.
    name: '304 with a Content-Length and no body (--expect-status 304)',
    serve: answer('HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\nETag: "x"\r\n\r\n', true),
    args: [...MANY, '--expect-status', '304'],
    endsWithin: 10,
    exit: 0,
    nodeHttp: 'accepts',
  },

  // --- The six of issue 17 -----------------------------------------------------------
  {
    // Each answer is followed, in the same write, by a second response nobody asked for.
    name: 'a duplicate unsolicited response in the same write (closed loop)',
    serve: answer(OK + OK, true),
    args: MANY,
    endsWithin: 10,
    exit: 1,
    kinds: ['unsolicited'],
  },
  {
    name: 'a duplicate unsolicited response in the same write, --threads 2',
    serve: answer(OK + OK, true),
    args: [...MANY, '--threads', '2'],
    endsWithin: 10,
    exit: 1,
    kinds: ['unsolicited'],
  },
  {
    name: 'a duplicate unsolicited response in the same write, --rate 400',
    serve: answer(OK + OK, true),
    args: ['-c', '4', '-n', '200', '--rate', '400', '--timeout', '1'],
    endsWithin: 8,
    exit: 1,
    kinds: ['unsolicited'],
  },
  {
    name: 'a duplicate unsolicited response in the same write, closed loop for 1 s',
    serve: answer(OK + OK, true),
    args: ['-c', '4', '-d', '1', '--timeout', '1'],
    endsWithin: 8,
    exit: 1,
    kinds: ['unsolicited'],
  },
  {
    // RFC 9112 section 4: status-code = 3DIGIT.
    name: 'a four-digit status code: HTTP/1.1 2000 OK',
    serve: answer('HTTP/1.1 2000 OK\r\nContent-Length: 2\r\n\r\nok', false),
    args: MANY,
    endsWithin: 10,
    exit: 1,
    kinds: ['parse-error'],
    nodeHttp: 'rejects',
  },
  {
    name: 'a status code with a letter after it: HTTP/1.1 200x OK',
    serve: answer('HTTP/1.1 200x OK\r\nContent-Length: 2\r\n\r\nok', false),
    args: MANY,
    endsWithin: 10,
    exit: 1,
    kinds: ['parse-error'],
    nodeHttp: 'rejects',
  },
  {
    // RFC 9112 section 7.1: chunk-size = 1*HEXDIG, then only a chunk extension after ';'.
    name: 'chunk-size line 2zz',
    serve: answer(chunked('2zz\r\nok\r\n0\r\n\r\n'), false),
    args: MANY,
    endsWithin: 10,
    exit: 1,
    kinds: ['parse-error'],
    nodeHttp: 'rejects',
  },
  {
    // RFC 9112 section 7.1: chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF.
    name: 'CR CR CR CR CR LF after the chunk data',
    serve: answer(chunked('2\r\nok\r\r\r\r\r\n0\r\n\r\n'), false),
    args: MANY,
    endsWithin: 10,
    exit: 1,
    kinds: ['parse-error'],
    nodeHttp: 'rejects',
  },
  {
    // RFC 9112 section 8: a close-delimited body cut by an error (here a reset) is incomplete.
    name: 'a close-delimited body cut by a reset',
    serve: () => ({
      onRequest(c) {
        c.send('HTTP/1.1 200 OK\r\n\r\nthe first half of a body')
        // Later: a reset straight after a write goes out as a FIN.
        setTimeout(() => c.socket.resetAndDestroy(), 5)
      },
    }),
    args: ['-c', '4', '-n', '500', '--timeout', '1'],
    endsWithin: 10,
    exit: 1,
    kinds: ['truncated'],
    // Where the reset overtakes the bytes, the kernel drops them unread.
    only: ['truncated', 'reset'],
  },
  {
    // RFC 9112 section 6.3 rule 4: a final coding other than chunked leaves the body to the
    // close; this server never closes, so the right answer is a timeout, never an ok.
    name: 'Transfer-Encoding: xchunked (not chunked: the body runs to the close, which never comes)',
    serve: answer('HTTP/1.1 200 OK\r\nTransfer-Encoding: xchunked\r\n\r\n2\r\nok\r\n0\r\n\r\n', false),
    args: FEW,
    endsWithin: 6,
    exit: 1,
    kinds: ['timeout'],
  },
  {
    // A reset is not a refusal: the server is there. Only ECONNREFUSED means nothing listens.
    // It was a race (the probe saw the reset or not), so the run is repeated.
    name: 'a server that resets every connection on accept',
    serve: () => ({
      onConnection(c) {
        c.socket.resetAndDestroy()
      },
    }),
    args: ['-c', '4', '-n', '100', '--timeout', '1'],
    endsWithin: 10,
    exit: 1,
    kinds: ['reset'],
    runs: 3,
    check(report, stats) {
      assert.equal(report.requests.failed, 100, 'every request counted')
      assert.ok(stats.connections > 4, `the tester kept connecting: ${stats.connections} connections`)
    },
  },

  // --- Content-Length ----------------------------------------------------------------
  {
    // RFC 9110 section 8.6: Content-Length = 1*DIGIT.
    name: 'Content-Length: abc',
    serve: answer('HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\nok', false),
    args: MANY,
    endsWithin: 10,
    exit: 1,
    kinds: ['parse-error'],
    nodeHttp: 'rejects',
  },
  {
    name: 'two Content-Length headers that disagree',
    serve: answer('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok', false),
    args: MANY,
    endsWithin: 10,
    exit: 1,
    kinds: ['parse-error'],
    nodeHttp: 'rejects',
  },
  {
    name: 'a negative Content-Length',
    serve: answer('HTTP/1.1 200 OK\r\nContent-Length: -2\r\n\r\nok', false),
    args: MANY,
    endsWithin: 10,
    exit: 1,
    kinds: ['parse-error'],
    nodeHttp: 'rejects',
  },
  {
    name: 'a Content-Length of 23 digits',
    serve: answer('HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\nok', false),
    args: MANY,
    endsWithin: 10,
    exit: 1,
    kinds: ['parse-error'],
    nodeHttp: 'rejects',
  },
  {
    // RFC 9112 section 6.3 rule 3: both headers "ought to be handled as an error" (smuggling).
    name: 'Content-Length and Transfer-Encoding: chunked together',
    serve: answer('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n', false),
    args: MANY,
    endsWithin: 10,
    exit: 1,
    kinds: ['parse-error'],
    nodeHttp: 'rejects',
  },
  {
    // The answer is right, but two bytes follow it that no request asked for.
    name: 'a body longer than its Content-Length',
    serve: answer(OK + '!!', true),
    args: MANY,
    endsWithin: 10,
    exit: 1,
    kinds: ['unsolicited'],
    only: ['unsolicited', 'parse-error'],
  },

  // --- Chunked framing ---------------------------------------------------------------
  {
    name: 'chunk data ended by a bare LF instead of CRLF',
    serve: answer(chunked('2\r\nok\n0\r\n\r\n'), false),
    args: MANY,
    endsWithin: 10,
    exit: 1,
    kinds: ['parse-error'],
    nodeHttp: 'rejects',
  },
  {
    name: 'chunk data followed by junk instead of CRLF',
    serve: answer(chunked('2\r\nokXY0\r\n\r\n'), false),
    args: MANY,
    endsWithin: 10,
    exit: 1,
    kinds: ['parse-error'],
    nodeHttp: 'rejects',
  },
  {
    // Chunk lines are bounded like the head (64 KB): a 100 KB extension is over it.
    name: 'a 100 KB chunk extension',
    serve: answer(chunked(`2;${'x'.repeat(100_000)}\r\nok\r\n0\r\n\r\n`), false),
    args: ['-c', '4', '-n', '200', '--timeout', '1'],
    endsWithin: 10,
    exit: 1,
    kinds: ['parse-error'],
    nodeHttp: 'rejects',
  },
  {
    // Trailers are bounded: 200 KB of trailer lines is over any head limit.
    name: '200 KB of trailer fields',
    serve: answer(chunked(`2\r\nok\r\n0\r\n${'X-Trailer: 1\r\n'.repeat(15_000)}\r\n`), false),
    args: ['-c', '4', '-n', '200', '--timeout', '1'],
    endsWithin: 10,
    exit: 1,
    kinds: ['parse-error'],
    nodeHttp: 'rejects',
  },
  {
    name: 'a trailer section that never ends',
    serve: () => ({
      onRequest(c) {
        if (c.requests > 1) return
        c.send(chunked('2\r\nok\r\n0\r\n'))
        c.stream(Buffer.from('X-Trailer: 1\r\n'.repeat(4096), 'latin1'))
      },
    }),
    args: SECOND,
    endsWithin: 7,
    exit: 1,
    kinds: ['parse-error'],
  },
  {
    // 2^48 - 1 bytes announced, then data for ever: nothing may be buffered for it.
    name: 'a gigantic chunk size (ffffffffffff) and data for ever',
    serve: endless(chunked('ffffffffffff\r\n')),
    args: FEW_SLOW,
    endsWithin: 7,
    exit: 1,
    only: ['timeout', 'parse-error'],
  },

  // --- Status line and version ---------------------------------------------------------
  {
    // The head (status line included) is bounded at 64 KB.
    name: 'a 70 KB status line',
    serve: answer(`HTTP/1.1 200 ${'O'.repeat(70_000)}\r\nContent-Length: 2\r\n\r\nok`, false),
    args: ['-c', '4', '-n', '200', '--timeout', '1'],
    endsWithin: 10,
    exit: 1,
    kinds: ['parse-error'],
    nodeHttp: 'rejects',
  },
  {
    // An HTTP/1.1 client's connection carries HTTP/1.x responses only. node:http reads
    // HTTP/2.0 as if it were 1.1: a deliberate difference.
    name: 'an HTTP/2.0 status line',
    serve: answer('HTTP/2.0 200 OK\r\nContent-Length: 2\r\n\r\nok', false),
    args: MANY,
    endsWithin: 10,
    exit: 1,
    kinds: ['parse-error'],
    nodeHttp: 'accepts',
  },
  {
    // RFC 9112 section 2.3: HTTP-version = "HTTP/" DIGIT "." DIGIT.
    name: 'a version that is not a digit: HTTP/1.x',
    serve: answer('HTTP/1.x 200 OK\r\nContent-Length: 2\r\n\r\nok', false),
    args: MANY,
    endsWithin: 10,
    exit: 1,
    kinds: ['parse-error'],
    nodeHttp: 'rejects',
  },
  {
    name: 'an HTTP/0.9 reply: a body with no status line, then the close',
    serve: () => ({
      onRequest(c) {
        c.send('<html>hello</html>\r\n')
        c.socket.end()
      },
    }),
    args: ['-c', '4', '-n', '500', '--timeout', '1'],
    endsWithin: 10,
    exit: 1,
    kinds: ['parse-error'],
    nodeHttp: 'rejects',
  },
  {
    name: 'a two-digit status code: HTTP/1.1 20 OK',
    serve: answer('HTTP/1.1 20 OK\r\nContent-Length: 2\r\n\r\nok', false),
    args: MANY,
    endsWithin: 10,
    exit: 1,
    kinds: ['parse-error'],
    nodeHttp: 'rejects',
  },

  // --- Header fields -------------------------------------------------------------------
  {
    // 10,000 fields in a 50 KB head: over node:http's 16 KB head, and any sane field count.
    name: 'more header fields than the limit (10,000)',
    serve: answer(withHeaders('X:1\r\n'.repeat(10_000)), false),
    args: ['-c', '4', '-n', '200', '--timeout', '1'],
    endsWithin: 10,
    exit: 1,
    kinds: ['parse-error'],
    nodeHttp: 'rejects',
  },
  {
    // RFC 9112 section 5: field-line = field-name ":" OWS field-value OWS.
    name: 'a header line without a colon',
    serve: answer(withHeaders('NoColonHere\r\n'), false),
    args: MANY,
    endsWithin: 10,
    exit: 1,
    kinds: ['parse-error'],
    nodeHttp: 'rejects',
  },
  {
    // RFC 9110 section 5.5: NUL in a field value is invalid and dangerous.
    name: 'a NUL in a header value',
    serve: answer(withHeaders('X-Nul: a\0b\r\n'), false),
    args: MANY,
    endsWithin: 10,
    exit: 1,
    kinds: ['parse-error'],
    nodeHttp: 'rejects',
  },
  {
    // RFC 9112 section 5.1: no whitespace is allowed between a field name and its colon.
    name: 'whitespace between a header name and its colon (Content-Length : 2)',
    serve: answer('HTTP/1.1 200 OK\r\nContent-Length : 2\r\n\r\nok', false),
    args: SECOND,
    endsWithin: 7,
    exit: 1,
    kinds: ['parse-error'],
    nodeHttp: 'rejects',
  },
  {
    // RFC 9112 section 2.2 lets a recipient accept a bare LF, but node:http's client
    // rejects it (HPE_CR_EXPECTED), and what llhttp rejects is never counted ok.
    name: 'LF-only line endings',
    serve: answer('HTTP/1.1 200 OK\nContent-Length: 2\n\nok', false),
    args: MANY,
    endsWithin: 10,
    exit: 1,
    kinds: ['parse-error'],
    nodeHttp: 'rejects',
  },

  // --- Statuses with no body -----------------------------------------------------------
  {
    // RFC 9110 section 15.2.2: a server must not switch to a protocol the client did not
    // ask for. After a 101 the connection is no longer HTTP: the 200 that follows is not one.
    name: '101 Switching Protocols nobody asked for, then a 200 in the new protocol',
    serve: answer('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n' + OK, false),
    args: SECOND,
    endsWithin: 7,
    exit: 1,
  },
  {
    // RFC 9112 section 6.3 rule 1: a 204 ends at its head; bytes after it answer nothing.
    name: '204 followed by body bytes',
    serve: answer('HTTP/1.1 204 No Content\r\n\r\nok', true),
    args: MANY,
    endsWithin: 10,
    exit: 1,
    kinds: ['unsolicited'],
    only: ['unsolicited', 'parse-error'],
  },
  {
    name: '304 followed by the body its Content-Length describes (--expect-status 304)',
    serve: answer('HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\nhello', true),
    args: [...MANY, '--expect-status', '304'],
    endsWithin: 10,
    exit: 1,
    kinds: ['unsolicited'],
    only: ['unsolicited', 'parse-error'],
  },

  // --- Cut short -------------------------------------------------------------------------
  {
    name: 'a FIN in the middle of the head',
    serve: () => ({
      onRequest(c) {
        c.send('HTTP/1.1 200 OK\r\nContent-Le')
        c.socket.end()
      },
    }),
    args: ['-c', '4', '-n', '500', '--timeout', '1'],
    endsWithin: 10,
    exit: 1,
    kinds: ['truncated'],
  },
  {
    // RFC 9112 section 8: a message with a Content-Length is incomplete if the close comes first.
    name: 'a FIN in the middle of a Content-Length body',
    serve: () => ({
      onRequest(c) {
        c.send('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc')
        c.socket.end()
      },
    }),
    args: ['-c', '4', '-n', '500', '--timeout', '1'],
    endsWithin: 10,
    exit: 1,
    kinds: ['truncated'],
  },

  // --- Time --------------------------------------------------------------------------------
  {
    name: 'a server that never answers',
    serve: () => ({}),
    args: FEW,
    endsWithin: 6,
    exit: 1,
    kinds: ['timeout'],
  },
  {
    // A 40-byte answer at a byte per 50 ms takes 2 s: past the 1 s timeout.
    name: 'a server answering a byte every 50 ms',
    serve: () => ({
      onRequest(c) {
        trickle(c, OK, 50, true)
      },
    }),
    args: FEW_SLOW,
    endsWithin: 7,
    exit: 1,
    kinds: ['timeout'],
  },

  // --- Out of step ---------------------------------------------------------------------------
  {
    // At 40 requests a second connections wait between sends; 10 ms after each answer the
    // server sends another response, which arrives with no request outstanding.
    name: 'a response arriving on an idle connection (--rate 40)',
    serve: () => ({
      onRequest(c) {
        c.send(OK, true)
        c.later(10, () => c.send(OK))
      },
    }),
    args: ['-c', '4', '-n', '40', '--rate', '40', '--timeout', '1'],
    endsWithin: 7,
    exit: 1,
    kinds: ['unsolicited'],
  },
  {
    // A response written on accept, before any request has arrived: every answer after it is
    // one too many, and the first to land on an idle connection shows it.
    name: 'a response sent before the request arrives (--rate 40)',
    serve: () => ({
      onConnection(c) {
        c.send(OK)
      },
      onRequest(c) {
        c.send(OK, true)
      },
    }),
    args: ['-c', '4', '-n', '40', '--rate', '40', '--timeout', '1'],
    endsWithin: 7,
    exit: 1,
    kinds: ['unsolicited'],
  },

  // --- Memory --------------------------------------------------------------------------------
  {
    name: 'an endless close-delimited body',
    serve: endless('HTTP/1.1 200 OK\r\n\r\n'),
    args: FEW_SLOW,
    endsWithin: 7,
    exit: 1,
    kinds: ['timeout'],
  },
  {
    name: 'an endless body under a Content-Length of 1 TB',
    serve: endless('HTTP/1.1 200 OK\r\nContent-Length: 1000000000000\r\n\r\n'),
    args: FEW_SLOW,
    endsWithin: 7,
    exit: 1,
    kinds: ['timeout'],
  },
]

// A seeded generator of request traffic for the differential test: connections,
// each a pipelined batch of requests (prepared answers and app answers mixed
// with Expect: 100-continue, bodies, HEAD, Range and conditional headers,
// Connection: close, HTTP/1.0, bad heads, OPTIONS *), sent in one or several
// writes cut anywhere, heads included. The same seed gives the same traffic.

/** What the generator knows of the server it writes for. */
export interface CorpusTarget {
  /** Targets with a prepared answer (the fast path's and the shortcuts'). */
  prepared: string[]
  /** Other targets the app answers (errors included). */
  others: string[]
  /** Validators of the one resource that has them (the image), for conditional requests. */
  validators?: {etag: string; lastModified: string}
}

export interface Connection {
  /** Which request each answer is for, in order: 'HEAD' answers have no body. */
  methods: string[]
  /** How the client ends: by waiting for the server to close (a closing request is last), or by half-closing after its last write. */
  ending: 'half-close' | 'server-closes'
  /** What the client sends, write by write. */
  writes: Buffer[]
}

/** mulberry32: small, fast, and the same on every machine. */
export function seeded(seed: number): (n: number) => number {
  let state = seed | 0
  return (n) => {
    state = (state + 0x6d_2b_79_f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) % n
  }
}

interface Request {
  bytes: string
  /** The server ends the connection after answering it (or instead of answering it). */
  closes: boolean
  /** The server may end the connection after it: it closes, or is HTTP/1.0 (kept alive only when the answer has a length). */
  mayClose: boolean
  method: string
}

const CRLF = '\r\n'

export class Corpus {
  private readonly random: (n: number) => number

  constructor(seed: number) {
    this.random = seeded(seed)
  }

  /** One connection of 1 to 8 requests for `target`. */
  connection(target: CorpusTarget): Connection {
    const count = 1 + this.random(8)
    const requests: Request[] = []
    for (let i = 0; i < count; i++) {
      const request = this.request(target, i === count - 1)
      requests.push(request)
      if (request.closes) break
    }

    // Sometimes pipelined on past a request that closes the connection: the server must ignore the rest.
    const closing = requests.at(-1)!.closes
    const trailing = closing && this.chance(10) ? this.request(target, false).bytes : ''
    const ending = closing ? 'server-closes' : 'half-close'
    const text = requests.map((r) => r.bytes).join('') + trailing
    // Nothing after the head of a request that may close the connection arrives in a later write:
    // node:http closes at once after answering it, and bytes it has not read by then (still coming,
    // or waiting while it held off reading for a client behind on its answers) make the kernel reset
    // the connection, which cuts answers not yet delivered, in either mode, by timing alone.
    let uncut = text.length
    for (let i = 0, at = 0; i < requests.length; at += requests[i].bytes.length, i++) {
      if (requests[i].mayClose) {
        uncut = at + requests[i].bytes.indexOf('\r\n\r\n') + 4
        break
      }
    }

    return {ending, methods: requests.map((r) => r.method), writes: this.cut(text, Math.max(1, uncut))}
  }

  private pick<T>(items: readonly T[]): T {
    return items[this.random(items.length)]
  }

  /** True one time in `n`. */
  private chance(n: number): boolean {
    return this.random(n) === 0
  }

  /** `text` in one to four writes, cut anywhere before `before` (inside heads too). */
  private cut(text: string, before: number): Buffer[] {
    const pieces = this.chance(3) ? 1 + this.random(4) : 1
    const cuts = new Set<number>()
    while (cuts.size < pieces - 1 && before > pieces) cuts.add(1 + this.random(before - 1))
    const at = [0, ...[...cuts].sort((a, b) => a - b), text.length]
    return at.slice(1).map((end, i) => Buffer.from(text.slice(at[i], end), 'latin1'))
  }

  private request(target: CorpusTarget, last: boolean): Request {
    const roll = this.random(100)
    if (roll < 3) return this.badHead(target)
    if (roll < 6) return this.line('OPTIONS', '*', target, last)
    const method = this.pick(['GET', 'GET', 'GET', 'GET', 'GET', 'HEAD', 'HEAD', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'TRACE'])
    const path = this.chance(2) ? this.pick(target.prepared) : this.pick(target.others)
    return this.line(method, path, target, last)
  }

  private line(method: string, path: string, target: CorpusTarget, last: boolean): Request {
    const version = this.chance(10) ? 'HTTP/1.0' : 'HTTP/1.1'
    const headers: string[] = []
    // Host: plain, missing, odd (for node-server to judge), twice; in any letter case.
    const hostRoll = this.random(40)
    const hostName = this.pick(['Host', 'host', 'HOST'])
    if (hostRoll === 0) {
      // None (a 400 for HTTP/1.1; served for HTTP/1.0).
    } else if (hostRoll === 1) headers.push(`${hostName}: localhost`, 'Host: other')
    else if (hostRoll === 2) headers.push(`${hostName}: ${this.pick(['a b', '', 'LOCALHOST:80', 'u@h', '999.1.1.1:6421', 'h/p'])}`)
    else headers.push(`${hostName}: ${this.pick(['localhost', 'localhost:6421', '127.0.0.1:6420', 'example.test'])}`)
    if (this.chance(3)) headers.push(this.pick(['Accept: */*', 'User-Agent: corpus/1.0', 'Accept-Encoding: gzip, br', 'X-Pad: ' + 'p'.repeat(this.random(3000))]))
    const expect = this.chance(8) ? this.pick(['Expect: 100-continue', 'expect: 100-Continue', 'Expect: 100-continue', 'Expect: bogus']) : undefined
    if (expect) headers.push(expect)
    if (target.validators && this.chance(3)) headers.push(...this.conditional(target.validators))
    let body = ''
    const bodyRoll = this.random(12)
    if (bodyRoll === 0) {
      body = 'b'.repeat(this.random(40))
      headers.push(`Content-Length: ${body.length}`)
    } else if (bodyRoll === 1 && version === 'HTTP/1.1') {
      body = `5\r\nhello\r\n${this.chance(2) ? '0\r\n\r\n' : `3;ext=1\r\nabc\r\n0\r\nX-Trailer: t\r\n\r\n`}`
      headers.push('Transfer-Encoding: chunked')
    }

    // HTTP/1.0 closes unless asked to keep alive; the last request of a batch asks the server to close, or the client half-closes after it.
    let closes = version === 'HTTP/1.0'
    const connection = this.random(10)
    if (version === 'HTTP/1.0' && connection < 4 && !last) {
      headers.push('Connection: keep-alive')
      closes = false
    } else if ((last && connection < 8) || connection === 9) {
      headers.push(this.pick(['Connection: close', 'connection: Close', 'Connection: close']))
      closes = true
    } else if (connection === 8 && version === 'HTTP/1.1') headers.push('Connection: keep-alive')

    // HTTP/1.1 without Host is refused (and closed); with two, too, unless node:http answers an Expect other than 100-continue first (417, kept open).
    if (version === 'HTTP/1.1' && (hostRoll === 0 || (hostRoll === 1 && expect !== 'Expect: bogus'))) closes = true
    return {bytes: `${method} ${path} ${version}${CRLF}${headers.map((h) => h + CRLF).join('')}${CRLF}${body}`, closes, mayClose: closes || version === 'HTTP/1.0', method}
  }

  private conditional({etag, lastModified}: {etag: string; lastModified: string}): string[] {
    const ranges = ['bytes=0-99', 'bytes=-10', 'bytes=100-', 'bytes=0-0,10-20,5-6', 'bytes=99999999-', 'bytes=-0', 'bytes=abc', 'items=0-1', 'bytes=0-10,20-30']
    const dates = [lastModified, 'Thu, 01 Jan 1970 00:00:00 GMT', 'Sat, 01 Jan 2100 00:00:00 GMT', 'not a date']
    const headers: string[] = []
    if (this.chance(2)) headers.push(`Range: ${this.pick(ranges)}`)
    if (this.chance(3)) headers.push(`If-None-Match: ${this.pick([etag, `W/${etag}`, '*', '"other"', `"x", ${etag}`])}`)
    if (this.chance(3)) headers.push(`If-Modified-Since: ${this.pick(dates)}`)
    if (this.chance(4)) headers.push(`If-Range: ${this.pick([etag, '"stale"', lastModified, 'Thu, 01 Jan 1970 00:00:00 GMT'])}`)
    return headers
  }

  /** A head node:http refuses: the connection ends with its 400. */
  private badHead(target: CorpusTarget): Request {
    const path = this.pick(target.prepared)
    // Each one node:http's parser refuses (HPE_INVALID_HEADER_TOKEN, _METHOD, _VERSION, _TRANSFER_ENCODING, _CONTENT_LENGTH, _URL, _CHUNK_SIZE).
    const bytes = this.pick([
      `GET ${path} HTTP/1.1\r\nHost: localhost\r\nBad Header: 1\r\n\r\n`,
      `GET ${path} HTTP/1.1\r\nHost: localhost\r\nX-A: 1\u00002\r\n\r\n`,
      `GET ${path} HTTP/1.1\r\nHost: localhost\r\nnonsense\r\n\r\n`,
      `GET ${path} HTTP/1.1\r\nHost : localhost\r\n\r\n`,
      `GET ${path} HTTP/1.1\r\nHost: localhost\r\nX-A: 1\r\n 2\r\n\r\n`,
      `get ${path} HTTP/1.1\r\nHost: localhost\r\n\r\n`,
      `GET ${path} HTTP/9.9\r\nHost: localhost\r\n\r\n`,
      `GET ${path} HTTP/1.1\nHost: localhost\n\n`,
      `GET ${path} HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
      `GET ${path} HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n`,
      `GET ${path} HTTP/1.1\r\nHost: localhost\r\nContent-Length: abc\r\n\r\n`,
      `GET /a\u0001b HTTP/1.1\r\nHost: localhost\r\n\r\n`,
      `POST ${path} HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n`,
    ])
    return {bytes, closes: true, mayClose: true, method: 'GET'}
  }
}

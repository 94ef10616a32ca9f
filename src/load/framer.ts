// A lean HTTP/1.1 response framer: finds where each response ends (Content-Length,
// chunked, or the connection's close) and picks out the few headers the load
// tester needs, without building header objects or strings for the rest.
// Bytes are compared in place, so the engine can hand it a reused read buffer.
import type {Expectation} from './plan.js'

export class ParseError extends Error {}

const HEAD = 0
const BODY = 1
const CHUNK_SIZE = 2
const CHUNK_DATA = 3
const CHUNK_DATA_END = 4
const TRAILERS = 5
const UNTIL_CLOSE = 6

const LF = 0x0a
const CR = 0x0d
const SP = 0x20
const TAB = 0x09
const COLON = 0x3a
/** Lowercase ASCII, so `byte | 0x20` compares letters case-insensitively ('-' is unchanged). */
const lower = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0))
const CONTENT_LENGTH = lower('content-length')
const TRANSFER_ENCODING = lower('transfer-encoding')
const CONNECTION = lower('connection')
const X_WORKER = lower('x-worker')
const CONTENT_TYPE = lower('content-type')
const CHUNKED = lower('chunked')
const CLOSE = lower('close')
const KEEP_ALIVE = lower('keep-alive')
const HTTP_1 = lower('HTTP/1.')

/** A head (or chunk line) longer than this is not a response worth waiting for. */
const MAX_LINE_BYTES = 64 * 1024

function equalsLower(data: Uint8Array, start: number, end: number, word: Uint8Array): boolean {
  if (end - start !== word.length) return false
  for (let i = 0; i < word.length; i++) if ((data[start + i] | 0x20) !== word[i]) return false
  return true
}

function equalsExact(data: Uint8Array, start: number, end: number, bytes: Uint8Array): boolean {
  if (end - start !== bytes.length) return false
  for (let i = 0; i < bytes.length; i++) if (data[start + i] !== bytes[i]) return false
  return true
}

/** What the framer checks a response against: an Expectation with its Content-Type as bytes. */
export interface CompiledExpectation {
  body: Uint8Array
  contentType: null | Uint8Array
  source: Expectation
}

export function compileExpectation(source: Expectation): CompiledExpectation {
  return {body: source.body, contentType: source.contentType === null ? null : lower(source.contentType), source}
}

export class ResponseFramer {
  // The last complete response, read by `onResponse`.
  /** Why the response differs from the expectation (undefined: it matches, or nothing was expected). */
  mismatch: string | undefined
  /** Whether the connection may carry another request. */
  keepAlive = true
  status = 0
  /** The X-Worker header's value, if any. */
  worker: string | undefined

  // Set by the connection before each request.
  expect: CompiledExpectation | undefined
  /** A response to HEAD has no body, whatever its Content-Length says. */
  headRequest = false

  private state = HEAD
  private pending: Buffer | undefined
  private remaining = 0
  private contentLength = -1
  private chunked = false
  private bodyOffset = 0
  private typeSeen = false
  private workerBytes: Uint8Array | undefined
  private lastWorker: string | undefined
  /** Bumped by reset(), so a parse in progress stops when the connection moves to a new socket. */
  private epoch = 0

  constructor(private readonly onResponse: (framer: ResponseFramer) => void) {}

  /** Forgets any partial response: for a new connection. */
  reset(): void {
    this.epoch++
    this.state = HEAD
    this.pending = undefined
    this.startResponse()
  }

  /** Whether bytes of a response have arrived and it is not complete yet. */
  get midResponse(): boolean {
    return this.state !== HEAD || this.pending !== undefined
  }

  /**
   * The connection closed. A body delimited by the close completes here;
   * 'truncated' means a response was cut short.
   */
  end(): 'complete' | 'idle' | 'truncated' {
    if (this.state === UNTIL_CLOSE) {
      this.complete()
      return 'complete'
    }

    return this.midResponse ? 'truncated' : 'idle'
  }

  /** Consumes data[start, end). Throws ParseError on a malformed response. */
  execute(data: Buffer, start: number, end: number): void {
    if (this.pending) {
      data = Buffer.concat([this.pending, data.subarray(start, end)])
      start = 0
      end = data.length
      this.pending = undefined
    }

    let pos = start
    const epoch = this.epoch
    while (pos < end && epoch === this.epoch) {
      switch (this.state) {
        case HEAD: {
          const next = this.parseHead(data, pos, end)
          if (next < 0) return this.stash(data, pos, end)
          pos = next
          break
        }

        case BODY: {
          pos = this.takeBody(data, pos, end)
          if (this.remaining === 0) this.complete()
          break
        }

        case CHUNK_SIZE: {
          const lf = data.indexOf(LF, pos)
          if (lf < 0 || lf >= end) return this.stash(data, pos, end)
          this.remaining = parseChunkSize(data, pos, lf)
          pos = lf + 1
          this.state = this.remaining === 0 ? TRAILERS : CHUNK_DATA
          break
        }

        case CHUNK_DATA: {
          pos = this.takeBody(data, pos, end)
          if (this.remaining === 0) this.state = CHUNK_DATA_END
          break
        }

        case CHUNK_DATA_END: {
          const byte = data[pos++]
          if (byte === LF) this.state = CHUNK_SIZE
          else if (byte !== CR) throw new ParseError('no line break after a chunk')
          break
        }

        case TRAILERS: {
          const lf = data.indexOf(LF, pos)
          if (lf < 0 || lf >= end) return this.stash(data, pos, end)
          const empty = lf === pos || (lf === pos + 1 && data[pos] === CR)
          pos = lf + 1
          if (empty) this.complete()
          break
        }

        case UNTIL_CLOSE: {
          this.compareBody(data, pos, end - pos)
          pos = end
          break
        }
      }
    }
  }

  private stash(data: Buffer, start: number, end: number): void {
    if (end - start > MAX_LINE_BYTES) throw new ParseError(`no end of line within ${MAX_LINE_BYTES} bytes`)
    // Copy: `data` may be a read buffer the next read overwrites.
    this.pending = Buffer.from(data.subarray(start, end))
  }

  private startResponse(): void {
    this.mismatch = undefined
    this.keepAlive = true
    this.status = 0
    this.worker = undefined
    this.contentLength = -1
    this.chunked = false
    this.bodyOffset = 0
    this.typeSeen = false
  }

  /** Parses a whole head starting at `pos`; returns where the body starts, or -1 if the head is incomplete. */
  private parseHead(data: Buffer, pos: number, end: number): number {
    let lf = data.indexOf(LF, pos)
    if (lf < 0 || lf >= end) return -1
    this.parseStatusLine(data, pos, lf)
    pos = lf + 1
    for (;;) {
      lf = data.indexOf(LF, pos)
      if (lf < 0 || lf >= end) {
        // Parsed again from the start once the rest arrives.
        this.startResponse()
        return -1
      }

      const lineEnd = lf > pos && data[lf - 1] === CR ? lf - 1 : lf
      if (lineEnd === pos) break
      this.parseHeader(data, pos, lineEnd)
      pos = lf + 1
    }

    pos = lf + 1
    this.startBody()
    return pos
  }

  private parseStatusLine(data: Buffer, start: number, lf: number): void {
    if (lf - start < 12 || !equalsExact(data, start, start + 7, HTTP_1) || data[start + 8] !== SP) {
      throw new ParseError('not an HTTP/1.x status line')
    }

    let status = 0
    for (let i = start + 9; i < start + 12; i++) {
      const digit = data[i] - 0x30
      if (digit < 0 || digit > 9) throw new ParseError('status code is not three digits')
      status = status * 10 + digit
    }

    this.status = status
    // HTTP/1.0 closes after each response unless it says keep-alive.
    this.keepAlive = data[start + 7] !== 0x30
  }

  private parseHeader(data: Buffer, start: number, end: number): void {
    let colon = start
    while (colon < end && data[colon] !== COLON) colon++
    if (colon === end || colon === start) throw new ParseError('a header line without a name and colon')
    let vStart = colon + 1
    while (vStart < end && (data[vStart] === SP || data[vStart] === TAB)) vStart++
    let vEnd = end
    while (vEnd > vStart && (data[vEnd - 1] === SP || data[vEnd - 1] === TAB)) vEnd--

    switch (colon - start) {
      case 8: {
        if (equalsLower(data, start, colon, X_WORKER)) this.readWorker(data, vStart, vEnd)
        break
      }

      case 10: {
        if (!equalsLower(data, start, colon, CONNECTION)) break
        if (equalsLower(data, vStart, vEnd, KEEP_ALIVE)) this.keepAlive = true
        else if (equalsLower(data, vStart, vEnd, CLOSE) || /\bclose\b/i.test(data.toString('latin1', vStart, vEnd))) {
          this.keepAlive = false
        }

        break
      }

      case 12: {
        if (!equalsLower(data, start, colon, CONTENT_TYPE)) break
        this.typeSeen = true
        const want = this.expect?.contentType
        if (this.expect && (!want || !equalsExact(data, vStart, vEnd, want))) {
          this.fail(`Content-Type "${data.toString('latin1', vStart, vEnd)}", expected ${JSON.stringify(this.expect.source.contentType)}`)
        }

        break
      }

      case 14: {
        if (!equalsLower(data, start, colon, CONTENT_LENGTH)) break
        let length = 0
        if (vStart === vEnd) throw new ParseError('empty Content-Length')
        for (let i = vStart; i < vEnd; i++) {
          const digit = data[i] - 0x30
          if (digit < 0 || digit > 9) throw new ParseError('Content-Length is not a number')
          length = length * 10 + digit
        }

        if (this.contentLength >= 0 && this.contentLength !== length) throw new ParseError('conflicting Content-Length headers')
        if (length > Number.MAX_SAFE_INTEGER) throw new ParseError('Content-Length too large')
        this.contentLength = length
        break
      }

      case 17: {
        if (!equalsLower(data, start, colon, TRANSFER_ENCODING)) break
        // Chunked must be the last coding; anything else is delimited by the close.
        this.chunked = vEnd - vStart >= CHUNKED.length && equalsLower(data, vEnd - CHUNKED.length, vEnd, CHUNKED)
        if (!this.chunked) this.keepAlive = false
        break
      }
    }
  }

  private readWorker(data: Buffer, start: number, end: number): void {
    // A connection is served by one worker: reuse the string while the bytes repeat.
    const seen = this.workerBytes
    if (seen && equalsExact(data, start, end, seen)) {
      this.worker = this.lastWorker
      return
    }

    this.workerBytes = Uint8Array.prototype.slice.call(data, start, end)
    this.worker = data.toString('latin1', start, end)
    this.lastWorker = this.worker
  }

  private startBody(): void {
    const {status} = this
    // 1xx are interim: the real response follows (101 switches protocols, which a load test never asks for).
    if (status >= 100 && status < 200 && status !== 101) return this.startResponse()

    if (this.expect) {
      if (this.expect.contentType && !this.typeSeen) this.fail('no Content-Type')
      if (this.expect.contentType === null && this.typeSeen && !this.mismatch) this.fail('an unexpected Content-Type')
    }

    if (this.headRequest || status === 204 || status === 304) return this.complete()
    if (this.chunked) {
      this.state = CHUNK_SIZE
      return
    }

    if (this.contentLength >= 0) {
      if (this.expect && this.contentLength !== this.expect.body.length) {
        this.fail(`Content-Length ${this.contentLength}, expected ${this.expect.body.length}`)
      }

      if (this.contentLength === 0) return this.complete()
      this.remaining = this.contentLength
      this.state = BODY
      return
    }

    this.keepAlive = false
    this.state = UNTIL_CLOSE
  }

  /** Takes up to `remaining` body bytes from data[pos, end); returns where it stopped. */
  private takeBody(data: Buffer, pos: number, end: number): number {
    const n = Math.min(this.remaining, end - pos)
    this.compareBody(data, pos, n)
    this.remaining -= n
    return pos + n
  }

  private compareBody(data: Buffer, pos: number, n: number): void {
    const expect = this.expect
    if (expect && this.mismatch === undefined) {
      const offset = this.bodyOffset
      const {body} = expect
      const same = Math.min(n, body.length - offset)
      if (same < n || data.compare(body, offset, offset + same, pos, pos + same) !== 0) {
        // Rare: find the exact byte for the message.
        let i = 0
        while (i < same && data[pos + i] === body[offset + i]) i++
        this.fail(i < same ? `body differs from byte ${offset + i}` : `body longer than ${body.length} bytes`)
      }
    }

    this.bodyOffset += n
  }

  private fail(reason: string): void {
    this.mismatch ??= reason
  }

  private complete(): void {
    const expect = this.expect
    if (expect && !this.headRequest && this.mismatch === undefined && this.bodyOffset !== expect.body.length) {
      this.fail(`body of ${this.bodyOffset} bytes, expected ${expect.body.length}`)
    }

    this.state = HEAD
    this.onResponse(this)
    this.startResponse()
  }
}

function parseChunkSize(data: Buffer, start: number, lf: number): number {
  let size = 0
  let digits = 0
  for (let i = start; i < lf; i++) {
    const c = data[i] | 0x20
    let digit: number
    if (c >= 0x30 && c <= 0x39) digit = c - 0x30
    else if (c >= 0x61 && c <= 0x66) digit = c - 0x61 + 10
    else break
    size = size * 16 + digit
    if (++digits > 12) throw new ParseError('chunk size too large')
  }

  if (digits === 0) throw new ParseError('bad chunk size line')
  return size
}

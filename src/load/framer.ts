// An HTTP/1.1 response framer (RFC 9112): finds where each response ends
// (Content-Length, chunked, or the connection's clean close) and hands every
// field line and body byte to a sink, without building header objects or
// strings. It only frames: what the bytes should have been is the sink's
// business (response-check.ts). Bytes are compared in place, so the engine can
// hand it a reused read buffer.
//
// It is held to node:http's client parser (llhttp): whatever llhttp rejects is
// rejected here too, with one deliberate exception (obs-fold, which RFC 9112
// §5.2 tells a user agent to accept). test/load/framer-differential.test.ts
// checks that on generated responses.

import {ascii, equalsExact, equalsLower} from './bytes.js'

export class ParseError extends Error {}

/** Where the framer hands what it reads. */
export interface FrameSink {
  /** The final response's head is read: status, framing and every field line are known. */
  headEnd(framer: ResponseFramer): void
  /** Body bytes data[start, end), chunk framing removed. */
  body(data: Buffer, start: number, end: number): void
  /**
   * A field line of a final response's head, before headEnd: the name is
   * data[nameStart, nameEnd), the value value[valueStart, valueEnd), with its
   * surrounding whitespace trimmed and any obs-fold replaced by one space.
   */
  field(data: Buffer, nameStart: number, nameEnd: number, value: Buffer, valueStart: number, valueEnd: number): void
}

/** A head (status line, field lines and the empty line) longer than this is an error. */
export const MAX_HEAD_BYTES = 64 * 1024
/** Field lines in one head, or in one trailer section. */
export const MAX_FIELDS = 256
/** A chunk-size line, extensions included. */
export const MAX_CHUNK_LINE_BYTES = 4096
/** Trailer section after the last chunk. */
export const MAX_TRAILER_BYTES = 64 * 1024

const HEAD = 0
const BODY = 1
const CHUNK_SIZE = 2
const CHUNK_DATA = 3
const CHUNK_DATA_CR = 4
const CHUNK_DATA_LF = 5
const TRAILERS = 6
const UNTIL_CLOSE = 7
/** After a 101: the rest of the connection is another protocol. */
const SWITCHED = 8

const LF = 0x0a
const CR = 0x0d
const SP = 0x20
const HTAB = 0x09
const COLON = 0x3a
const SEMICOLON = 0x3b
const EQUALS = 0x3d
const QUOTE = 0x22
const BACKSLASH = 0x5c
const COMMA = 0x2c
const END_OF_HEAD = Buffer.from('\r\n\r\n', 'latin1')

const CONTENT_LENGTH = ascii('content-length')
const TRANSFER_ENCODING = ascii('transfer-encoding')
const CONNECTION = ascii('connection')
const CHUNKED = ascii('chunked')
const CLOSE = ascii('close')
const KEEP_ALIVE = ascii('keep-alive')
const HTTP_1 = ascii('HTTP/1.')

/** tchar (RFC 9110 §5.6.2): the bytes of a token. */
const TOKEN = new Uint8Array(256)
for (const c of "!#$%&'*+-.^_`|~") TOKEN[c.charCodeAt(0)] = 1
for (let c = 0x30; c <= 0x39; c++) TOKEN[c] = 1
for (let c = 0x41; c <= 0x5a; c++) TOKEN[c] = TOKEN[c + 0x20] = 1

/** Bytes a field value or reason phrase may hold: HTAB, SP, VCHAR, obs-text (RFC 9110 §5.5, RFC 9112 §4). */
const TEXT = new Uint8Array(256)
TEXT[HTAB] = 1
for (let c = 0x20; c <= 0x7e; c++) TEXT[c] = 1
for (let c = 0x80; c <= 0xff; c++) TEXT[c] = 1

/** qdtext (RFC 9110 §5.6.4). */
const QDTEXT = TEXT.slice()
QDTEXT[QUOTE] = 0
QDTEXT[BACKSLASH] = 0

const HEX = new Int8Array(256).fill(-1)
for (let c = 0; c < 10; c++) HEX[0x30 + c] = c
for (let c = 0; c < 6; c++) HEX[0x41 + c] = HEX[0x61 + c] = 10 + c


const isWhite = (byte: number) => byte === SP || byte === HTAB

/** Grows as bytes of one incomplete head or line arrive, so a trickling peer costs each byte one copy. */
class Pending {
  bytes = Buffer.allocUnsafe(1024)
  length = 0

  append(data: Buffer, start: number, end: number): void {
    const need = this.length + end - start
    if (need > this.bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(need, this.bytes.length * 2))
      this.bytes.copy(grown, 0, 0, this.length)
      this.bytes = grown
    }

    data.copy(this.bytes, this.length, start, end)
    this.length = need
  }
}

interface Framing {
  chunked: boolean
  closeSaid: boolean
  contentLength: number
  http10: boolean
  keepAlive: boolean
  status: number
  transferEncoding: boolean
}

/** Heads up to this size are kept for LastHead. */
const KEPT_HEAD_BYTES = 2048

/**
 * The last final head a connection parsed, and what it decided. A server
 * sends the same head again and again (the Date changes once a second), so a
 * head byte-for-byte equal to it is not checked and split again: the same
 * bytes decide the same framing, and its field lines are handed to the sink
 * from where they were. Checking every byte of a head costs about as much as
 * the rest of framing it.
 */
class LastHead {
  private readonly bytes = Buffer.allocUnsafe(KEPT_HEAD_BYTES)
  private length = 0
  private framing: Framing | undefined
  /** Per field line of the kept head: name start, name end, value start, value end, from the head's start. */
  private offsets = new Int32Array(4 * MAX_FIELDS)
  private count = 0
  /** The same for the head being parsed, until it is kept. */
  private noted = new Int32Array(4 * MAX_FIELDS)
  private notedCount = 0
  private headStart = 0

  /** If data[start, end) is the kept head, sets the framer's framing, replays its field lines and says so. */
  replay(framer: ResponseFramer, data: Buffer, start: number, end: number): boolean {
    const length = end - start
    if (this.framing === undefined || length !== this.length || data.compare(this.bytes, 0, length, start, end) !== 0) {
      this.notedCount = 0
      this.headStart = start
      return false
    }

    framer.framing = this.framing
    const {offsets} = this
    for (let i = 0; i < this.count * 4; i += 4) {
      framer.deliver(data, start + offsets[i], start + offsets[i + 1], start + offsets[i + 2], start + offsets[i + 3])
    }

    return true
  }

  /** Called for each delivered field line of the head being parsed. */
  noteField(nameStart: number, nameEnd: number, valueStart: number, valueEnd: number): void {
    const at = 4 * this.notedCount++
    const base = this.headStart
    this.noted[at] = nameStart - base
    this.noted[at + 1] = nameEnd - base
    this.noted[at + 2] = valueStart - base
    this.noted[at + 3] = valueEnd - base
  }

  /** The head parsed whole and well: keep it, unless it is too long. */
  keep(framer: ResponseFramer, data: Buffer, start: number, end: number): void {
    const length = end - start
    if (length > KEPT_HEAD_BYTES) {
      this.framing = undefined
      return
    }

    this.bytes.set(data.subarray(start, end))
    this.length = length
    this.framing = framer.framing
    ;[this.offsets, this.noted] = [this.noted, this.offsets]
    this.count = this.notedCount
  }
}

export class ResponseFramer {
  status = 0
  /** Whether the connection may carry another request after this response. */
  keepAlive = true
  /** The last response was a 101: the connection no longer speaks HTTP/1.1. */
  upgraded = false
  /** Content-Length of the final response's head, -1 when it has none. */
  contentLength = -1

  /** A response to HEAD has no body, whatever its head says (RFC 9110 §9.3.2). */
  private headRequest = false
  private state = HEAD
  /** Bytes of an incomplete head, chunk line or trailer section, carried to the next execute(). */
  private readonly pending = new Pending()
  /** Where to search again for the end once more bytes are joined to `pending`. */
  private searched = 0
  /** Where the section being searched starts (0 in `pending`). */
  private sectionStart = 0
  /** Set when execute() has just completed a response. */
  private completed = false
  /** A Connection field of this head said close. */
  private closeSaid = false
  private remaining = 0
  private chunked = false
  private transferEncoding = false
  private http10 = false
  private fields = 0
  /** The head being parsed had an obs-fold: its values are not in its bytes, so it is not kept. */
  private folded = false
  private readonly lastHead = new LastHead()

  constructor(private readonly sink: FrameSink) {}

  /** The next response answers a request; `head`: a HEAD request. */
  expect(head: boolean): void {
    this.headRequest = head
  }

  /** Forgets any partial response: for a new connection. */
  reset(): void {
    this.state = HEAD
    this.pending.length = 0
    this.upgraded = false
    this.startResponse()
  }

  /** Whether bytes of a response have arrived and it is not complete yet. */
  get midResponse(): boolean {
    return (this.state !== HEAD && this.state !== SWITCHED) || this.pending.length > 0
  }

  /**
   * The connection closed. `clean`: the peer ended it with a FIN, not a reset
   * or an error. A body delimited by the close completes only on a clean close
   * (RFC 9112 §8: otherwise it is incomplete); 'truncated' means a response was
   * cut short.
   */
  end(clean: boolean): 'complete' | 'idle' | 'truncated' {
    if (this.state === UNTIL_CLOSE && clean) {
      this.state = HEAD
      return 'complete'
    }

    return this.midResponse ? 'truncated' : 'idle'
  }

  /**
   * Frames data[start, end) until one response is complete. Returns the
   * position just after that response's last byte, or -1 when every byte was
   * taken and no response is complete yet. Throws ParseError on a malformed
   * response.
   */
  execute(data: Buffer, start: number, end: number): number {
    let pos = start
    this.completed = false
    while (pos < end) {
      switch (this.state) {
        case HEAD: {
          // node:http skips empty lines here; after a complete response they are bytes nobody asked for.
          if (this.pending.length === 0) {
            if (data[pos] === CR || data[pos] === LF) throw new ParseError('an empty line before the status line')
            // What is not HTTP/1.x is refused at its first bytes, not once a head that never comes times out.
            for (let i = 0; i < 7 && pos + i < end; i++) {
              if (data[pos + i] !== HTTP_1[i]) throw new ParseError('not an HTTP/1.0 or HTTP/1.1 status line')
            }
          }
          pos = this.takeSection(data, pos, end, MAX_HEAD_BYTES, true)
          if (pos < 0) return -1
          break
        }

        case BODY: {
          pos = this.takeBody(data, pos, end)
          if (this.remaining === 0) this.finish()
          break
        }

        case CHUNK_SIZE: {
          pos = this.takeSection(data, pos, end, MAX_CHUNK_LINE_BYTES, false)
          if (pos < 0) return -1
          break
        }

        case CHUNK_DATA: {
          pos = this.takeBody(data, pos, end)
          if (this.remaining === 0) this.state = CHUNK_DATA_CR
          break
        }

        case CHUNK_DATA_CR: {
          if (data[pos++] !== CR) throw new ParseError('no CRLF after chunk data')
          this.state = CHUNK_DATA_LF
          break
        }

        case CHUNK_DATA_LF: {
          if (data[pos++] !== LF) throw new ParseError('no CRLF after chunk data')
          this.state = CHUNK_SIZE
          break
        }

        case TRAILERS: {
          pos = this.takeSection(data, pos, end, MAX_TRAILER_BYTES, true)
          if (pos < 0) return -1
          break
        }

        case UNTIL_CLOSE: {
          this.sink.body(data, pos, end)
          pos = end
          break
        }

        case SWITCHED: {
          return -1
        }
      }

      if (this.completed) return pos
    }

    return -1
  }

  /**
   * Finds the end of a head or trailer section (`section`: up to its empty
   * line) or of a chunk line, from `pos`, joined with bytes kept from earlier
   * reads, and parses it once whole. Returns where the bytes after it start,
   * or -1 (all taken, kept for the next read).
   */
  private takeSection(data: Buffer, pos: number, end: number, limit: number, section: boolean): number {
    const kept = this.pending.length
    if (kept === 0) {
      this.sectionStart = pos
      const found = this.findEnd(data, pos, end, section)
      if (found >= 0) {
        if (found - pos > limit) throw new ParseError(`more than ${limit} bytes in a head or chunk line`)
        this.parse(data, pos, found)
        return found
      }

      if (end - pos > limit) throw new ParseError(`no end within ${limit} bytes of a head or chunk line`)
      this.searched -= pos
      this.sectionStart = 0
      this.pending.append(data, pos, end)
      return -1
    }

    // Past limit + 1 bytes the end cannot be within the limit: keep no more than that.
    const take = Math.min(end - pos, limit + 1 - kept)
    this.pending.append(data, pos, pos + take)
    const joined = this.pending.bytes
    const found = this.findEnd(joined, this.searched, this.pending.length, section)
    if (found < 0) {
      if (this.pending.length > limit) throw new ParseError(`no end within ${limit} bytes of a head or chunk line`)
      return -1
    }

    if (found > limit) throw new ParseError(`more than ${limit} bytes in a head or chunk line`)
    this.pending.length = 0
    this.parse(joined, 0, found)
    return pos + (found - kept)
  }

  /**
   * From `from`, the position after the LF ending a chunk line (`section`
   * false) or the empty line ending a head or trailer section, or -1, leaving
   * in `searched` where to look again once more bytes are joined. One search
   * per head: the lines are checked as they are parsed.
   */
  private findEnd(data: Buffer, from: number, end: number, section: boolean): number {
    if (!section) {
      const lf = data.indexOf(LF, from)
      if (lf >= 0 && lf < end) {
        if (lf === this.sectionStart || data[lf - 1] !== CR) throw new ParseError('a line ending in LF without CR')
        return lf + 1
      }

      this.searched = end
      return -1
    }

    // A trailer section may be empty: just its CRLF.
    if (from === this.sectionStart && end - from >= 2 && data[from] === CR && data[from + 1] === LF) return from + 2
    const at = data.indexOf(END_OF_HEAD, from)
    if (at >= 0 && at + 4 <= end) return at + 4
    // Not whole yet. A bare LF fails it now rather than after a timeout (node:http refuses it too).
    for (let i = Math.max(from, this.sectionStart + 1); i < end; i++) {
      if (data[i] === LF && data[i - 1] !== CR) throw new ParseError('a line ending in LF without CR')
    }

    this.searched = Math.max(this.sectionStart, end - 3)
    return -1
  }

  /** Parses a whole head, chunk line or trailer section data[start, end), which ends in its CRLF. */
  private parse(data: Buffer, start: number, end: number): void {
    if (this.state === HEAD) this.parseHead(data, start, end)
    else if (this.state === CHUNK_SIZE) this.parseChunkLine(data, start, end)
    else this.parseTrailers(data, start, end)
  }

  private startResponse(): void {
    this.status = 0
    this.keepAlive = true
    this.contentLength = -1
    this.chunked = false
    this.transferEncoding = false
    this.http10 = false
    this.closeSaid = false
    this.fields = 0
  }

  /** A head data[start, end), which ends in its empty line. */
  private parseHead(data: Buffer, start: number, end: number): void {
    if (this.lastHead.replay(this, data, start, end)) return this.startBody()
    this.startResponse()
    this.folded = false
    const fields = this.parseStatusLine(data, start)
    const interim = this.status < 200 && this.status !== 101
    this.parseFields(data, fields, end - 2, !interim)
    if (interim) {
      // 1xx are interim: the final response follows (RFC 9110 §15.2). HTTP/1.0
      // has none, and node:http then takes the connection for closed.
      if (this.http10) throw new ParseError('an interim response in HTTP/1.0')
      this.startResponse()
      return
    }

    if (!this.folded) this.lastHead.keep(this, data, start, end)
    this.startBody()
  }

  /** What a head decided about framing: kept with a head's bytes so the same bytes decide the same again. */
  get framing(): Framing {
    return {
      chunked: this.chunked,
      closeSaid: this.closeSaid,
      contentLength: this.contentLength,
      http10: this.http10,
      keepAlive: this.keepAlive,
      status: this.status,
      transferEncoding: this.transferEncoding,
    }
  }

  set framing(f: Framing) {
    this.chunked = f.chunked
    this.closeSaid = f.closeSaid
    this.contentLength = f.contentLength
    this.http10 = f.http10
    this.keepAlive = f.keepAlive
    this.status = f.status
    this.transferEncoding = f.transferEncoding
  }

  /** For LastHead's replay: hands the sink a field line again. */
  deliver(data: Buffer, nameStart: number, nameEnd: number, valueStart: number, valueEnd: number): void {
    this.sink.field(data, nameStart, nameEnd, data, valueStart, valueEnd)
  }

  /**
   * status-line = HTTP-version SP 3DIGIT SP [reason-phrase] CRLF (RFC 9112
   * §4); the SP before an empty reason may be missing. Returns where the field
   * lines start.
   */
  private parseStatusLine(data: Buffer, start: number): number {
    // Only 1.0 and 1.1: a later 1.x is answered as 1.1 by the RFC, but node:http refuses it.
    const minor = data[start + 7]
    if (!equalsExact(data, start, start + 7, HTTP_1) || (minor !== 0x30 && minor !== 0x31) || data[start + 8] !== SP) {
      throw new ParseError('not an HTTP/1.0 or HTTP/1.1 status line')
    }

    let status = 0
    for (let i = start + 9; i < start + 12; i++) {
      const digit = data[i] - 0x30
      if (!(digit >= 0 && digit <= 9)) throw new ParseError('status code is not three digits')
      status = status * 10 + digit
    }

    let pos = start + 12
    if (data[pos] === SP) {
      pos++
      while (TEXT[data[pos]] === 1) pos++
    }

    if (data[pos] !== CR) throw new ParseError(pos > start + 12 ? 'a control character in the reason phrase' : 'status code is not three digits')
    // node:http takes a lone CR for a line end here; RFC 9112 §2.2 does not.
    if (data[pos + 1] !== LF) throw new ParseError('a bare CR in the status line')
    // RFC 9110 §15: 100-599 are defined; a client treats 600-999 as a server error, but 0xx are no status at all.
    if (status < 100) throw new ParseError(`status code ${status} is below 100`)
    this.status = status
    this.http10 = minor === 0x30
    // HTTP/1.0 closes after each response unless it says keep-alive (RFC 9112 §9.3).
    this.keepAlive = !this.http10
    return pos + 2
  }

  /**
   * Field lines data[start, last), each ending in CRLF, obs-folds joined (RFC
   * 9112 §5.2). `deliver`: pass them to the sink and act on the framing ones.
   */
  private parseFields(data: Buffer, start: number, last: number, deliver: boolean): void {
    // RFC 9112 §2.2: whitespace before the first field line is rejected.
    if (start < last && isWhite(data[start])) throw new ParseError('whitespace before the first header line')
    let pos = start
    while (pos < last) pos = this.parseField(data, pos, last, deliver)
  }

  /** The field line at `start` and any obs-fold lines after it; returns where the next line starts. */
  private parseField(data: Buffer, start: number, last: number, deliver: boolean): number {
    if (++this.fields > MAX_FIELDS) throw new ParseError(`more than ${MAX_FIELDS} header lines`)
    let colon = start
    while (TOKEN[data[colon]] === 1) colon++
    if (colon === start || data[colon] !== COLON) throw new ParseError('a header line without a token name and a colon')

    let value = data
    let vStart = colon + 1
    let vEnd = lineEnd(data, vStart)
    let next = vEnd + 2
    if (next < last && isWhite(data[next])) {
      // obs-fold: lines that start with whitespace continue this one.
      while (next < last && isWhite(data[next])) next = lineEnd(data, next) + 2
      this.folded = true
      value = unfold(data, vStart, next - 2)
      vStart = 0
      vEnd = value.length
    }

    const rawEnd = vEnd
    while (vStart < vEnd && isWhite(value[vStart])) vStart++
    while (vEnd > vStart && isWhite(value[vEnd - 1])) vEnd--
    if (!deliver) return next

    switch (colon - start) {
      case 10: {
        if (equalsLower(data, start, colon, CONNECTION)) this.readConnection(value, vStart, vEnd)
        break
      }

      case 14: {
        if (!equalsLower(data, start, colon, CONTENT_LENGTH)) break
        refuseTrailingTab(value, vEnd, rawEnd)
        this.readContentLength(value, vStart, vEnd)
        break
      }

      case 17: {
        if (!equalsLower(data, start, colon, TRANSFER_ENCODING)) break
        refuseTrailingTab(value, vEnd, rawEnd)
        this.readTransferEncoding(value, vStart, vEnd)
        break
      }
    }

    this.lastHead.noteField(start, colon, vStart, vEnd)
    this.sink.field(data, start, colon, value, vStart, vEnd)
    return next
  }

  /** Connection is a list of tokens (RFC 9110 §7.6.1): close ends the connection, keep-alive keeps an HTTP/1.0 one. */
  private readConnection(value: Buffer, start: number, end: number): void {
    // The usual values, without walking a list.
    if (equalsLower(value, start, end, KEEP_ALIVE)) {
      if (this.http10 && !this.closeSaid) this.keepAlive = true
      return
    }

    if (equalsLower(value, start, end, CLOSE)) {
      this.closeSaid = true
      this.keepAlive = false
      return
    }

    forEachListItem(value, start, end, (s, e) => {
      if (equalsLower(value, s, e, CLOSE)) this.closeSaid = true
      else if (this.http10 && equalsLower(value, s, e, KEEP_ALIVE)) this.keepAlive = true
    })
    if (this.closeSaid) this.keepAlive = false
  }

  /** Content-Length = 1*DIGIT (RFC 9110 §8.6); node:http refuses a second one even when equal, and so does this. */
  private readContentLength(value: Buffer, start: number, end: number): void {
    if (this.contentLength >= 0) throw new ParseError('more than one Content-Length')
    if (this.transferEncoding) throw new ParseError('both Transfer-Encoding and Content-Length')
    if (start === end) throw new ParseError('empty Content-Length')
    let length = 0
    for (let i = start; i < end; i++) {
      const digit = value[i] - 0x30
      if (digit < 0 || digit > 9) throw new ParseError('Content-Length is not a decimal number')
      length = length * 10 + digit
      if (length > Number.MAX_SAFE_INTEGER) throw new ParseError('Content-Length too large')
    }

    this.contentLength = length
  }

  /**
   * Transfer-Encoding is a list of codings, over one or more field lines (RFC
   * 9112 §6.1): the body is chunked only when the final coding is exactly
   * `chunked`; otherwise a response's body runs to the close (§6.3).
   */
  private readTransferEncoding(value: Buffer, start: number, end: number): void {
    if (this.contentLength >= 0) throw new ParseError('both Transfer-Encoding and Content-Length')
    // Empty elements are nothing to RFC 9110 §5.6.1, but node:http reads "chunked," as not chunked.
    if (end > start && value[end - 1] === COMMA) throw new ParseError('a comma after the last Transfer-Encoding coding')
    this.transferEncoding = true
    let last = -1
    let lastEnd = -1
    forEachListItem(value, start, end, (s, e) => {
      last = s
      lastEnd = e
    })
    // A field line with only empty elements leaves the codings so far as they were.
    if (last >= 0) this.chunked = equalsLower(value, last, lastEnd, CHUNKED)
  }

  private startBody(): void {
    const {status} = this
    if (status === 101) {
      // Switching Protocols: the connection is no longer HTTP/1.1; a load test never asks for it.
      this.keepAlive = false
      this.upgraded = true
      this.sink.headEnd(this)
      this.state = SWITCHED
      this.completed = true
      return
    }

    // RFC 9112 §6.1: Transfer-Encoding in an HTTP/1.0 message means faulty framing: close after it.
    if (this.transferEncoding && this.http10) this.keepAlive = false
    this.sink.headEnd(this)
    // RFC 9112 §6.3: a response to HEAD, and 204 and 304, have no body.
    if (this.headRequest || status === 204 || status === 304) return this.finish()
    if (this.transferEncoding) {
      if (this.chunked) {
        this.state = CHUNK_SIZE
        return
      }

      this.keepAlive = false
      this.state = UNTIL_CLOSE
      return
    }

    if (this.contentLength >= 0) {
      if (this.contentLength === 0) return this.finish()
      this.remaining = this.contentLength
      this.state = BODY
      return
    }

    this.keepAlive = false
    this.state = UNTIL_CLOSE
  }

  /** chunk-size [ chunk-ext ] CRLF (RFC 9112 §7.1), data[start, end) ending in its CRLF. */
  private parseChunkLine(data: Buffer, start: number, end: number): void {
    const lineEnd = end - 2
    if (data[lineEnd] !== CR) throw new ParseError('no CRLF after a chunk size')
    let pos = start
    let size = 0
    let digits = 0
    while (pos < lineEnd && HEX[data[pos]] >= 0) {
      size = size * 16 + HEX[data[pos++]]
      // Leading zeros are harmless; past 2^52 a size is no size.
      if (size > 0 && ++digits > 13) throw new ParseError('chunk size too large')
    }

    if (pos === start) throw new ParseError('a chunk line without a hexadecimal size')
    if (pos < lineEnd) parseChunkExtensions(data, pos, lineEnd)
    if (size === 0) {
      this.fields = 0
      this.state = TRAILERS
      return
    }

    this.remaining = size
    this.state = CHUNK_DATA
  }

  /** trailer-section CRLF (RFC 9112 §7.1.2): field lines, checked like a head's and then dropped. */
  private parseTrailers(data: Buffer, start: number, end: number): void {
    if (end - start > 2) this.parseFields(data, start, end - 2, false)
    this.finish()
  }

  /** Takes up to `remaining` body bytes from data[pos, end); returns where it stopped. */
  private takeBody(data: Buffer, pos: number, end: number): number {
    const n = Math.min(this.remaining, end - pos)
    this.sink.body(data, pos, pos + n)
    this.remaining -= n
    return pos + n
  }

  private finish(): void {
    this.state = HEAD
    this.completed = true
  }
}

/**
 * Where the CRLF ending the text that starts at `start` is: every byte before
 * it must be HTAB, SP, VCHAR or obs-text, so a control character, a bare CR or
 * a bare LF is refused.
 */
function lineEnd(data: Buffer, start: number): number {
  let i = start
  while (TEXT[data[i]] === 1) i++
  if (data[i] === CR && data[i + 1] === LF) return i
  throw new ParseError(data[i] === LF ? 'a line ending in LF without CR' : 'a control character in a header value')
}

/**
 * A tab after a framing value is whitespace to RFC 9110 §5.5, but node:http
 * refuses it after a Content-Length and reads "chunked<TAB>" as another coding:
 * where the two would frame the body differently, neither reading is trusted.
 */
function refuseTrailingTab(value: Buffer, end: number, rawEnd: number): void {
  for (let i = end; i < rawEnd; i++) if (value[i] === HTAB) throw new ParseError('a tab after a Content-Length or Transfer-Encoding value')
}

/** A folded value as one line: each obs-fold (OWS CRLF RWS) becomes one space (RFC 9112 §5.2). Its lines are checked already. */
function unfold(data: Buffer, start: number, end: number): Buffer {
  const out: number[] = []
  for (let i = start; i < end; i++) {
    if (data[i] === CR) {
      i += 1
      while (i + 1 < end && isWhite(data[i + 1])) i++
      while (out.length > 0 && isWhite(out[out.length - 1])) out.pop()
      out.push(SP)
    } else {
      out.push(data[i])
    }
  }

  return Buffer.from(out)
}

/** Calls `each` with the bounds of every non-empty element of a comma list, OWS trimmed (RFC 9110 §5.6.1). */
function forEachListItem(value: Buffer, start: number, end: number, each: (start: number, end: number) => void): void {
  let pos = start
  while (pos <= end) {
    let comma = pos
    while (comma < end && value[comma] !== COMMA) comma++
    let s = pos
    let e = comma
    while (s < e && isWhite(value[s])) s++
    while (e > s && isWhite(value[e - 1])) e--
    if (e > s) each(s, e)
    pos = comma + 1
  }
}

/**
 * chunk-ext = *( ";" chunk-ext-name [ "=" chunk-ext-val ] ), names tokens,
 * values tokens or quoted strings (RFC 9112 §7.1.1). Like node:http, no
 * whitespace around the separators (the RFC's BWS is allowed, not required).
 */
function parseChunkExtensions(data: Buffer, start: number, end: number): void {
  let pos = start
  while (pos < end) {
    if (data[pos++] !== SEMICOLON) throw new ParseError('a chunk size followed by something other than an extension')
    const name = pos
    while (pos < end && TOKEN[data[pos]] === 1) pos++
    if (pos === name) throw new ParseError('a chunk extension without a name')
    if (pos === end || data[pos] === SEMICOLON) continue
    if (data[pos++] !== EQUALS) throw new ParseError('a malformed chunk extension')
    if (data[pos] === QUOTE) {
      pos++
      for (;;) {
        if (pos >= end) throw new ParseError('an unterminated quoted chunk extension')
        const byte = data[pos++]
        if (byte === QUOTE) break
        if (byte === BACKSLASH) {
          if (pos >= end || TEXT[data[pos]] === 0) throw new ParseError('a malformed chunk extension')
          pos++
        } else if (QDTEXT[byte] === 0) {
          throw new ParseError('a malformed chunk extension')
        }
      }
    } else {
      const value = pos
      while (pos < end && TOKEN[data[pos]] === 1) pos++
      if (pos === value) throw new ParseError('a chunk extension without a value')
    }
  }
}

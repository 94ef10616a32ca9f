// Reads a connection's bytes as HTTP/1.1 responses, strictly and in order, so a
// test can say which response each byte belongs to (an interim response inside
// a final one shows up as a wrong status or a garbled head, not as a pass).
import {rawSocket, readUntilClose} from './http.js'

export interface ParsedResponse {
  body: Buffer
  /** The status line and header lines, as received. */
  head: string
  /** Every byte of the response. */
  raw: Buffer
  status: number
}

/**
 * Splits `bytes` into responses to requests made with `methods`, in order.
 * Interim (1xx) responses are entries of their own and answer no request. A
 * response with neither Content-Length nor chunked framing takes the rest.
 * Stops at the first incomplete response; `rest` is what is left over.
 */
export function splitResponses(bytes: Buffer, methods: readonly string[]): {responses: ParsedResponse[]; rest: Buffer} {
  const responses: ParsedResponse[] = []
  let at = 0
  let request = 0
  while (at < bytes.length) {
    const headEnd = bytes.indexOf('\r\n\r\n', at)
    if (headEnd === -1) break
    const head = bytes.subarray(at, headEnd).toString('latin1')
    const match = /^HTTP\/1\.[01] (\d{3})(?: [^\r\n]*)?(?:\r\n|$)/.exec(head)
    if (!match) throw new Error(`not a response head at byte ${at}: ${JSON.stringify(head.slice(0, 80))}`)
    const status = Number(match[1])
    const interim = status >= 100 && status < 200
    const bodyStart = headEnd + 4
    let end: number
    if (interim || methods[request] === 'HEAD' || status === 204 || status === 304) end = bodyStart
    else {
      const length = /\r\ncontent-length: *(\d+)/i.exec(head)
      if (length) end = bodyStart + Number(length[1])
      else if (/\r\ntransfer-encoding: *chunked/i.test(head)) end = chunkedEnd(bytes, bodyStart)
      else end = bytes.length
      if (end > bytes.length || end === -1) break
    }

    responses.push({body: bytes.subarray(bodyStart, end), head, raw: bytes.subarray(at, end), status})
    if (!interim) request++
    at = end
  }

  return {rest: bytes.subarray(at), responses}
}

/** Where a chunked body starting at `from` ends, or -1 when it has not all arrived. */
function chunkedEnd(bytes: Buffer, from: number): number {
  let at = from
  for (;;) {
    const lineEnd = bytes.indexOf('\r\n', at)
    if (lineEnd === -1) return -1
    const size = Number.parseInt(bytes.subarray(at, lineEnd).toString('latin1'), 16)
    if (Number.isNaN(size)) throw new Error(`bad chunk size at byte ${at}`)
    if (size === 0) {
      const trailerEnd = bytes.indexOf('\r\n\r\n', lineEnd)
      return trailerEnd === -1 ? -1 : trailerEnd + 4
    }

    at = lineEnd + 2 + size + 2
    if (at > bytes.length) return -1
  }
}

/**
 * Sends `bytes` on a new connection to `url` (ending the client's side after
 * them when `halfClose`), and splits everything the server sends until it
 * closes into responses to `methods`.
 */
export async function exchangeUntilClose(url: string, bytes: string, methods: readonly string[], {halfClose = false} = {}) {
  const socket = await rawSocket(url)
  const received = readUntilClose(socket)
  if (halfClose) socket.end(bytes)
  else socket.write(bytes)
  return splitResponses(Buffer.from(await received, 'latin1'), methods)
}

// One raw exchange with a server: write bytes nobody's HTTP client would send,
// then read every response until the server closes the connection. Reads are
// bounded: a server that neither answers nor closes shows up as 'timeout'.
import {connect} from 'node:net'

import {frameAll, recordingFramer} from './frames.js'

export interface RawReply {
  /** How the connection ended: a FIN from the server, a reset (or a refusal), or still open at the bound. */
  ending: 'closed' | 'reset' | 'timeout'
  /** The socket error's code, if any (ECONNREFUSED, ECONNRESET, EPIPE). */
  error?: string
  /** Milliseconds from the write to the end. */
  ms: number
  /** Everything received, as latin1 text. */
  raw: string
  /** The status of each complete response, in order. */
  statuses: number[]
  /** Set when the bytes received are not valid HTTP/1.1 responses. */
  unparsable?: string
}

export interface ExchangeOptions {
  /** The request is HEAD: its response has no body, whatever Content-Length says. */
  head?: boolean
  /** Bound on the whole exchange. */
  timeoutMs?: number
}

export function exchange(url: string, payload: Buffer | string, options: ExchangeOptions = {}): Promise<RawReply> {
  const {hostname, port} = new URL(url)
  const timeoutMs = options.timeoutMs ?? 5000
  return new Promise((resolve) => {
    const statuses: number[] = []
    const chunks: Buffer[] = []
    const {framer, sink} = recordingFramer()
    framer.expect(options.head ?? false)
    let unparsable: string | undefined
    let ending: RawReply['ending'] = 'closed'
    let errorCode: string | undefined
    const start = performance.now()

    const socket = connect(Number(port), hostname)
    const timer = setTimeout(() => {
      ending = 'timeout'
      socket.destroy()
    }, timeoutMs)
    socket.on('connect', () => socket.write(payload))
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk)
      if (unparsable) return
      try {
        frameAll(framer, chunk, () => statuses.push(sink.done(framer).status))
      } catch (error) {
        unparsable = (error as Error).message
      }
    })
    // EPIPE/ECONNRESET: the server hung up while we were still writing, or reset; ECONNREFUSED: nobody listens.
    socket.on('error', (error: NodeJS.ErrnoException) => {
      errorCode ??= error.code
      if (ending !== 'timeout') ending = 'reset'
    })
    socket.on('close', () => {
      clearTimeout(timer)
      // A body delimited by the close (as in Node's own 400 answers) completes here.
      const closing = unparsable ? 'idle' : framer.end(ending === 'closed')
      if (closing === 'complete') statuses.push(sink.done(framer).status)
      if (closing === 'truncated') unparsable = 'a response was cut short'
      resolve({
        ending,
        ...(errorCode ? {error: errorCode} : {}),
        ms: performance.now() - start,
        raw: Buffer.concat(chunks).toString('latin1'),
        statuses,
        ...(unparsable ? {unparsable} : {}),
      })
    })
  })
}

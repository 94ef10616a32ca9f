// A client that sends its request, then goes on pipelining more while its
// answer comes in, as a browser or a load generator may: the peer that a
// server closing at once would answer with a reset.
import {once} from 'node:events'
import {connect} from 'node:net'

export interface EagerOutcome {
  /** Everything received before the close. */
  bytes: Buffer
  /** The socket error the close came with (ECONNRESET when the server reset), if any. */
  error?: string
  /** Whether the server's FIN arrived (a clean end of its side). */
  finReceived: boolean
  /** performance.now() at the FIN and at the close. */
  finAt?: number
  closedAt: number
}

/** One request the client pipelines, over and over. */
export const MORE_REQUEST = 'GET /more HTTP/1.1\r\nHost: x\r\n\r\n'
const MORE = Buffer.from(MORE_REQUEST.repeat(512))

/**
 * Sends `request`, then keeps writing pipelined requests until the server's
 * FIN, and ends its own side then, unless `ignoreFin` (a client that never
 * stops). Resolves with what came back once the connection is closed.
 */
export async function eagerClient(url: string, request: string, {ignoreFin = false} = {}): Promise<EagerOutcome> {
  const {hostname, port} = new URL(url)
  // A client that ignores the FIN must keep its own side open: by default Node ends it at the server's FIN.
  const socket = connect({allowHalfOpen: ignoreFin, host: hostname, port: Number(port)})
  await once(socket, 'connect')
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let finAt: number | undefined
    let error: string | undefined
    socket.on('data', (chunk: Buffer) => chunks.push(chunk))
    socket.on('end', () => {
      finAt = performance.now()
      if (!ignoreFin) socket.end()
    })
    socket.on('error', (e: NodeJS.ErrnoException) => {
      error = e.code ?? e.message
    })
    socket.on('close', () => resolve({bytes: Buffer.concat(chunks), closedAt: performance.now(), error, finAt, finReceived: finAt !== undefined}))
    socket.write(request)
    const more = () => {
      if (socket.destroyed || socket.writableEnded || (finAt !== undefined && !ignoreFin)) return
      // Paced by the socket: the next batch once this one is with the kernel.
      socket.write(MORE, () => setImmediate(more))
    }

    setImmediate(more)
  })
}

/** Whether `bytes` begin with one whole response whose body is `length` bytes, by its Content-Length. */
export function wholeAnswer(bytes: Buffer, length: number): boolean {
  const headEnd = bytes.indexOf('\r\n\r\n')
  if (headEnd === -1) return false
  const declared = Number(/\r\ncontent-length: *(\d+)/i.exec(bytes.subarray(0, headEnd).toString('latin1'))?.[1])
  return declared === length && bytes.length >= headEnd + 4 + length
}

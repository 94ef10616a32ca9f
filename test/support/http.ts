// Small HTTP clients for tests: a fresh connection per request (so a pool's
// round-robin is visible), and raw sockets for what fetch cannot send.
import {once} from 'node:events'
import {request as httpRequest, type IncomingHttpHeaders} from 'node:http'
import {connect, type Socket} from 'node:net'

export interface Reply {
  body: Buffer
  headers: IncomingHttpHeaders
  status: number
}

/** One request on its own connection (no keep-alive agent). */
export function get(url: string, options: {headers?: Record<string, string>; method?: string} = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, {agent: false, headers: options.headers, method: options.method ?? 'GET'}, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({body: Buffer.concat(chunks), headers: res.headers, status: res.statusCode!}))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end()
  })
}

/** Opens a raw TCP connection to the server behind `url`. */
export async function rawSocket(url: string): Promise<Socket> {
  const {hostname, port} = new URL(url)
  const socket = connect(Number(port), hostname)
  await once(socket, 'connect')
  return socket
}

/** Everything the server sends until it closes the connection. */
export async function readUntilClose(socket: Socket): Promise<string> {
  const chunks: Buffer[] = []
  socket.on('data', (c: Buffer) => chunks.push(c))
  await once(socket, 'close')
  return Buffer.concat(chunks).toString('latin1')
}

/**
 * The next `count` responses on a keep-alive connection, each as its bytes
 * (head, and the body its Content-Length gives unless `head`, as for HEAD).
 */
export function readResponses(socket: Socket, count: number, {head = false} = {}): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    let pending = Buffer.alloc(0)
    const responses: Buffer[] = []
    const onData = (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk])
      for (;;) {
        const headEnd = pending.indexOf('\r\n\r\n')
        if (headEnd === -1) return
        const length = head ? 0 : Number(/\r\ncontent-length: *(\d+)/i.exec(pending.subarray(0, headEnd).toString('latin1'))?.[1] ?? 0)
        const end = headEnd + 4 + length
        if (pending.length < end) return
        responses.push(pending.subarray(0, end))
        pending = pending.subarray(end)
        if (responses.length === count) {
          socket.off('data', onData)
          socket.off('close', onClose)
          resolve(responses)
          return
        }
      }
    }

    const onClose = () => reject(new Error(`the connection closed after ${responses.length} of ${count} responses`))
    socket.on('data', onData)
    socket.once('close', onClose)
  })
}

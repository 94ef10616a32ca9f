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

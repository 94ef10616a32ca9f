import {strict as assert} from 'node:assert'
import {once} from 'node:events'
import {createServer, type OutgoingHttpHeaders, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'

import {httpDate, JOINED_MAX, rawResponse} from '../../src/http/raw-response.js'
import {rawSocket, readResponses} from '../support/http.js'

describe('rawResponse', () => {
  let server: Server | undefined
  afterEach(async () => {
    server?.closeAllConnections()
    server?.close()
    server = undefined
  })

  /** What node:http writes for writeHead(status, headers) and end(body), on a keep-alive connection. */
  async function nodeBytes(status: number, headers: OutgoingHttpHeaders, body: Buffer, method: string, keepAliveMs: number) {
    server = createServer({keepAliveTimeout: keepAliveMs}, (_req, res) => {
      res.writeHead(status, headers)
      res.end(body)
    })
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    const socket = await rawSocket(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`)
    const replies = readResponses(socket, 1, {head: method === 'HEAD'})
    socket.write(`${method} / HTTP/1.1\r\nHost: a\r\n\r\n`)
    const [bytes] = await replies
    socket.destroy()
    return bytes
  }

  const headers = {'Content-Length': '5', 'Content-Type': 'text/plain; charset=utf-8', 'X-Worker': '3'}
  const cases: Array<[string, number, OutgoingHttpHeaders, Buffer, number]> = [
    ['a small page', 200, headers, Buffer.from('hello'), 5000],
    ['a 404 with an odd keep-alive', 404, {...headers, 'Content-Length': '5'}, Buffer.from('nope!'), 2500],
    ['no keep-alive timeout', 200, headers, Buffer.from('hello'), 0],
    ['a body too large to join', 200, {'Content-Length': String(JOINED_MAX + 1), 'Content-Type': 'image/jpeg'}, Buffer.alloc(JOINED_MAX + 1, 7), 5000],
  ]
  for (const [what, status, hdrs, body, keepAliveMs] of cases) {
    it(`is byte for byte what node:http writes: ${what}, GET and HEAD`, async () => {
      for (const method of ['GET', 'HEAD']) {
        const expected = await nodeBytes(status, hdrs, body, method, keepAliveMs)
        const date = /\r\nDate: ([^\r]+)\r\n/.exec(expected.toString('latin1'))![1]
        const raw = rawResponse(status, hdrs, body, date, keepAliveMs)
        const actual = method === 'HEAD' ? raw.head : Buffer.concat([raw.get, raw.getTail])
        assert.equal(actual.toString('latin1'), expected.toString('latin1'), `${what} ${method}`)
        await new Promise<void>((resolve) => {
          server!.close(() => resolve())
          server!.closeAllConnections()
        })
        server = undefined
      }
    })
  }

  it('joins a small body to its head and keeps a large one apart', () => {
    const small = rawResponse(200, headers, Buffer.from('hello'), 'D', 5000)
    assert.equal(small.getTail.byteLength, 0)
    assert.ok(small.get.toString('latin1').endsWith('\r\n\r\nhello'))
    const large = rawResponse(200, headers, Buffer.alloc(JOINED_MAX + 1), 'D', 5000)
    assert.equal(large.get, large.head)
    assert.equal(large.getTail.byteLength, JOINED_MAX + 1)
  })
})

describe('httpDate', () => {
  it('formats the time as a Date header, the same all through a second', () => {
    const second = Date.UTC(2026, 10, 26, 7, 30, 15)
    assert.equal(httpDate(second), 'Thu, 26 Nov 2026 07:30:15 GMT')
    assert.equal(httpDate(second + 999), 'Thu, 26 Nov 2026 07:30:15 GMT')
    assert.equal(httpDate(second + 1000), 'Thu, 26 Nov 2026 07:30:16 GMT')
    const before = new Date().toUTCString()
    const now = httpDate()
    assert.ok([before, new Date().toUTCString()].includes(now), now)
  })
})

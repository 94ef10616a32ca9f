import {strict as assert} from 'node:assert'
import {once} from 'node:events'
import {createServer, type OutgoingHttpHeaders, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'

import {httpDate, JOINED_MAX, rawHead, ReadyResponse} from '../../src/server/ready-response.js'
import {rawSocket, readResponses} from '../support/http.js'

const withoutDate = (bytes: Buffer) => bytes.toString('latin1').replace(/\r\nDate: [^\r]+\r\n/, '\r\nDate: -\r\n')

describe('ReadyResponse', () => {
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
        const head = rawHead(status, hdrs, date, keepAliveMs)
        assert.equal(method === 'HEAD' ? head : head + body.toString('latin1'), expected.toString('latin1'), `${what} ${method}`)
        const ready = new ReadyResponse(status, hdrs, body, keepAliveMs).current()
        const sent = method === 'HEAD' ? ready.head : Buffer.concat([ready.get, ready.getTail])
        assert.equal(withoutDate(sent), withoutDate(expected), `${what} ${method}, as sent`)
        await new Promise<void>((resolve) => {
          server!.close(() => resolve())
          server!.closeAllConnections()
        })
        server = undefined
      }
    })
  }

  it('joins a small body to its head and keeps a large one apart', () => {
    const small = new ReadyResponse(200, headers, Buffer.from('hello'), 5000).current()
    assert.equal(small.getTail.byteLength, 0)
    assert.ok(small.get.toString('latin1').endsWith('\r\n\r\nhello'))
    const large = new ReadyResponse(200, {...headers, 'Content-Length': String(JOINED_MAX + 1)}, Buffer.alloc(JOINED_MAX + 1), 5000).current()
    assert.equal(large.get, large.head)
    assert.equal(large.getTail.byteLength, JOINED_MAX + 1)
  })

  it('refuses what node:http would frame otherwise, rather than send other bytes', () => {
    for (const [status, hdrs] of <Array<[number, OutgoingHttpHeaders]>>[
      [304, {ETag: '"x"'}],
      [204, {}],
      [200, {'Content-Type': 'text/plain'}],
      [200, {Connection: 'close', 'Content-Length': '0'}],
      [200, {'Content-Length': '0', 'Set-Cookie': ['a=1', 'b=2']}],
    ]) {
      assert.throws(() => new ReadyResponse(status, hdrs, Buffer.alloc(0), 5000).current(), JSON.stringify([status, hdrs]))
    }
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

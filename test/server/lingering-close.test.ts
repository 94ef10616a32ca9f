import {strict as assert} from 'node:assert'
import {once} from 'node:events'
import {subscribe, unsubscribe} from 'node:diagnostics_channel'
import {createServer} from 'node:http'
import {type AddressInfo, connect, createServer as createNetServer, type Socket} from 'node:net'

import type {FetchHandler} from '../../src/server/http-server.js'
import {closeLingering, LINGER_MS, type LingerBounds} from '../../src/server/lingering-close.js'
import {eagerClient, wholeAnswer} from '../support/eager-client.js'
import {gated} from '../support/gated.js'
import {startHttpServer} from '../support/http-server.js'

// RFC 9112 §9.6: a server closes in stages (its FIN, then reading until the
// client closes) so a client still sending does not get a reset that erases
// the last response before it is read.
const SIZE = 2 * 1024 * 1024
const BODY = Buffer.alloc(SIZE, 'b')
const big: FetchHandler = () => new Response(BODY, {headers: {'Content-Length': String(SIZE)}})

describe('closing a connection the client is still sending on (lingering close)', function () {
  this.timeout(20_000)
  const stops: Array<() => Promise<unknown>> = []
  afterEach(async () => {
    await Promise.all(stops.splice(0).map((stop) => stop()))
  })

  async function serve(fetch: FetchHandler) {
    const s = await startHttpServer(fetch)
    stops.push(() => s.server.close(0))
    return s
  }

  it('delivers the whole last answer of an HTTP/1.0 connection, then a clean close, though the client keeps sending', async () => {
    const {url} = await serve(big)
    for (let i = 0; i < 5; i++) {
      const outcome = await eagerClient(url, 'GET / HTTP/1.0\r\n\r\n')
      assert.ok(wholeAnswer(outcome.bytes, SIZE), `round ${i}: got ${outcome.bytes.length} bytes, ${outcome.error ?? 'no error'}`)
      assert.equal(outcome.finReceived, true)
      assert.equal(outcome.error, undefined, `round ${i}: closed without a reset`)
    }
  })

  it('delivers the whole answer in flight when the server drains, then a clean close, to a client pipelining behind it', async () => {
    const slow = gated(() => new Response(BODY, {headers: {'Content-Length': String(SIZE)}}))
    // The requests pipelined behind the slow one are answered too (read before the drain, as usual), each with a few bytes.
    const s = await startHttpServer((request) =>
      new URL(request.url).pathname === '/slow' ? slow.fetch(request) : new Response('ok', {headers: {'Content-Length': '2'}}),
    )
    stops.push(() => s.server.close(0))
    const outcome = eagerClient(s.url, 'GET /slow HTTP/1.1\r\nHost: x\r\n\r\n')
    await slow.started
    // Shorter than the linger: the client's FIN must be read for nothing to be forced.
    const closed = s.server.close(LINGER_MS / 2)
    slow.release()
    const {bytes, error, finReceived} = await outcome
    assert.ok(wholeAnswer(bytes, SIZE), `got ${bytes.length} bytes, ${error ?? 'no error'}`)
    assert.equal(finReceived, true)
    assert.equal(error, undefined, 'closed without a reset')
    assert.deepEqual(await closed, {forced: false})
  })

  it('still cuts a client that never stops sending, once the linger is over', async () => {
    const {url} = await serve(big)
    const outcome = await eagerClient(url, 'GET / HTTP/1.0\r\n\r\n', {ignoreFin: true})
    assert.ok(wholeAnswer(outcome.bytes, SIZE), 'the answer first, whole')
    assert.equal(outcome.finReceived, true, 'then the FIN')
    const lingered = outcome.closedAt - outcome.finAt!
    // Lower bound with room for a timer that fires a little early; the upper one only says it ends.
    assert.ok(lingered >= LINGER_MS * 0.75 && lingered < LINGER_MS + 5000, `cut ${Math.round(lingered)} ms after the FIN, after the linger`)
  })

  it('makes no requests of what a client pipelines after the last answer, and reads on to its FIN', async () => {
    const parsedAfterFin: string[] = []
    const onRequest = ({socket}: {socket: Socket}) => {
      if (socket.writableEnded) parsedAfterFin.push('request')
    }

    // node:http's own channel: every request it makes of the bytes, answered or not.
    subscribe('http.server.request.start', onRequest as (message: unknown) => void)
    try {
      // The server decides to close: the client cannot know before it reads the answer.
      const {server, url} = await startHttpServer(() => new Response('ok', {headers: {Connection: 'close', 'Content-Length': '2'}}))
      stops.push(() => server.close(0))
      const outcome = eagerClient(url, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n')
      const {bytes, error, finReceived} = await outcome
      assert.match(bytes.toString('latin1'), /^HTTP\/1\.1 200 OK\r\n[^]*\r\n\r\nok$/)
      assert.equal(finReceived, true)
      assert.equal(error, undefined)
      // The client's FIN is read, so a graceful close shorter than the linger need not force anything.
      assert.deepEqual(await server.close(LINGER_MS / 2), {forced: false})
    } finally {
      unsubscribe('http.server.request.start', onRequest as (message: unknown) => void)
    }

    // One head at most, parsed before node:http was stopped again; without the stop, thousands.
    assert.ok(parsedAfterFin.length <= 1, `${parsedAfterFin.length} requests made of bytes sent after the FIN`)
  })

  it('is needed: node:http alone resets such a client, which then loses the answer (so the tests above can tell)', async () => {
    const http = createServer((_req, res) => res.writeHead(200, {'Content-Length': String(SIZE)}).end(BODY))
    http.listen(0, '127.0.0.1')
    await once(http, 'listening')
    stops.push(async () => http.close())
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`
    let lost = 0
    for (let i = 0; i < 20 && lost === 0; i++) {
      const outcome = await eagerClient(url, 'GET / HTTP/1.0\r\n\r\n')
      if (!wholeAnswer(outcome.bytes, SIZE) || outcome.error !== undefined) lost++
    }

    assert.ok(lost > 0, 'node:http now closes in stages by itself: every answer arrived whole')
  })
})

describe('closeLingering on a client that does not read', function () {
  this.timeout(20_000)
  const clients: Socket[] = []
  afterEach(() => {
    for (const client of clients.splice(0)) client.destroy()
  })

  /** A server that queues `bytes` for its one client, then closes lingering with `bounds`; resolves with both ends. */
  function queued(bytes: number, bounds: LingerBounds) {
    return new Promise<{client: Socket; socket: Socket}>((resolve) => {
      const server = createNetServer((socket) => {
        socket.on('error', () => {})
        socket.write(Buffer.alloc(bytes, 'q'))
        closeLingering(socket, undefined, bounds)
        server.close()
        resolve({client: clients[0], socket})
      }).listen(0, '127.0.0.1')
      server.once('listening', () => {
        const client = connect((server.address() as AddressInfo).port, '127.0.0.1')
        client.on('error', () => {})
        client.pause()
        clients.push(client)
      })
    })
  }

  it('cuts one that never reads at the deadline, with what it was owed still queued', async () => {
    const {socket} = await queued(32 * 1024 * 1024, {deadlineMs: 300, lingerMs: 200})
    await once(socket, 'close')
    assert.equal(socket.writableFinished, false, 'cut before the last byte went out')
  })

  it('without a deadline, lets a slow reader take all of its last answer, then closes', async () => {
    const size = 8 * 1024 * 1024
    const {client, socket} = await queued(size, {lingerMs: 200})
    let received = 0
    client.on('data', (chunk: Buffer) => {
      received += chunk.length
      // Slow: a pause after every chunk, for longer in all than the linger.
      client.pause()
      setTimeout(() => client.resume(), 5)
    })
    client.resume()
    await once(socket, 'close')
    assert.equal(socket.writableFinished, true, 'every byte went out')
    await once(client, 'close')
    assert.equal(received, size)
  })
})

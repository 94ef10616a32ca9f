import {strict as assert} from 'node:assert'
import {once} from 'node:events'
import {createServer} from 'node:http'
import type {AddressInfo} from 'node:net'

import type {FetchHandler} from '../../src/server/http-server.js'
import {LINGER_MS} from '../../src/server/lingering-close.js'
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
    const closed = s.server.close(10_000)
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
    assert.ok(lingered < LINGER_MS + 5000, `cut ${Math.round(lingered)} ms after the FIN, bounded by the linger`)
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

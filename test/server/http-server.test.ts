import {strict as assert} from 'node:assert'
import {once} from 'node:events'
import type {Socket} from 'node:net'

import type {Shortcut} from '../../src/apps/served-app.js'
import {prepare, toResponse} from '../../src/http/prepared.js'
import type {FetchHandler, HttpServer} from '../../src/server/http-server.js'
import {DEFAULT_TIMEOUTS} from '../../src/server/options.js'
import {get, rawSocket, readUntilClose} from '../support/http.js'
import {gated} from '../support/gated.js'
import {FAST_PATH, startHttpServer as start} from '../support/http-server.js'
import {exchangeUntilClose, splitResponses} from '../support/responses.js'

describe('http server', () => {
  let server: HttpServer | undefined
  afterEach(async () => {
    await server?.close(0)
    server = undefined
  })

  it('names its instance in X-Instance beside X-Worker on every answer, whichever way it was made', async () => {
    const prepared = prepare(200, 'fast', {'Content-Type': 'text/plain'})
    const shortcut: Shortcut = (head) => (head.url === '/fast' ? prepared : undefined)
    // The app gives what the shortcut gives, as the real apps do, so the switched-off run expects the same.
    const app: FetchHandler = (request) =>
      new URL(request.url).pathname === '/fast' ? toResponse(prepared) : new Response('app', {headers: {'Content-Length': '3'}, status: 404})
    const s = await start(app, DEFAULT_TIMEOUTS, shortcut, FAST_PATH, 'web-1')
    server = s.server
    const socket = await rawSocket(s.url)
    // A prepared answer, the app's, HEAD of the app's, then a head node:http refuses (its 400 closes).
    socket.write('GET /fast HTTP/1.1\r\nHost: x\r\n\r\nGET /app HTTP/1.1\r\nHost: x\r\n\r\nHEAD /app HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nBad Header\r\n\r\n')
    const {responses} = splitResponses(Buffer.from(await readUntilClose(socket), 'latin1'), ['GET', 'GET', 'HEAD', 'GET'])
    const field = (head: string, name: string) => new RegExp(`\r\n${name}: ([^\r]*)`, 'i').exec(head)?.[1]
    assert.deepEqual(
      responses.map((r) => [r.status, field(r.head, 'X-Instance'), field(r.head, 'X-Worker')]),
      [
        [200, 'web-1', '7'],
        [404, 'web-1', '7'],
        [404, 'web-1', '7'],
        [400, 'web-1', '7'],
      ],
    )
    const plain = await start(() => new Response('app', {headers: {'Content-Length': '3'}}))
    const reply = await get(`${plain.url}/`)
    assert.equal(reply.headers['x-instance'], undefined, 'no X-Instance unless named')
    assert.equal(reply.headers['x-worker'], '7')
    await plain.server.close(0)
  })

  it('adds X-Worker to every response and writes one access line per request', async () => {
    const s = await start(() => new Response('hello', {headers: {'Content-Length': '5'}, status: 201}))
    server = s.server
    const res = await get(`${s.url}/some/path?q=1`)
    assert.equal(res.status, 201)
    assert.equal(res.headers['x-worker'], '7')
    assert.equal(res.body.toString(), 'hello')
    await new Promise((resolve) => {
      setImmediate(resolve)
    })
    const line = JSON.parse(s.log[0])
    assert.equal(line.worker, '7')
    assert.equal(line.method, 'GET')
    assert.equal(line.path, '/some/path?q=1')
    assert.equal(line.status, 201)
    assert.equal(line.bytes, 5)
    assert.ok(line.ms >= 0)
  })

  describe('with a shortcut', () => {
    // As in the real apps, the shortcut gives exactly the app's answer: with the fast path
    // switched off (WEBKIT_FAST_PATH=0) the app gives it, and every test holds either way.
    const fast = prepare(200, 'fast!', {'Content-Type': 'text/plain; charset=utf-8'})
    const shortcut: Shortcut = ({url}) => (url === '/fast' ? fast : undefined)
    let appCalls = 0
    const app: FetchHandler = (request) => {
      appCalls++
      return new URL(request.url).pathname === '/fast' ? toResponse(fast) : new Response('app', {headers: {'Content-Length': '3'}})
    }

    beforeEach(() => {
      appCalls = 0
    })

    it("sends the shortcut's answer with X-Worker and logs its bytes; HEAD gets the headers alone", async () => {
      const s = await start(app, DEFAULT_TIMEOUTS, shortcut)
      server = s.server
      const res = await get(`${s.url}/fast`)
      assert.equal(res.body.toString(), 'fast!')
      assert.equal(res.headers['x-worker'], '7')
      assert.equal(res.headers['content-type'], 'text/plain; charset=utf-8')
      assert.equal(res.headers['x-content-type-options'], 'nosniff')
      const head = await get(`${s.url}/fast`, {method: 'HEAD'})
      assert.equal(head.body.length, 0)
      assert.equal(head.headers['content-length'], '5')
      assert.equal(head.headers['x-worker'], '7')
      assert.equal(appCalls, FAST_PATH ? 0 : 2, 'the app answered /fast only with the fast path off')
      assert.equal((await get(`${s.url}/other`)).body.toString(), 'app')
      await new Promise((resolve) => {
        setImmediate(resolve)
      })
      const lines = s.log.map((line) => JSON.parse(line))
      assert.deepEqual(
        lines.map(({bytes, method, path, status, worker}) => ({bytes, method, path, status, worker})),
        [
          {bytes: 5, method: 'GET', path: '/fast', status: 200, worker: '7'},
          {bytes: 0, method: 'HEAD', path: '/fast', status: 200, worker: '7'},
          {bytes: 3, method: 'GET', path: '/other', status: 200, worker: '7'},
        ],
      )
    })

    it('asks no shortcut with the fast path switched off: the app answers every request', async () => {
      let asked = 0
      const s = await start(app, DEFAULT_TIMEOUTS, (request) => {
        asked++
        return shortcut(request)
      }, false)
      server = s.server
      const {responses} = await exchangeUntilClose(s.url, 'GET /fast HTTP/1.1\r\nHost: x\r\n\r\nGET /fast HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', ['GET', 'GET'])
      assert.deepEqual(responses.map((r) => r.body.toString()), ['fast!', 'fast!'])
      assert.equal(asked, 0)
      assert.equal(appCalls, 2)
    })

    it('logs the bytes of answers queued behind others on a pipelined connection', async () => {
      const s = await start(app, DEFAULT_TIMEOUTS, shortcut)
      server = s.server
      const socket = await rawSocket(s.url)
      const received = readUntilClose(socket)
      // One write: Node parses all four before the first answer is done, so the rest wait in its queue.
      socket.write(
        'GET /fast HTTP/1.1\r\nHost: x\r\n\r\nGET /fast HTTP/1.1\r\nHost: x\r\n\r\n' +
          'HEAD /fast HTTP/1.1\r\nHost: x\r\n\r\nGET /fast HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
      )
      const reply = await received
      assert.equal(reply.split('fast!').length - 1, 3)
      await new Promise((resolve) => {
        setImmediate(resolve)
      })
      const lines = s.log.map((line) => JSON.parse(line))
      assert.deepEqual(
        lines.map(({bytes, method}) => ({bytes, method})),
        [
          {bytes: 5, method: 'GET'},
          {bytes: 5, method: 'GET'},
          {bytes: 0, method: 'HEAD'},
          {bytes: 5, method: 'GET'},
        ],
      )
    })

    it('logs no bytes for an answer to a client that reset the connection', async () => {
      const s = await start(app, DEFAULT_TIMEOUTS, shortcut)
      server = s.server
      // However the answer went, the log line is written by the time the server's side of the connection closes.
      const served = new Promise<void>((resolve) => {
        s.listener.once('connection', (connection: Socket) => connection.once('close', () => setImmediate(resolve)))
      })
      const socket = await rawSocket(s.url)
      socket.on('error', () => {})
      // The request and the reset arrive together: the answer is written to a connection already gone.
      socket.write('GET /fast HTTP/1.1\r\nHost: x\r\n\r\n', () => socket.resetAndDestroy())
      await served
      assert.deepEqual(
        s.log.map((line) => JSON.parse(line)).map(({bytes, path}) => ({bytes, path})),
        [{bytes: 0, path: '/fast'}],
      )
    })

    it('still refuses a request with two Host headers, whatever the shortcut knows', async () => {
      const s = await start(app, DEFAULT_TIMEOUTS, shortcut)
      server = s.server
      const socket = await rawSocket(s.url)
      socket.write('GET /fast HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n')
      const reply = await readUntilClose(socket)
      assert.match(reply, /^HTTP\/1\.1 400 /)
      assert.match(reply, /\r\nX-Worker: 7\r\n/i)
    })

    it('says Connection: close on answers it sends while draining', async () => {
      const g = gated()
      let asked!: () => void
      const fastAsked = new Promise<void>((resolve) => {
        asked = resolve
      })
      // /fast is read once the shortcut or, with the fast path off, the app is asked for it.
      const s = await start(
        (request) => {
          if (new URL(request.url).pathname !== '/fast') return g.fetch(request)
          asked()
          return toResponse(fast)
        },
        DEFAULT_TIMEOUTS,
        (request) => {
          if (request.url === '/fast') asked()
          return shortcut(request)
        },
      )
      server = s.server
      const socket = await rawSocket(s.url)
      const received = readUntilClose(socket)
      socket.write('GET /slow HTTP/1.1\r\nHost: x\r\n\r\n')
      await g.started
      const closed = s.server.close(10_000)
      // Sent on the busy connection once draining has begun; answered after the gated request.
      socket.write('GET /fast HTTP/1.1\r\nHost: x\r\n\r\n')
      await fastAsked
      g.release()
      const reply = await received
      const second = reply.slice(reply.indexOf('HTTP/1.1', 1))
      assert.match(second, /^HTTP\/1\.1 200 /)
      assert.match(second, /\r\nconnection: close\r\n/i)
      assert.ok(second.endsWith('fast!'))
      assert.deepEqual(await closed, {forced: false})
    })
  })

  it('lets an in-flight request finish on close, refusing new connections', async () => {
    const g = gated()
    const s = await start(g.fetch)
    server = s.server
    const inFlight = get(s.url)
    await g.started
    const closed = s.server.close(10_000)
    await assert.rejects(get(s.url), /ECONNREFUSED/)
    g.release()
    const res = await inFlight
    assert.equal(res.body.toString(), 'done')
    assert.equal(res.headers.connection, 'close')
    assert.deepEqual(await closed, {forced: false})
  })

  it('closes idle keep-alive connections at once on close', async () => {
    const s = await start(() => new Response('ok', {headers: {'Content-Length': '2'}}))
    server = s.server
    const socket = await rawSocket(s.url)
    socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n')
    await once(socket, 'data')
    const received = readUntilClose(socket)
    assert.deepEqual(await s.server.close(10_000), {forced: false})
    await received
  })

  it('cuts requests still running at the shutdown timeout', async () => {
    const g = gated()
    const s = await start(g.fetch)
    server = s.server
    const inFlight = get(s.url).catch((error: Error) => error)
    await g.started
    assert.deepEqual(await s.server.close(200), {forced: true})
    assert.ok((await inFlight) instanceof Error)
    g.release()
  })

  it('cuts a client that sends its headers too slowly', async () => {
    const s = await start(() => new Response('ok'), {...DEFAULT_TIMEOUTS, headersMs: 300, requestMs: 300})
    server = s.server
    const socket = await rawSocket(s.url)
    socket.write('GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ')
    const reply = await readUntilClose(socket)
    assert.match(reply, /^HTTP\/1\.1 408 /)
  })

  it('answers a bad head pipelined behind requests once their answers are out, not inside them', async () => {
    const g = gated()
    const s = await start(g.fetch)
    server = s.server
    const exchanged = exchangeUntilClose(s.url, 'GET /slow HTTP/1.1\r\nHost: x\r\n\r\nGET /bad HTTP/1.1\r\nHost: x\r\nBad Header: 1\r\n\r\n', ['GET', 'GET'])
    await g.started
    g.release()
    const {responses, rest} = await exchanged
    assert.deepEqual(responses.map((r) => [r.status, r.body.toString()]), [[200, 'done'], [400, '']])
    assert.equal(rest.length, 0)
  })

  it('gives a request whose body turns out broken its one answer, then closes: no 400 after it', async () => {
    const s = await start(() => new Response('app', {headers: {'Content-Length': '3'}}))
    server = s.server
    // The head is fine, so the app answers it; the chunk size after it is not hex.
    const {responses, rest} = await exchangeUntilClose(s.url, 'GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n', ['GET', 'GET'])
    assert.deepEqual(responses.map((r) => [r.status, r.body.toString()]), [[200, 'app'], [200, 'app']])
    assert.equal(rest.length, 0)
  })

  it('ends with the answer to a Connection: close request, whatever follows it on the connection', async () => {
    const s = await start(() => new Response('app', {headers: {'Content-Length': '3'}}))
    server = s.server
    // node:http's parser reports the bytes after such a request as an error: no 400 may follow the answer.
    const {responses, rest} = await exchangeUntilClose(s.url, 'GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\nGET /c HTTP/1.1\r\nHost: x\r\n\r\n', ['GET', 'GET'])
    assert.deepEqual(responses.map((r) => [r.status, r.body.toString()]), [[200, 'app'], [200, 'app']])
    assert.equal(rest.length, 0)
  })

  it('answers the requests a client sent before half-closing, then closes', async () => {
    // Answers that take a moment: they are made after the client's FIN has come in.
    const s = await start(async () => {
      await new Promise((resolve) => setTimeout(resolve, 20))
      return new Response('done', {headers: {'Content-Length': '4'}})
    })
    server = s.server
    const {responses} = await exchangeUntilClose(s.url, 'GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n', ['GET', 'GET'], {halfClose: true})
    assert.deepEqual(responses.map((r) => r.body.toString()), ['done', 'done'])
  })

  describe('interim responses', () => {
    // An app's page as Hono and node-server send it: a Uint8Array body with its length.
    const page = new TextEncoder().encode('<p>not here</p>')
    const fast = prepare(200, 'fast!', {'Content-Type': 'text/plain; charset=utf-8'})
    const shortcut: Shortcut = ({url}) => (url === '/fast' ? fast : undefined)
    const app: FetchHandler = (request) =>
      new URL(request.url).pathname === '/fast'
        ? toResponse(fast)
        : new Response(page, {headers: {'Content-Length': String(page.byteLength), 'Content-Type': 'text/html'}, status: 404})

    /** The statuses and bodies of everything the server sends back for `requests`, pipelined in one write. */
    async function pipelined(requests: string[], methods: string[]) {
      const s = await start(app, DEFAULT_TIMEOUTS, shortcut)
      server = s.server
      const {responses, rest} = await exchangeUntilClose(s.url, requests.join(''), methods)
      assert.equal(rest.length, 0, `bytes left over: ${JSON.stringify(rest.toString('latin1'))}`)
      return responses.map((r) => `${r.status} ${r.body.toString('latin1')}`)
    }

    const get = (path: string, extra = '') => `GET ${path} HTTP/1.1\r\nHost: x\r\n${extra}\r\n`
    const expect = 'Expect: 100-continue\r\n'
    const last = 'Connection: close\r\n'

    it('sends 100 Continue before the final response it belongs to, behind an answer still queued (RFC 9110 §15.2.1)', async () => {
      assert.deepEqual(
        await pipelined([get('/nope'), get('/nope', expect + last)], ['GET', 'GET']),
        ['404 <p>not here</p>', '100 ', '404 <p>not here</p>'],
      )
    })

    it('does so whichever path each answer takes: a prepared answer, the app, several in a row', async () => {
      assert.deepEqual(
        await pipelined([get('/fast'), get('/nope', expect), get('/fast', expect), get('/nope'), get('/nope', expect + last)], ['GET', 'GET', 'GET', 'GET', 'GET']),
        ['200 fast!', '100 ', '404 <p>not here</p>', '100 ', '200 fast!', '404 <p>not here</p>', '100 ', '404 <p>not here</p>'],
      )
    })
  })
})

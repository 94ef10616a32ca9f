import {strict as assert} from 'node:assert'
import {once} from 'node:events'
import type {Server as NetServer, Socket} from 'node:net'

import type {Shortcut} from '../../../src/apps/served-app.js'
import {prepare, toResponse} from '../../../src/http/prepared.js'
import type {FetchHandler, HttpServer} from '../../../src/server/http-server.js'
import {DEFAULT_TIMEOUTS} from '../../../src/server/options.js'
import {JOINED_MAX} from '../../../src/server/ready-response.js'
import {rawSocket, readResponses, readUntilClose} from '../../support/http.js'
import {FAST_PATH, startHttpServer} from '../../support/http-server.js'

// Connections start on the fast path (src/server/fast-path/); these tests hold
// it to what node:http would have done with the same bytes. With the fast path
// switched off (WEBKIT_FAST_PATH=0), node:http must behave the same.
describe('fast path', () => {
  const fast = prepare(200, 'fast!', {'Content-Type': 'text/plain; charset=utf-8'})
  const large = prepare(200, Buffer.alloc(JOINED_MAX + 1, 'L'), {'Content-Type': 'application/octet-stream'})
  const medium = prepare(200, Buffer.alloc(100_000, 'M'), {'Content-Type': 'application/octet-stream'})
  const answers = new Map([['/fast', fast], ['/large', large], ['/medium', medium]])
  const shortcut: Shortcut = ({url}) => answers.get(url ?? '')
  let appCalls = 0
  // The app's answers are the shortcut's where it has one, as in the real apps.
  const app: FetchHandler = (request) => {
    appCalls++
    const {pathname} = new URL(request.url)
    const prepared = answers.get(pathname)
    return prepared ? toResponse(prepared) : new Response(`app ${pathname}`)
  }

  let server: HttpServer | undefined
  afterEach(async () => {
    if (server) await server.close(0)
    server = undefined
  })

  async function start(timeouts = DEFAULT_TIMEOUTS) {
    const s = await startHttpServer(app, timeouts, shortcut)
    server = s.server
    return s
  }

  /** A client connection and the server's end of it. */
  async function connectBothEnds(s: {listener: NetServer; url: string}): Promise<[Socket, Socket]> {
    const connected = once(s.listener, 'connection') as Promise<[Socket]>
    const socket = await rawSocket(s.url)
    const [serverSide] = await connected
    return [socket, serverSide]
  }

  const withoutDate = (bytes: Buffer) => bytes.toString('latin1').replace(/\r\nDate: [^\r]+/, '')
  const bodies = (responses: Buffer[]) => responses.map((r) => r.toString('latin1').split('\r\n\r\n')[1])
  /** One field of every access-log line so far, once the log's batch is written. */
  async function logged(s: {log: string[]}, field: 'bytes' | 'path'): Promise<unknown[]> {
    await new Promise(setImmediate)
    return s.log.map((line) => JSON.parse(line)[field])
  }

  it("answers with node:http's bytes: the same request with a header that sends it to node:http gets the same answer", async () => {
    const s = await start()
    for (const method of ['GET', 'HEAD']) {
      const viaFastPath = await rawSocket(s.url)
      const viaNode = await rawSocket(s.url)
      const replies = [readResponses(viaFastPath, 1, {head: method === 'HEAD'}), readResponses(viaNode, 1, {head: method === 'HEAD'})]
      viaFastPath.write(`${method} /fast HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\n`)
      viaNode.write(`${method} /fast HTTP/1.1\r\nHost: x\r\nAccept: */*\r\nContent-Length: 0\r\n\r\n`)
      const [[a], [b]] = await Promise.all(replies)
      assert.equal(withoutDate(a), withoutDate(b), method)
      assert.match(a.toString('latin1'), /\r\nX-Worker: 7\r\nDate: [^\r]+ GMT\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\n\r\n/)
      viaFastPath.destroy()
      viaNode.destroy()
    }
  })

  it('hands a connection to node:http at its first request it cannot answer, keeping the answers in order', async () => {
    const s = await start()
    const socket = await rawSocket(s.url)
    const replies = readResponses(socket, 4)
    const request = (path: string) => `GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`
    socket.write(request('/fast') + request('/fast') + request('/app') + request('/fast'))
    const responses = await replies
    assert.deepEqual(bodies(responses), ['fast!', 'fast!', 'app /app', 'fast!'])
    for (const response of responses) assert.match(response.toString('latin1'), /\r\nX-Worker: 7\r\n/)
    assert.deepEqual(
      await logged(s, 'path'),
      ['/fast', '/fast', '/app', '/fast'],
    )
    socket.destroy()
  })

  it('hands over a request that arrives in pieces, which node:http then reads whole', async () => {
    const s = await start()
    const [socket, serverSide] = await connectBothEnds(s)
    // The rest is sent once the server has read the first piece on its own.
    serverSide.once('data', () => socket.write('st: x\r\n\r\n'))
    const replies = readResponses(socket, 1)
    socket.write('GET /fast HTTP/1.1\r\nHo')
    const [response] = await replies
    assert.equal(bodies([response])[0], 'fast!')
    socket.destroy()
  })

  it('sends a body too large to join to its head in full, GET after GET', async () => {
    const s = await start()
    const socket = await rawSocket(s.url)
    const replies = readResponses(socket, 3)
    socket.write('GET /large HTTP/1.1\r\nHost: x\r\n\r\n'.repeat(3))
    for (const body of bodies(await replies)) assert.equal(body, 'L'.repeat(JOINED_MAX + 1))
    socket.destroy()
  })

  it('stops reading a client that does not read its answers, and loses none of them', async () => {
    const s = await start()
    const [socket, serverSide] = await connectBothEnds(s)
    const paused = once(serverSide, 'pause')
    socket.pause()
    socket.write('GET /large HTTP/1.1\r\nHost: x\r\n\r\n'.repeat(50))
    await paused
    const replies = readResponses(socket, 50)
    socket.resume()
    const all = bodies(await replies)
    assert.equal(all.length, 50)
    assert.ok(all.every((body) => body === 'L'.repeat(JOINED_MAX + 1)))
    socket.destroy()
  })

  it('stops reading a client that sends request after request without reading, and logs every answer once sent', async () => {
    const s = await start()
    const [socket, serverSide] = await connectBothEnds(s)
    socket.pause()
    // One request per read on the server's side: the next is sent once the server has read the last.
    let sentCount = 0
    const sendOne = () => {
      sentCount++
      socket.write('GET /medium HTTP/1.1\r\nHost: x\r\n\r\n')
    }

    const paused = once(serverSide, 'pause')
    serverSide.on('data', () => {
      if (sentCount < 300 && !serverSide.isPaused()) sendOne()
    })
    sendOne()
    await paused
    assert.ok(sentCount < 300, `still reading after ${sentCount} requests`)
    const replies = readResponses(socket, sentCount)
    socket.resume()
    const all = bodies(await replies)
    assert.ok(all.every((body) => body === 'M'.repeat(100_000)))
    assert.deepEqual(
      await logged(s, 'bytes'),
      Array.from({length: sentCount}, () => 100_000),
    )
    socket.destroy()
  })

  it('logs the answers a client that half-closes gets, then closes', async () => {
    const s = await start()
    const socket = await rawSocket(s.url)
    const reply = readUntilClose(socket)
    socket.end('GET /medium HTTP/1.1\r\nHost: x\r\n\r\nGET /fast HTTP/1.1\r\nHost: x\r\n\r\n')
    const text = await reply
    assert.ok(text.endsWith('fast!'))
    assert.deepEqual(
      await logged(s, 'bytes'),
      [100_000, 5],
    )
  })

  it('answers a client that half-closes after its requests, then closes', async () => {
    const s = await start()
    const socket = await rawSocket(s.url)
    const reply = readUntilClose(socket)
    socket.end('GET /fast HTTP/1.1\r\nHost: x\r\n\r\nGET /fast HTTP/1.1\r\nHost: x\r\n\r\n')
    assert.equal((await reply).split('fast!').length - 1, 2)
  })

  it('closes a keep-alive connection left idle, as node:http does', async () => {
    const s = await start({...DEFAULT_TIMEOUTS, keepAliveMs: 50})
    const socket = await rawSocket(s.url)
    const reply = readUntilClose(socket)
    socket.write('GET /fast HTTP/1.1\r\nHost: x\r\n\r\n')
    const text = await reply
    assert.equal(text.split('fast!').length - 1, 1)
    assert.match(text, /\r\nKeep-Alive: timeout=0\r\n/)
  })

  it('answers a connection that sends nothing in time with a 408, as node:http does', async () => {
    const s = await start({...DEFAULT_TIMEOUTS, headersMs: 50})
    const socket = await rawSocket(s.url)
    const reply = await readUntilClose(socket)
    assert.match(reply, /^HTTP\/1\.1 408 Request Timeout\r\n/)
    assert.match(reply, /\r\nX-Worker: 7\r\n/)
  })

  describe('a first head that starts late', () => {
    // The fast path hands a connection over at its first byte it cannot answer;
    // node:http's headers clock starts there. The connection's deadline must not.
    const timeouts = {...DEFAULT_TIMEOUTS, headersMs: 1000}
    const silentFor = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

    it("is cut with a 408 at the connection's headers deadline, not a headers timeout after the handover", async () => {
      const s = await start(timeouts)
      const socket = await rawSocket(s.url)
      const connectedAt = performance.now()
      const reply = readUntilClose(socket)
      await silentFor(800)
      socket.write('GET /fast HTTP/1.1\r\nHo')
      const writtenAt = performance.now() - connectedAt
      assert.match(await reply, /^HTTP\/1\.1 408 Request Timeout\r\n/)
      const elapsed = performance.now() - connectedAt
      // node:http alone allows the silence (about 800 ms), a whole headers timeout from the first byte, and up to
      // its 1 s check interval (connectionsCheckingInterval): with the fast path off, that is the bound.
      const bound = FAST_PATH ? 1500 : writtenAt + timeouts.headersMs + 1000 + 300
      assert.ok(elapsed > 900 && elapsed < bound, `cut after ${Math.round(elapsed)} ms (bound ${Math.round(bound)} ms)`)
    })

    it('is not cut when node:http answered it without the app (417 for an unknown Expect), and the connection serves on', async () => {
      const s = await start({...timeouts, headersMs: 300})
      const socket = await rawSocket(s.url)
      const first = readResponses(socket, 1)
      socket.write('GET /fast HTTP/1.1\r\nHost: x\r\nExpect: bogus\r\n\r\n')
      assert.match((await first)[0].toString('latin1'), /^HTTP\/1\.1 417 /)
      await silentFor(500)
      const second = readResponses(socket, 1)
      socket.write('GET /other HTTP/1.1\r\nHost: x\r\n\r\n')
      const [reply] = await second
      assert.match(reply.toString('latin1'), /^HTTP\/1\.1 200 /, 'no 408 at the deadline')
      assert.deepEqual(bodies([reply]), ['app /other'])
      socket.destroy()
    })

    it('never runs the app for the rest of a head sent after its 408', async () => {
      const s = await start({...timeouts, headersMs: 300})
      const [socket] = await connectBothEnds(s)
      await silentFor(200)
      const reply = readUntilClose(socket)
      socket.write('GET /other HTTP/1.1\r\nHo')
      await once(socket, 'data')
      const calls = appCalls
      socket.end('st: x\r\n\r\n')
      assert.match(await reply, /^HTTP\/1\.1 408 Request Timeout\r\n[^]*\r\n\r\n$/)
      assert.equal(appCalls, calls)
    })

    it('is served, and the connection kept, when it is complete before the deadline', async () => {
      const s = await start(timeouts)
      const [socket, serverSide] = await connectBothEnds(s)
      await silentFor(700)
      const first = readResponses(socket, 1)
      const handedOver = once(serverSide, 'data')
      socket.write('GET /fast HTTP/1.1\r\nHo')
      await handedOver
      socket.write('st: x\r\n\r\n')
      assert.deepEqual(bodies(await first), ['fast!'])
      await silentFor(600)
      // Past the first head's deadline: the connection, now node:http's, still serves.
      const second = readResponses(socket, 1)
      socket.write('GET /other HTTP/1.1\r\nHost: x\r\n\r\n')
      assert.deepEqual(bodies(await second), ['app /other'])
      socket.destroy()
    })
  })

  it('ends idle fast-path connections on a graceful close, after what they were sent', async () => {
    const s = await start()
    const socket = await rawSocket(s.url)
    const reply = readUntilClose(socket)
    socket.write('GET /large HTTP/1.1\r\nHost: x\r\n\r\n')
    await once(socket, 'data')
    const {forced} = await s.server.close(10_000)
    server = undefined
    assert.equal(forced, false)
    assert.ok((await reply).endsWith('L'.repeat(JOINED_MAX + 1)))
  })
})

import {strict as assert} from 'node:assert'
import {once} from 'node:events'
import {createServer} from 'node:http'
import {type AddressInfo, createServer as createNetServer, type Socket} from 'node:net'

import {answerHalfClosedConnections, onLastResponse, startDeadlineChecks, stopParsing} from '../../src/server/node-internals.js'
import {rawSocket, readUntilClose} from '../support/http.js'

// What webkit leans on that node:http does not document (src/server/node-internals.ts),
// checked on the Node running the tests.
describe(`node:http internals webkit relies on (Node ${process.version})`, () => {
  /** A node:http server fed its connections by a listening socket of its own, as webkit's servers are; what it reports as client errors. */
  async function fedServer(start: boolean) {
    const http = createServer({connectionsCheckingInterval: 50, headersTimeout: 200, requestTimeout: 200}, (_req, res) => res.end())
    const errors: string[] = []
    http.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
      errors.push(error.code ?? error.message)
      socket.destroy()
    })
    if (start) startDeadlineChecks(http)
    const listener = createNetServer((socket) => http.emit('connection', socket))
    listener.listen(0, '127.0.0.1')
    await once(listener, 'listening')
    const url = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`
    const stop = () => {
      listener.close()
      http.close()
    }

    return {errors, stop, url}
  }

  /** Sends half a head and waits up to `ms` for the server to cut the connection. */
  async function halfHead(url: string, ms: number): Promise<boolean> {
    const socket = await rawSocket(url)
    socket.on('error', () => {})
    socket.write('GET / HTTP/1.1\r\nHo')
    const cut = once(socket, 'close').then(() => true)
    const timer = new Promise<boolean>((resolve) => {
      setTimeout(resolve, ms, false)
    })
    const outcome = await Promise.race([cut, timer])
    socket.destroy()
    return outcome
  }

  it("checks the header deadline of a server fed its connections once it has emitted 'listening'", async () => {
    const s = await fedServer(true)
    try {
      const cut = await halfHead(s.url, 3000)
      assert.ok(
        cut && s.errors.includes('ERR_HTTP_REQUEST_TIMEOUT'),
        `node:http no longer starts its header and request deadline checks on 'listening' (got ${JSON.stringify(s.errors)}): ` +
          'connections fed to a server that never listens would never time out; see src/server/node-internals.ts',
      )
    } finally {
      s.stop()
    }
  })

  it("checks no deadline of such a server without it (the reason for startDeadlineChecks)", async () => {
    const s = await fedServer(false)
    try {
      assert.equal(
        await halfHead(s.url, 600),
        false,
        'node:http now checks the deadlines of a server that never listens by itself: startDeadlineChecks (src/server/node-internals.ts) can go',
      )
    } finally {
      s.stop()
    }
  })

  /** What a client that pipelines two requests to a slow app, then half-closes, gets back. */
  async function afterHalfClose(answerAll: boolean): Promise<string> {
    const http = createServer((_req, res) => {
      setTimeout(() => res.writeHead(200, {'Content-Length': '2'}).end('ok'), 20)
    })
    if (answerAll) answerHalfClosedConnections(http)
    http.listen(0, '127.0.0.1')
    await once(http, 'listening')
    try {
      const socket = await rawSocket(`http://127.0.0.1:${(http.address() as AddressInfo).port}`)
      socket.on('error', () => {})
      const reply = readUntilClose(socket)
      socket.end('GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n')
      return (await reply).replaceAll(/\r\nDate: [^\r]+/g, '')
    } finally {
      http.close()
    }
  }

  it('answers requests sent before a half-close once httpAllowHalfOpen is set', async () => {
    const reply = await afterHalfClose(true)
    assert.equal(
      reply.split('\r\n\r\nok').length - 1,
      2,
      `node:http no longer answers a half-closed connection's requests through httpAllowHalfOpen (got ${JSON.stringify(reply)}); see src/server/node-internals.ts`,
    )
  })

  it('drops those answers without it (the reason for answerHalfClosedConnections)', async () => {
    assert.equal(
      await afterHalfClose(false),
      '',
      "node:http now answers a half-closed connection's requests by default: answerHalfClosedConnections (src/server/node-internals.ts) can go",
    )
  })

  it('hands a connection to onLastResponse once its last response is sent', async () => {
    const http = createServer((_req, res) => res.writeHead(200, {'Content-Length': '2'}).end('ok'))
    const handed: Socket[] = []
    const accepted: Socket[] = []
    http.on('connection', (socket: Socket) => {
      accepted.push(socket)
      onLastResponse(socket, function (this: Socket) {
        handed.push(this)
        this.end()
      })
    })
    http.listen(0, '127.0.0.1')
    await once(http, 'listening')
    try {
      const socket = await rawSocket(`http://127.0.0.1:${(http.address() as AddressInfo).port}`)
      const reply = readUntilClose(socket)
      socket.write('GET / HTTP/1.0\r\n\r\n')
      assert.match(await reply, /\r\n\r\nok$/)
      assert.equal(
        handed.length === 1 && handed[0] === accepted[0],
        true,
        'node:http no longer ends a connection after its last response through socket.destroySoon(): ' +
          'its close is immediate again, and clients still sending can lose the answer; see onLastResponse in src/server/node-internals.ts',
      )
    } finally {
      http.close()
    }
  })

  it('makes no more requests once stopParsing is called, and still reads to the FIN', async () => {
    const urls: string[] = []
    let closed!: () => void
    const serverClosed = new Promise<void>((resolve) => {
      closed = resolve
    })
    const http = createServer((req, res) => {
      urls.push(req.url!)
      stopParsing(req.socket)
      req.socket.once('close', closed)
      res.writeHead(200, {'Content-Length': '2'}).end('ok')
    })
    http.on('clientError', () => {})
    http.listen(0, '127.0.0.1')
    await once(http, 'listening')
    try {
      const socket = await rawSocket(`http://127.0.0.1:${(http.address() as AddressInfo).port}`)
      socket.write('GET /a HTTP/1.1\r\nHost: x\r\n\r\n')
      await once(socket, 'data')
      socket.end('GET /b HTTP/1.1\r\nHost: x\r\n\r\n')
      await serverClosed
      assert.deepEqual(
        urls,
        ['/a'],
        "node:http's parser (socket.parser) no longer stops at pause(): a lingering close would make requests of what the client sends after the last answer; see stopParsing in src/server/node-internals.ts",
      )
    } finally {
      http.close()
    }
  })
})

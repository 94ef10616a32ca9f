import {strict as assert} from 'node:assert'
import {once} from 'node:events'
import {IncomingMessage, ServerResponse} from 'node:http'
import {Socket} from 'node:net'

import type {HttpServer} from '../../src/server/http-server.js'
import {InFlight} from '../../src/server/in-flight.js'
import {rawSocket} from '../support/http.js'
import {startHttpServer} from '../support/http-server.js'

describe('responses in flight', () => {
  let server: HttpServer | undefined
  afterEach(async () => {
    await server?.close(0)
    server = undefined
  })

  it("tell whoever waits on them that their connection is gone, those queued behind another too ('close')", async () => {
    const closed: string[] = []
    let bothArrived!: () => void
    const arrived = new Promise<void>((resolve) => {
      bothArrived = resolve
    })
    const s = await startHttpServer((request, env?: unknown) => {
      const {pathname} = new URL(request.url)
      const res = (env as {outgoing: ServerResponse}).outgoing
      // As a file being streamed waits: on 'close', with no answer of its own before it.
      const over = new Promise<Response>((resolve) => {
        res.once('close', () => {
          closed.push(pathname)
          resolve(new Response(null))
        })
      })
      if (pathname === '/b') bothArrived()
      return over
    })
    server = s.server
    const socket = await rawSocket(s.url)
    socket.write('GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n')
    await arrived
    // A reset: after a plain FIN the server would still answer both.
    socket.on('error', () => {})
    socket.resetAndDestroy()
    const deadline = Date.now() + 2000
    while (closed.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10))
    assert.deepEqual(closed.sort(), ['/a', '/b'])
  })

  /** A response node:http would make for a request read on `socket`, never given the socket (queued). */
  const queuedOn = (socket: Socket) => new ServerResponse(new IncomingMessage(socket))

  it('are destroyed and closed when their connection closes while they wait in the queue, as Node 20 does not do itself', async () => {
    const inFlight = new InFlight()
    const socket = new Socket()
    const response = queuedOn(socket)
    inFlight.add(socket, response)
    assert.equal(inFlight.busy(socket), true)
    const closed = once(response, 'close')
    socket.destroy()
    await closed
    assert.equal(response.destroyed, true)
    assert.equal(inFlight.busy(socket), false)
  })

  it('are over at once when made for a connection already closed', async () => {
    const inFlight = new InFlight()
    const socket = new Socket()
    socket.destroy()
    const response = queuedOn(socket)
    const closed = once(response, 'close')
    inFlight.add(socket, response)
    await closed
    assert.equal(response.destroyed, true)
    assert.equal(inFlight.busy(socket), false)
  })

  it('run what waits for the connection to be idle once the last is over', async () => {
    const inFlight = new InFlight()
    const socket = new Socket()
    const [first, second] = [queuedOn(socket), queuedOn(socket)]
    inFlight.add(socket, first)
    inFlight.add(socket, second)
    let idle = 0
    inFlight.whenIdle(socket, () => idle++)
    first.emit('close')
    assert.equal(idle, 0)
    second.emit('close')
    assert.equal(idle, 1)
    inFlight.whenIdle(socket, () => idle++)
    assert.equal(idle, 2, 'at once when nothing is in flight')
    socket.destroy()
  })
})

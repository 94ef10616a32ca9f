import {strict as assert} from 'node:assert'
import type {ServerResponse} from 'node:http'

import type {HttpServer} from '../../src/server/http-server.js'
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
})

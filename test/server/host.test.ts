import {strict as assert} from 'node:assert'
import {once} from 'node:events'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'

import {getRequestListener} from '@hono/node-server'

import {authorityOf, classifyHost, isPlainHost} from '../../src/server/host.js'
import {rawSocket, readUntilClose} from '../support/http.js'

describe('classifyHost', () => {
  it('calls a Host simple only when URL reads it as exactly that host and port', () => {
    for (const host of ['localhost', 'localhost:6421', '127.0.0.1:60500', 'example.com:1', 'my-host.lan:65535', '[::1]:6421']) {
      assert.equal(classifyHost(['Host', host, 'Accept', '*/*']), 'simple', host)
    }

    for (const host of ['', 'a b/c?d', 'evil/x', 'localhost:80', 'LOCALHOST:61000', '999.1.1.1:60500', '010.0.0.1:60500', 'x:99999', 'u@h:61000', 'h#f']) {
      assert.equal(classifyHost(['host', host]), 'other', JSON.stringify(host))
    }

    assert.equal(classifyHost(['Accept', '*/*']), 'none')
  })

  it('spots a second Host header, however it is spelled', () => {
    assert.equal(classifyHost(['Host', 'a', 'Accept', '*/*', 'HOST', 'a']), 'several')
    assert.equal(classifyHost(['Host', 'a b', 'host', 'c']), 'several')
  })

  it('reads an authority only where URL reads host and port alone', () => {
    assert.equal(authorityOf('LOCALHOST:80'), 'localhost')
    assert.equal(authorityOf('a b'), undefined)
    assert.equal(authorityOf('u@h'), undefined)
    assert.equal(authorityOf('h/p'), undefined)
  })
})

describe('isPlainHost agrees with @hono/node-server', () => {
  // A shortcut stands in for the app only for a Host isPlainHost calls plain:
  // node-server must take every such Host as it is, never refuse it or change it.
  let server: Server
  let url: string
  const seen: string[] = []

  before(async () => {
    const listener = getRequestListener((request) => {
      seen.push(new URL(request.url).host)
      return new Response('ok', {headers: {'Content-Length': '2'}})
    })
    server = createServer(listener)
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })

  after(() => server.close())

  async function served(host: string): Promise<{host?: string; status: number}> {
    const before = seen.length
    const socket = await rawSocket(url)
    const reply = readUntilClose(socket)
    socket.write(`GET /p HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`)
    const status = Number(/^HTTP\/1\.1 (\d+)/.exec(await reply)?.[1])
    return {host: seen.length > before ? seen.at(-1) : undefined, status}
  }

  it('on every plain Host, hand-picked and generated', async function () {
    this.timeout(30_000)
    const hosts = ['localhost', 'localhost:6421', '127.0.0.1:60500', 'a.b-c_d:1', '[::1]:6421', 'xn--bcher-kva.example', '1.2.3.4']
    // Seeded, so a failure can be replayed: short names from the characters URL treats specially.
    let seed = 12_345
    const random = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648
      return seed % n
    }

    const alphabet = [...'aZ09.-_:[]%@!$&\'()*+,;=~']
    for (let i = 0; i < 400; i++) {
      let host = ''
      for (let length = 1 + random(10); length > 0; length--) host += alphabet[random(alphabet.length)]
      hosts.push(host)
    }

    let plain = 0
    for (const host of hosts) {
      if (!isPlainHost(host)) continue
      plain++
      assert.deepEqual(await served(host), {host, status: 200}, `node-server must take ${JSON.stringify(host)} as it is`)
    }

    assert.ok(plain >= 50, `only ${plain} plain hosts were tried`)
  })
})

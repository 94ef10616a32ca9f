import {strict as assert} from 'node:assert'
import {once} from 'node:events'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'

import {prepare} from '../../src/http/prepared.js'
import {createLogger} from '../../src/log/logger.js'
import {createMemorySink} from '../../src/log/sink.js'
import {Decorator, headerForm, spellName} from '../../src/server/decorate.js'
import {exchange} from '../support/served.js'

describe('header form', () => {
  it('spells every name one way, whatever case it came in', () => {
    for (const [given, spelt] of [
      ['content-type', 'Content-Type'],
      ['CONTENT-TYPE', 'Content-Type'],
      ['x-content-type-options', 'X-Content-Type-Options'],
      ['etag', 'ETag'],
      ['ETag', 'ETag'],
      ['www-authenticate', 'WWW-Authenticate'],
      ['x-worker', 'X-Worker'],
      ['allow', 'Allow'],
    ]) {
      assert.equal(spellName(given), spelt, given)
    }
  })

  it('orders fields by name, so a fetch Response (lower-case, sorted) and prepared headers read alike', () => {
    const prepared = {'Referrer-Policy': 'no-referrer', 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-cache', 'Content-Type': 'text/html', 'Content-Length': '5'}
    const fetched = Object.fromEntries([...new Headers(prepared)])
    assert.notDeepEqual(Object.keys(fetched), Object.keys(prepared))
    const form = headerForm(prepared, {'X-Worker': '2'})
    assert.deepEqual(headerForm(fetched, {'X-Worker': '2'}), form)
    assert.deepEqual(Object.keys(form), ['Cache-Control', 'Content-Length', 'Content-Type', 'Referrer-Policy', 'X-Content-Type-Options', 'X-Worker'])
  })

  it('keeps the last value of a name given in two cases', () => {
    assert.deepEqual(headerForm({'content-type': 'a', 'Content-Type': 'b'}), {'Content-Type': 'b'})
  })
})

describe('Decorator', () => {
  const logger = createLogger({color: false, format: 'json', quiet: true}, createMemorySink(), createMemorySink())
  let draining = false
  const decorator = new Decorator({draining: () => draining, logger, workerId: '3'}, 5000)
  let server: Server | undefined
  afterEach(() => {
    server?.close()
    draining = false
  })

  it('makes each prepared response ready once, in form, with X-Worker', () => {
    const prepared = prepare(200, 'hi', {'content-type': 'text/plain'})
    const ready = decorator.readyResponse(prepared)
    assert.equal(decorator.readyResponse(prepared), ready)
    assert.deepEqual(Object.keys(ready.headers), ['Content-Length', 'Content-Type', 'Referrer-Policy', 'X-Content-Type-Options', 'X-Worker'])
    assert.equal(ready.headers['X-Worker'], '3')
    assert.equal(decorator.form(ready.headers, false), ready.headers, 'a ready head is sent as it is')
  })

  /** A plain node:http server making its responses with the decorated class; what `handler` makes of a request, as sent. */
  async function sent(handler: Parameters<typeof createServer>[1], request = 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n') {
    server = createServer({ServerResponse: decorator.responseClass({headRead() {}})}, handler)
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    return (await exchange(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, request)).toString('latin1').replace(/\r\nDate: [^\r]+/, '')
  }

  it("decorates node:http's responses however they are written: headers set one by one, or in an array", async () => {
    assert.equal(
      await sent((_req, res) => {
        res.setHeader('x-late', '1')
        res.writeHead(200, {'content-length': '2'}).end('ok')
      }),
      'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Late: 1\r\nX-Worker: 3\r\nConnection: close\r\n\r\nok',
    )
    server?.close()
    assert.equal(
      await sent((_req, res) => res.writeHead(201, 'Made', ['content-length', '0', 'b', '2', 'a', '1']).end()),
      'HTTP/1.1 201 Made\r\nA: 1\r\nB: 2\r\nContent-Length: 0\r\nX-Worker: 3\r\nConnection: close\r\n\r\n',
    )
  })

  it("decorates node:http's own answers too: a 417 for an unknown Expect", async () => {
    const reply = await sent(() => assert.fail('no request event'), 'GET / HTTP/1.1\r\nHost: x\r\nExpect: bogus\r\nConnection: close\r\n\r\n')
    assert.match(reply, /^HTTP\/1\.1 417 Expectation Failed\r\nX-Worker: 3\r\n/)
  })

  it('says Connection: close on the answers to requests read while the server drains', async () => {
    draining = true
    const reply = await sent((_req, res) => res.writeHead(200, {'Content-Length': '0', Connection: 'keep-alive'}).end(), 'GET / HTTP/1.1\r\nHost: x\r\n\r\n')
    assert.equal(reply, 'HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\nX-Worker: 3\r\n\r\n')
  })
})

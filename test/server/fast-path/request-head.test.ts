import type {AddressInfo, Socket} from 'node:net'

import {strict as assert} from 'node:assert'
import {once} from 'node:events'
import {createServer, type Server} from 'node:http'
import {connect} from 'node:net'

import {MAX_HEAD_BYTES, readSimpleRequest, type SimpleRequest} from '../../../src/server/fast-path/request-head.js'

const read = (text: string, from = 0) => readSimpleRequest(text, from)

describe('readSimpleRequest', () => {
  it('reads a GET: method, target, raw headers and where it ends', () => {
    const text = 'GET /color?color=red HTTP/1.1\r\nHost: localhost:6421\r\nUser-Agent:  wrk \r\n\r\n'
    assert.deepEqual(read(text), {
      end: text.length,
      method: 'GET',
      rawHeaders: ['Host', 'localhost:6421', 'User-Agent', 'wrk'],
      url: '/color?color=red',
    })
  })

  it('reads pipelined requests one after another, HEAD included', () => {
    const first = 'GET / HTTP/1.1\r\nHost: a\r\n\r\n'
    const text = `${first}HEAD /x HTTP/1.1\r\nhost: a\r\nConnection: Keep-Alive\r\n\r\nGET`
    const one = read(text) as SimpleRequest
    assert.equal(one.end, first.length)
    const two = read(text, one.end) as SimpleRequest
    assert.equal(two.method, 'HEAD')
    assert.equal(two.url, '/x')
    assert.equal(read(text, two.end), 'partial')
  })

  it('says partial until the blank line has arrived', () => {
    for (const text of ['', 'GET / HTTP/1.1\r\n', 'GET / HTTP/1.1\r\nHost: a\r\n', 'GET / HTTP/1.1\r\nHost: a\r\n\r']) {
      assert.equal(read(text), 'partial', JSON.stringify(text))
    }
  })

  it('declines a head too large to read here, complete or not', () => {
    const big = `GET / HTTP/1.1\r\nHost: a\r\nX-Pad: ${'p'.repeat(MAX_HEAD_BYTES)}\r\n`
    assert.equal(read(big), 'other')
    assert.equal(read(`${big}\r\n`), 'other')
  })

  const declined: Array<[string, string]> = [
    ['another method', 'POST / HTTP/1.1\r\nHost: a\r\n\r\n'],
    ['a lowercase method', 'get / HTTP/1.1\r\nHost: a\r\n\r\n'],
    ['HTTP/1.0', 'GET / HTTP/1.0\r\nHost: a\r\n\r\n'],
    ['an absolute target', 'GET http://a/ HTTP/1.1\r\nHost: a\r\n\r\n'],
    ['an asterisk target', 'GET * HTTP/1.1\r\nHost: a\r\n\r\n'],
    ['two spaces in the request line', 'GET  / HTTP/1.1\r\nHost: a\r\n\r\n'],
    ['a space in the target', 'GET /a b HTTP/1.1\r\nHost: a\r\n\r\n'],
    ['a byte above ASCII in the target', 'GET /\u00e9 HTTP/1.1\r\nHost: a\r\n\r\n'],
    ['a control byte in the target', 'GET /\u0001 HTTP/1.1\r\nHost: a\r\n\r\n'],
    ['no Host', 'GET / HTTP/1.1\r\nAccept: */*\r\n\r\n'],
    ['two Hosts', 'GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n'],
    ['a body length', 'GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n'],
    ['a chunked body', 'GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'],
    ['Expect', 'GET / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n\r\n'],
    ['Upgrade', 'GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n'],
    ['Connection: close', 'GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n'],
    ['a Connection list', 'GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, TE\r\n\r\n'],
    ['TE', 'GET / HTTP/1.1\r\nHost: a\r\nTE: trailers\r\n\r\n'],
    ['Proxy-Connection', 'GET / HTTP/1.1\r\nHost: a\r\nProxy-Connection: keep-alive\r\n\r\n'],
    ['a folded header line', 'GET / HTTP/1.1\r\nHost: a\r\nX-A: 1\r\n  2\r\n\r\n'],
    ['a space before the colon', 'GET / HTTP/1.1\r\nHost : a\r\n\r\n'],
    ['a line without a colon', 'GET / HTTP/1.1\r\nHost: a\r\nnonsense\r\n\r\n'],
    ['an empty header name', 'GET / HTTP/1.1\r\nHost: a\r\n: x\r\n\r\n'],
    ['a separator in a header name', 'GET / HTTP/1.1\r\nHost: a\r\nX(a): 1\r\n\r\n'],
    ['a bare LF inside a value', 'GET / HTTP/1.1\r\nHost: a\r\nX-A: 1\nX-B: 2\r\n\r\n'],
    ['a NUL in a value', 'GET / HTTP/1.1\r\nHost: a\r\nX-A: 1\u00002\r\n\r\n'],
    ['a byte above ASCII in a value', 'GET / HTTP/1.1\r\nHost: a\r\nX-A: caf\u00e9\r\n\r\n'],
    ['bare LF line ends', 'GET / HTTP/1.1\nHost: a\n\n\r\n\r\n'],
    ['an empty line before the request', '\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n'],
    ['too many header lines', `GET / HTTP/1.1\r\nHost: a\r\n${'X-A: 1\r\n'.repeat(64)}\r\n`],
  ]
  for (const [what, text] of declined) {
    it(`leaves ${what} to node:http`, () => assert.equal(read(text), 'other'))
  }

  it('reads any one Host: whether the app may be answered for, is the answer\'s to judge', () => {
    for (const host of ['a b', '', 'LOCALHOST:80', 'evil/x']) {
      const request = read(`GET / HTTP/1.1\r\nHost: ${host}\r\n\r\n`) as SimpleRequest
      assert.deepEqual(request.rawHeaders, ['Host', host])
    }
  })

  it('takes tabs around a value and any letter case in names', () => {
    const request = read('HEAD /a HTTP/1.1\r\nhOsT:\t127.0.0.1:8080\t\r\nconnection: KEEP-ALIVE\r\n\r\n') as SimpleRequest
    assert.deepEqual(request.rawHeaders, ['hOsT', '127.0.0.1:8080', 'connection', 'KEEP-ALIVE'])
  })

  it('takes a head of up to 63 other header lines besides Host', () => {
    const text = `GET / HTTP/1.1\r\nHost: a\r\n${'X-A: 1\r\n'.repeat(63)}\r\n`
    assert.equal((read(text) as SimpleRequest).rawHeaders.length, 128)
  })
})

describe('readSimpleRequest agrees with node:http', function () {
  this.timeout(60_000)
  // Every head the reader accepts, node:http must accept too and read the same
  // way, or the fast path would answer requests node:http rejects or reads
  // differently. Heads it declines are node:http's to judge, so they are not compared.
  let server: Server
  let port: number
  const seen: Array<{method?: string; rawHeaders: string[]; url?: string}> = []
  const rejected: string[] = []

  before(async () => {
    server = createServer((req, res) => {
      seen.push({method: req.method, rawHeaders: req.rawHeaders, url: req.url})
      res.end()
    })
    server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
      rejected.push(error.code ?? error.message)
      socket.destroy()
    })
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    port = (server.address() as AddressInfo).port
  })

  after(() => server.close())

  // Sent after each head on the same connection: node:http must find it right where the reader said the head ends.
  const SENTINEL = 'GET /sentinel HTTP/1.1\r\nHost: s\r\n\r\n'

  /** Sends `bytes` on a new connection and half-closes; resolves once the server has closed it. */
  async function send(bytes: string): Promise<void> {
    const socket = connect(port, '127.0.0.1')
    socket.on('error', () => {})
    socket.resume()
    socket.end(Buffer.from(bytes, 'latin1'))
    await once(socket, 'close')
  }

  async function assertSameAsNode(head: string): Promise<void> {
    const mine = readSimpleRequest(head, 0)
    if (typeof mine !== 'object') return
    const before = {rejected: rejected.length, seen: seen.length}
    await send(head.slice(0, mine.end) + SENTINEL)
    const what = JSON.stringify(head.slice(0, mine.end))
    assert.equal(rejected.length, before.rejected, `node:http rejects ${what}: ${rejected.at(-1)}`)
    assert.equal(seen.length, before.seen + 2, `node:http did not read ${what} and the request after it as two requests`)
    const {method, rawHeaders, url} = mine
    assert.deepEqual(seen.at(-2), {method, rawHeaders, url}, what)
    assert.deepEqual(seen.at(-1), {method: 'GET', rawHeaders: ['Host', 's'], url: '/sentinel'}, `after ${what}`)
  }

  it('on hand-picked heads at the edges of what it accepts', async () => {
    const heads = [
      "GET /a-z_0.9~!$&'()*+,;=:@%20/?q=1&r=/?%2F#frag HTTP/1.1\r\nHost: h\r\n\r\n",
      'HEAD / HTTP/1.1\r\nHost: [::1]:6421\r\nConnection: keep-alive\r\n\r\n',
      "GET / HTTP/1.1\r\nHost: h\r\nX-Token-!#$%&'*+-.^_`|~: v\r\n\r\n",
      'GET / HTTP/1.1\r\nHost: h\r\nX-Empty:\r\nX-Spaces:   \r\nX-Tabs: \t a \t b \t\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: h\r\nX-Punct: "quoted", <angle>, {brace}, [bracket], \\back\r\n\r\n',
      `GET / HTTP/1.1\r\nHost: h\r\n${'X-Many: 1\r\n'.repeat(63)}\r\n`,
      `GET /${'a'.repeat(4000)} HTTP/1.1\r\nHost: h\r\nX-Long: ${'v'.repeat(3000)}\r\n\r\n`,
    ]
    for (const head of heads) {
      assert.equal(typeof readSimpleRequest(head, 0), 'object', `accepted: ${JSON.stringify(head)}`)
      await assertSameAsNode(head)
    }
  })

  it('on heads with the headers node:http acts on, in any letter case (those it accepts)', async () => {
    const values = ['0', '5', 'chunked', 'close', 'keep-alive', 'Keep-Alive', 'upgrade', '100-continue', 'trailers', 'h2c', 'timeout=5']
    const names = ['Content-Length', 'Transfer-Encoding', 'Connection', 'Proxy-Connection', 'Upgrade', 'Expect', 'TE', 'Keep-Alive', 'Host']
    for (const name of names) {
      for (const spelling of [name, name.toLowerCase(), name.toUpperCase()]) {
        for (const value of values) {
          const head = `GET / HTTP/1.1\r\nHost: h\r\n${spelling}: ${value}\r\n\r\n12345`
          // Keep-Alive (any value) and Connection: keep-alive change nothing; every other one is declined.
          const plain = name === 'Keep-Alive' || (name === 'Connection' && value.toLowerCase() === 'keep-alive')
          assert.equal(typeof readSimpleRequest(head, 0) === 'object', plain, JSON.stringify(head))
          await assertSameAsNode(head)
        }
      }
    }
  })

  it('on 600 random mutations of a simple head', async () => {
    const base = 'GET /path?q=v HTTP/1.1\r\nHost: example.test:8080\r\nUser-Agent: test/1.0\r\nAccept: */*\r\n\r\n'
    const alphabet = [...'\t !"#%&\'()*+,-./:;<=>?@[\\]^_`{|}~aZ09\r\n\u0000\u0001\u007F\u0080\u00FF']
    // A fixed-seed generator, so a failure can be replayed.
    let seed = 20_261_126
    const random = (n: number) => {
      // mulberry32
      seed = (seed + 0x6d_2b_79_f5) | 0
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
      return ((t ^ (t >>> 14)) >>> 0) % n
    }

    let accepted = 0
    for (let i = 0; i < 600; i++) {
      let head = base
      for (let edits = 1 + random(3); edits > 0; edits--) {
        // Keep the final blank line, so most mutations still make a complete head.
        const at = random(head.length - 4)
        head = random(3) === 0 ? head.slice(0, at) + head.slice(at + 1) : head.slice(0, at) + alphabet[random(alphabet.length)] + head.slice(at)
      }

      if (typeof readSimpleRequest(head, 0) === 'object') accepted++
      await assertSameAsNode(head)
    }

    // The mutations must exercise acceptance, not only declining.
    assert.ok(accepted >= 100, `only ${accepted} of 600 mutated heads were accepted`)
  })
})

// The image app behind webkit's HTTP server, over real sockets: every
// precondition case on keep-alive connections that start on the fast path, so
// a request the shortcut must leave to the app (If-Match, If-Unmodified-Since,
// ...) can never get the prepared 200; and the access log's view of them.
import type {Socket} from 'node:net'

import {strict as assert} from 'node:assert'
import {randomBytes} from 'node:crypto'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {serveImage} from '../../../src/apps/image/app.js'
import {CHUNK_BYTES} from '../../../src/apps/image/file-stream.js'
import type {HttpServer} from '../../../src/server/http-server.js'
import {DEFAULT_TIMEOUTS} from '../../../src/server/options.js'
import {rawSocket, readResponses} from '../../support/http.js'
import {startHttpServer} from '../../support/http-server.js'
import {type Answer, assertAnswer, expectedTag, type Header, preconditionCases, type ServedFile} from '../../support/preconditions.js'

/** A response's bytes as status, headers (lowercase names) and body. */
function parse(response: Buffer): Answer & {headers: Map<string, string>} {
  const split = response.indexOf('\r\n\r\n')
  const [statusLine, ...lines] = response.subarray(0, split).toString('latin1').split('\r\n')
  const headers = new Map(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]))
  return {body: response.subarray(split + 4), header: (name) => headers.get(name), headers, status: Number(statusLine.split(' ')[1])}
}

const requestBytes = (method: string, headers: Header[], path = '/') =>
  `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers.map(([name, value]) => `${name}: ${value}\r\n`).join('')}\r\n`

for (const mode of ['held in memory', 'streamed from disk'] as const) {
  describe(`image app over a real socket, file ${mode}`, function () {
    this.timeout(20_000)
    let dir: string
    let server: HttpServer
    let url: string
    let log: string[]
    let served: ServedFile
    let socket: Socket

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'webkit-image-socket-'))
      const file = join(dir, 'photo.jpg')
      const content = randomBytes(2 * CHUNK_BYTES + 99)
      writeFileSync(file, content)
      const image = serveImage({file, memoryLimit: mode === 'held in memory' ? undefined : 1024}, {warn() {}})
      ;({log, server, url} = await startHttpServer(image.app.fetch, DEFAULT_TIMEOUTS, image.shortcut))
      const etag = expectedTag(content)
      const deadline = Date.now() + 4000
      while ((await image.app.request('/', {method: 'HEAD'})).headers.get('etag') !== etag) {
        assert.ok(Date.now() < deadline, 'the file is tagged within 4 s')
        await new Promise((resolve) => {
          setTimeout(resolve, 20)
        })
      }

      const {headers} = await image.app.request('/', {method: 'HEAD'})
      served = {cacheControl: 'no-cache', content, etag, lastModified: headers.get('last-modified')!}
    })

    beforeEach(async () => {
      socket = await rawSocket(url)
    })

    afterEach(() => socket.destroy())

    after(async () => {
      await server.close(0)
      rmSync(dir, {force: true, recursive: true})
    })

    async function exchange(method: 'GET' | 'HEAD', headers: Header[], path = '/') {
      const reply = readResponses(socket, 1, {head: method === 'HEAD'})
      socket.write(requestBytes(method, headers, path))
      const [response] = await reply
      return parse(response)
    }

    it('answers every precondition case as RFC 9110 orders, on one keep-alive connection', async () => {
      for (const testCase of preconditionCases(served)) {
        assertAnswer(testCase, await exchange(testCase.method, testCase.headers), served)
      }
    })

    it('never gives the prepared 200 to If-Match or If-Unmodified-Since, in any letter case, even pipelined after a plain GET', async () => {
      const stale = new Date(Date.parse(served.lastModified) - 1000).toUTCString()
      const failing: Header[][] = [
        [['If-Match', '"other"']],
        [['if-match', `W/${served.etag}`]],
        [['IF-MATCH', '"other"']],
        [['If-Unmodified-Since', stale]],
        [['if-unmodified-since', stale]],
        [['IF-UNMODIFIED-SINCE', stale]],
      ]
      for (const headers of failing) {
        for (const path of ['/', '/photo.jpg']) {
          const replies = readResponses(socket, 3)
          socket.write(requestBytes('GET', [], path) + requestBytes('GET', headers, path) + requestBytes('GET', [], path))
          const [plain, conditional, after] = (await replies).map((r) => parse(r))
          assert.equal(plain.status, 200)
          assert.equal(conditional.status, 412, `${path} ${JSON.stringify(headers)}`)
          assert.equal(conditional.body.length, 0)
          assert.equal(after.status, 200)
          assert.ok(after.body.equals(served.content))
        }
      }
    })

    it('logs 412 and 304 with their status and no body bytes', async () => {
      log.length = 0
      await exchange('GET', [['If-Match', '"other"']], '/photo.jpg?412')
      await exchange('GET', [['If-None-Match', served.etag]], '/photo.jpg?304')
      await exchange('HEAD', [['If-Unmodified-Since', new Date(0).toUTCString()]], '/?head-412')
      await new Promise(setImmediate)
      const lines = log.map((line) => JSON.parse(line) as {bytes: number; method: string; path: string; status: number})
      assert.deepEqual(
        lines.map(({bytes, method, path, status}) => ({bytes, method, path, status})),
        [
          {bytes: 0, method: 'GET', path: '/photo.jpg?412', status: 412},
          {bytes: 0, method: 'GET', path: '/photo.jpg?304', status: 304},
          {bytes: 0, method: 'HEAD', path: '/?head-412', status: 412},
        ],
      )
    })

    it('answers other paths with the 404 page whatever the preconditions', async () => {
      for (const headers of <Header[][]>[[['If-Match', '"other"']], [['If-None-Match', '*']], [['If-Unmodified-Since', new Date(0).toUTCString()]]]) {
        const reply = await exchange('GET', headers, '/other.jpg')
        assert.equal(reply.status, 404)
        assert.match(reply.body.toString(), /404 Image Not Found/)
      }
    })
  })
}

import {strict as assert} from 'node:assert'
import {copyFileSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import type {RunningServer} from '../../src/server/run.js'
import {ROOT} from '../support/cli.js'
import {splitResponses} from '../support/responses.js'
import {COLOR, exchange, image, serve} from '../support/served.js'

// Both servers as a client sees them, a request or a pipeline at a time: what
// every path through the server must agree on (test/server/differential.test.ts
// holds the paths to each other on generated requests).
describe('the servers on the wire', function () {
  this.timeout(20_000)
  let dir: string
  const servers: Record<'color' | 'image', RunningServer> = {} as never

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'webkit-served-'))
    copyFileSync(join(ROOT, 'assets', 'rick_roll.jpg'), join(dir, 'rick_roll.jpg'))
    servers.color = await serve(COLOR)
    servers.image = await serve(image(join(dir, 'rick_roll.jpg')))
    // The image is read on its first request; the rest of the tests see it in memory.
    await exchange(servers.image.url, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
  })

  after(async () => {
    await Promise.all(Object.values(servers).map((s) => s.close()))
    rmSync(dir, {force: true, recursive: true})
  })

  const request = (method: string, target: string, headers = 'Host: localhost\r\n', version = 'HTTP/1.1') => `${method} ${target} ${version}\r\n${headers}\r\n`
  const close = 'Host: localhost\r\nConnection: close\r\n'
  const withoutDate = (head: string) => head.replace(/\r\nDate: [^\r]+/, '')

  for (const [name, missing] of [['color', '/nope'], ['image', '/nope.png']] as const) {
    it(`${name}: a 100 Continue pipelined behind a 404 comes between the two 404s, never inside one (RFC 9110 §15.2.1)`, async () => {
      for (const first of [missing, '/']) {
        const bytes = await exchange(servers[name].url, request('GET', first) + request('GET', missing, `${close}Expect: 100-continue\r\n`))
        const {responses, rest} = splitResponses(bytes, ['GET', 'GET'])
        assert.deepEqual(responses.map((r) => r.status), [first === '/' ? 200 : 404, 100, 404], `after GET ${first}`)
        assert.equal(rest.length, 0)
        assert.ok(responses[2].body.toString().includes('</html>'), 'the second 404 has its whole page')
      }
    })
  }

  const errorPages = [
    ['color', '/nowhere'],
    ['color', '/color'],
    ['color', '/color?color=nope'],
    ['image', '/nope.png'],
    ['color', '/'],
    ['image', '/'],
  ] as const
  for (const [name, path] of errorPages) {
    it(`${name}: HEAD ${path} sends GET's head, header names and order included`, async () => {
      const url = servers[name].url
      const [got] = splitResponses(await exchange(url, request('GET', path, close)), ['GET']).responses
      const [head] = splitResponses(await exchange(url, request('HEAD', path, close)), ['HEAD']).responses
      assert.equal(withoutDate(head.head), withoutDate(got.head))
      assert.match(head.head, /\r\nContent-Length: \d+\r\n/)
      assert.match(head.head, /\r\nCache-Control: /)
      assert.equal(head.body.length, 0)
    })
  }

  for (const name of ['color', 'image'] as const) {
    it(`${name}: OPTIONS * is answered as a server of GET and HEAD: 200, Allow, Content-Length: 0 (RFC 9110 §9.3.7)`, async () => {
      const {responses, rest} = splitResponses(await exchange(servers[name].url, request('OPTIONS', '*', close)), ['OPTIONS'])
      assert.equal(rest.length, 0)
      assert.equal(responses.length, 1)
      const [answer] = responses
      assert.equal(answer.status, 200)
      assert.match(answer.head, /\r\nAllow: GET, HEAD\r\n/)
      assert.match(answer.head, /\r\nContent-Length: 0\r\n/)
      assert.doesNotMatch(answer.head, /transfer-encoding/i)
      assert.match(answer.head, /\r\nX-Worker: 1\r\n/)
    })

    it(`${name}: OPTIONS on a path is still 405 with Allow`, async () => {
      const [answer] = splitResponses(await exchange(servers[name].url, request('OPTIONS', '/', close)), ['OPTIONS']).responses
      assert.equal(answer.status, 405)
      assert.match(answer.head, /\r\nAllow: GET, HEAD\r\n/)
    })

    it(`${name}: an HTTP/1.0 request without Host is served (RFC 9112 §3.2 requires Host of HTTP/1.1 only)`, async () => {
      const [answer] = splitResponses(await exchange(servers[name].url, 'GET / HTTP/1.0\r\n\r\n'), ['GET']).responses
      assert.equal(answer.status, 200)
      assert.match(answer.head, /\r\nConnection: close(\r\n|$)/)
      assert.equal(Number(/\r\nContent-Length: (\d+)/.exec(answer.head)?.[1]), answer.body.length)
    })

    it(`${name}: an HTTP/1.1 request without Host is 400, and one with two`, async () => {
      for (const headers of ['Connection: close\r\n', 'Host: a\r\nHost: b\r\n']) {
        const bytes = await exchange(servers[name].url, request('GET', '/', headers))
        assert.match(bytes.toString('latin1'), /^HTTP\/1\.1 400 /, JSON.stringify(headers))
      }
    })
  }
})

import {strict as assert} from 'node:assert'

import {MAX_HEAD_BYTES, readSimpleRequest, type SimpleRequest} from '../../src/http/request-head.js'

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
    ['a Host node-server would judge', 'GET / HTTP/1.1\r\nHost: a b\r\n\r\n'],
    ['an empty Host', 'GET / HTTP/1.1\r\nHost:\r\n\r\n'],
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

  it('takes tabs around a value and any letter case in names', () => {
    const request = read('HEAD /a HTTP/1.1\r\nhOsT:\t127.0.0.1:8080\t\r\nconnection: KEEP-ALIVE\r\n\r\n') as SimpleRequest
    assert.deepEqual(request.rawHeaders, ['hOsT', '127.0.0.1:8080', 'connection', 'KEEP-ALIVE'])
  })

  it('takes a head of up to 63 other header lines besides Host', () => {
    const text = `GET / HTTP/1.1\r\nHost: a\r\n${'X-A: 1\r\n'.repeat(63)}\r\n`
    assert.equal((read(text) as SimpleRequest).rawHeaders.length, 128)
  })
})

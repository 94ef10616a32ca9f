import {strict as assert} from 'node:assert'

import {parseHeaderLine, parseMethod, serializeRequest} from '../../src/load/request.js'
import {parseStatusList, statusTable} from '../../src/load/status.js'

describe('load/request', () => {
  it('serializes a request once, with Host, User-Agent and Content-Length', () => {
    const bytes = serializeRequest({body: 'é=1', headers: {Accept: 'text/html'}, method: 'POST', path: '/a?b=c'}, 'x.test:8080')
    assert.equal(
      bytes.toString('latin1'),
      'POST /a?b=c HTTP/1.1\r\nHost: x.test:8080\r\nUser-Agent: webkit-load-test\r\nAccept: text/html\r\n' +
        'Content-Length: 4\r\n\r\n' +
        Buffer.from('é=1').toString('latin1'),
    )
  })

  it("lets the user's Host and User-Agent replace the defaults, and ignores a given Content-Length", () => {
    const text = serializeRequest(
      {body: 'abc', headers: {'content-length': '99', host: 'h', 'USER-AGENT': 'me'}, method: 'PUT', path: '/'},
      'x:1',
    ).toString('latin1')
    assert.equal(text, 'PUT / HTTP/1.1\r\nHost: h\r\nUser-Agent: me\r\nContent-Length: 3\r\n\r\nabc')
  })

  it('refuses a line break that would smuggle a second request', () => {
    assert.throws(() => serializeRequest({headers: {X: 'a\r\nGET /evil HTTP/1.1'}, method: 'GET', path: '/'}, 'h'), /line break/)
  })

  it('parses command-line headers and methods with one-line complaints', () => {
    assert.deepEqual(parseHeaderLine('Accept:  text/html '), ['Accept', 'text/html'])
    assert.deepEqual(parseHeaderLine('X-Empty:'), ['X-Empty', ''])
    for (const bad of ['no colon', ': value', 'Bad Name: v', 'X: a\u0007b', 'X: \u20AC']) {
      assert.throws(() => parseHeaderLine(bad), /must look like "Name: value"/, bad)
    }

    assert.equal(parseMethod('PATCH'), 'PATCH')
    assert.throws(() => parseMethod('GET /'), /not an HTTP method/)
  })

  it('reads status codes and classes', () => {
    assert.deepEqual(parseStatusList('200, 2XX,404'), ['200', '2xx', '404'])
    assert.throws(() => parseStatusList('200,abc'), /"abc" is not a status code/)
    assert.throws(() => parseStatusList('600'), /not a status code/)
    const table = statusTable(['2xx', '404'])
    assert.deepEqual(
      [199, 200, 250, 299, 300, 404, 405].map((s) => table[s]),
      [0, 1, 1, 1, 0, 1, 0],
    )
  })
})

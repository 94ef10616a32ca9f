import {strict as assert} from 'node:assert'

import type {Shortcut} from '../../src/apps/served-app.js'
import {prepare} from '../../src/http/prepared.js'
import {createAnswers, SERVER_OPTIONS, SEVERAL_HOSTS} from '../../src/server/answers.js'

describe('createAnswers', () => {
  const page = prepare(200, 'page', {'Content-Type': 'text/plain'})
  const asked: string[] = []
  const shortcut: Shortcut = ({method, url}) => {
    asked.push(`${method} ${url}`)
    return url === '/page' ? page : undefined
  }

  beforeEach(() => {
    asked.length = 0
  })

  it("gives the shortcut's answer for a head whose one Host node-server takes as it is", () => {
    const answers = createAnswers(shortcut)
    assert.equal(answers({method: 'GET', rawHeaders: ['Host', 'localhost:6421'], url: '/page'}), page)
    assert.equal(answers({method: 'GET', rawHeaders: ['Host', 'localhost:6421'], url: '/other'}), undefined)
    assert.deepEqual(asked, ['GET /page', 'GET /other'])
  })

  it('leaves a head without Host, or with one node-server must judge, to the app without asking the shortcut', () => {
    const answers = createAnswers(shortcut)
    for (const rawHeaders of [[], ['Host', 'a b'], ['Host', ''], ['host', 'LOCALHOST:6421']]) {
      assert.equal(answers({method: 'GET', rawHeaders, url: '/page'}), undefined, JSON.stringify(rawHeaders))
    }

    assert.deepEqual(asked, [])
  })

  it('answers two Host headers with its 400 (RFC 9112 §3.2), whatever the shortcut knows', () => {
    const answers = createAnswers(shortcut)
    assert.equal(answers({method: 'GET', rawHeaders: ['Host', 'a', 'HOST', 'a'], url: '/page'}), SEVERAL_HOSTS)
    assert.equal(SEVERAL_HOSTS.status, 400)
    assert.deepEqual(SEVERAL_HOSTS.headers, {Connection: 'close', 'Content-Length': '0'})
  })

  it('answers OPTIONS * as a server of GET and HEAD (RFC 9110 §9.3.7), with or without a shortcut', () => {
    for (const answers of [createAnswers(shortcut), createAnswers()]) {
      for (const rawHeaders of [['Host', 'localhost:6421'], [], ['Host', 'LOCALHOST:80']]) {
        assert.equal(answers({method: 'OPTIONS', rawHeaders, url: '*'}), SERVER_OPTIONS, JSON.stringify(rawHeaders))
      }

      // A Host that names no host is node-server's to refuse, as for any other request.
      assert.equal(answers({method: 'OPTIONS', rawHeaders: ['Host', 'a b'], url: '*'}), undefined)
    }

    assert.equal(SERVER_OPTIONS.status, 200)
    assert.equal(SERVER_OPTIONS.headers.Allow, 'GET, HEAD')
    assert.equal(SERVER_OPTIONS.headers['Content-Length'], '0')
    assert.equal(SERVER_OPTIONS.body.byteLength, 0)
    assert.deepEqual(asked, [])
  })

  it('asks nothing of a shortcut when there is none (the fast path switched off)', () => {
    assert.equal(createAnswers()({method: 'GET', rawHeaders: ['Host', 'localhost'], url: '/page'}), undefined)
  })
})

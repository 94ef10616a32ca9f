import {strict as assert} from 'node:assert'
import type {IncomingMessage} from 'node:http'

import {classifyHost} from '../../src/server/bad-request.js'

const withHeaders = (...rawHeaders: string[]) => ({rawHeaders}) as IncomingMessage

describe('classifyHost', () => {
  it('calls a Host simple only when node-server would take it as it is', () => {
    for (const host of ['localhost', 'localhost:6421', '127.0.0.1:60500', 'example.com:1', 'my-host.lan:65535']) {
      assert.equal(classifyHost(withHeaders('Host', host, 'Accept', '*/*')), 'simple', host)
    }

    for (const host of ['', 'a b/c?d', 'evil/x', 'localhost:80', 'LOCALHOST:61000', '999.1.1.1:60500', '010.0.0.1:60500', 'x:99999', 'u@h:61000']) {
      assert.equal(classifyHost(withHeaders('host', host)), 'other', JSON.stringify(host))
    }

    assert.equal(classifyHost(withHeaders('Accept', '*/*')), 'other', 'no Host at all')
  })

  it('spots a second Host header, however it is spelled', () => {
    assert.equal(classifyHost(withHeaders('Host', 'a', 'Accept', '*/*', 'HOST', 'a')), 'several')
    assert.equal(classifyHost(withHeaders('Host', 'a b', 'host', 'c')), 'several')
  })
})

import {strict as assert} from 'node:assert'

import {createLogger, type LogOptions} from '../../src/log/logger.js'
import {createMemorySink} from '../../src/log/sink.js'

const entry = {bytes: 813, method: 'GET', ms: 0.4567, path: '/color?color=red', status: 200, worker: '2'}

function logger(options: Partial<LogOptions> = {}) {
  const out = createMemorySink()
  const err = createMemorySink()
  const log = createLogger({color: false, format: 'text', quiet: false, ...options}, out, err)
  return {err: err.lines, log, out: out.lines}
}

describe('logger', () => {
  it('writes one readable access line with time, worker, method, path, status, bytes and duration', () => {
    const {log, out} = logger()
    log.access(entry)
    assert.equal(out.length, 1)
    assert.match(out[0], /^\d{4}-\d\d-\d\dT[\d:.]+Z w2 GET \/color\?color=red 200 813B 0\.46ms\n$/)
  })

  it('writes JSON lines with every field', () => {
    const {log, out} = logger({format: 'json'})
    log.access(entry)
    const parsed = JSON.parse(out[0])
    assert.deepEqual(
      {...parsed, time: undefined},
      {bytes: 813, method: 'GET', ms: 0.457, path: '/color?color=red', status: 200, time: undefined, type: 'access', worker: '2'},
    )
    assert.ok(!Number.isNaN(Date.parse(parsed.time)))
  })

  it('escapes control characters in paths so a request cannot drive the terminal', () => {
    const {log, out} = logger()
    log.access({...entry, path: '/\u001B[31mred\n'})
    assert.ok(!out[0].slice(0, -1).includes('\u001B'))
    assert.ok(!out[0].slice(0, -1).includes('\n'))
    assert.match(out[0], /\/\\x1b\[31mred\\x0a/)
  })

  it('colors status codes only when asked', () => {
    const plain = logger()
    plain.log.access({...entry, status: 500})
    assert.ok(!plain.out[0].includes('\u001B['))
    const colored = logger({color: true})
    colored.log.access({...entry, status: 500})
    assert.ok(colored.out[0].includes('\u001B[31m500'))
  })

  it('turns the access log off with quiet, but never events or errors', () => {
    const {err, log} = logger({quiet: true})
    assert.equal(log.accessEnabled, false)
    log.error('boom', {worker: '1'})
    log.warn('careful')
    assert.equal(err.length, 2)
    assert.match(err[0], /error boom worker=1/)
  })

  it('writes events as JSON lines in json format, leaving out empty fields', () => {
    const {err, log} = logger({format: 'json'})
    log.info('listening', {network: undefined, port: 1})
    const parsed = JSON.parse(err[0])
    assert.equal(parsed.level, 'info')
    assert.equal(parsed.msg, 'listening')
    assert.equal(parsed.port, 1)
    assert.ok(!('network' in parsed))
  })
})

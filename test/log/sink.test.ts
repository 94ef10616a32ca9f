import {strict as assert} from 'node:assert'
import {closeSync, mkdtempSync, openSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {createFdSink} from '../../src/log/sink.js'

describe('fd sink', () => {
  it('batches lines until the event loop turns, then writes them all in order', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'webkit-sink-')), 'log')
    const fd = openSync(file, 'w')
    const sink = createFdSink(fd)
    for (let i = 0; i < 1000; i++) sink.write(`line ${i}\n`)
    assert.equal(readFileSync(file, 'utf8'), '', 'nothing written synchronously')
    await new Promise((resolve) => {
      setImmediate(resolve)
    })
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n')
    assert.equal(lines.length, 1000)
    assert.equal(lines[999], 'line 999')
    closeSync(fd)
  })

  it('flushes synchronously on demand and when the buffer is full', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'webkit-sink-')), 'log')
    const fd = openSync(file, 'w')
    const sink = createFdSink(fd, 100)
    sink.write('x'.repeat(150) + '\n')
    assert.equal(readFileSync(file, 'utf8').length, 151)
    sink.write('tail\n')
    sink.flushSync()
    assert.ok(readFileSync(file, 'utf8').endsWith('tail\n'))
    closeSync(fd)
  })
})

import {strict as assert} from 'node:assert'
import {randomBytes} from 'node:crypto'
import {mkdtempSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {serveImage} from '../../../src/apps/image/app.js'
import {assertShortcutAgrees} from '../../support/shortcut.js'

function jpeg(size: number): Buffer {
  const bytes = randomBytes(size)
  bytes.set([0xff, 0xd8, 0xff, 0xe0], 0)
  return bytes
}

describe('image shortcut', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'webkit-shortcut-'))
  })
  afterEach(() => rmSync(dir, {force: true, recursive: true}))

  /** An app over a fresh file, once it has read it (the shortcut never waits for the disk). */
  async function served(name = 'rick_roll.jpg', content = jpeg(70_000), memoryLimit?: number) {
    const file = join(dir, name)
    writeFileSync(file, content)
    const s = serveImage({file, memoryLimit}, {warn() {}})
    await s.app.request('/')
    return {content, file, s}
  }

  it('answers a plain GET or HEAD of the image exactly as the app does', async () => {
    const {s} = await served()
    for (const method of ['GET', 'HEAD']) {
      for (const url of ['/', '/rick_roll.jpg']) await assertShortcutAgrees(s, url, {method})
    }
  })

  it('leaves conditional and range requests, other paths and other methods to the app', async () => {
    const {s} = await served()
    for (const headers of <Array<Record<string, string>>>[
      {range: 'bytes=0-9'},
      {'if-none-match': '*'},
      {'if-modified-since': new Date().toUTCString()},
      {'if-range': '"x"', range: 'bytes=0-9'},
      {Accept: 'image/*', 'If-None-Match': '*'},
      {'IF-MODIFIED-SINCE': new Date().toUTCString()},
      {Range: 'bytes=0-9'},
      {'if-match': '"other"'},
      {'If-Match': '*'},
      {'if-unmodified-since': new Date(0).toUTCString()},
      {'IF-UNMODIFIED-SINCE': new Date().toUTCString()},
      // The app ignores If-Range without Range; the shortcut leaves it all the same.
      {'if-range': '"x"'},
    ]) {
      await assertShortcutAgrees(s, '/', {declines: true, headers})
    }

    for (const url of ['/rick_roll.jpg?v=2', '/%72ick_roll.jpg', '/nope', '/rick_roll.jpg/', '//']) {
      await assertShortcutAgrees(s, url, {declines: true})
    }

    await assertShortcutAgrees(s, '/', {declines: true, method: 'POST'})
  })

  it('leaves the image to the app before the file is read, when it is streamed, and when it is gone', async () => {
    const file = join(dir, 'early.jpg')
    writeFileSync(file, jpeg(1000))
    await assertShortcutAgrees(serveImage({file}, {warn() {}}), '/', {declines: true})
    const big = await served('big.jpg', jpeg(5000), 1024)
    await assertShortcutAgrees(big.s, '/', {declines: true})
    const missing = serveImage({file: join(dir, 'missing.jpg')}, {warn() {}})
    assert.equal((await missing.app.request('/')).status, 404)
    await assertShortcutAgrees(missing, '/', {declines: true})
  })

  it('serves a name that needs percent-encoding only through the app, and / still through the shortcut', async () => {
    const {s} = await served('my image.jpg')
    await assertShortcutAgrees(s, '/my%20image.jpg', {declines: true})
    assert.equal((await s.app.request('/my%20image.jpg')).status, 200)
    await assertShortcutAgrees(s, '/')
  })

  it('answers with the new bytes once the file is replaced', async () => {
    const {file, s} = await served()
    const next = jpeg(50_000)
    writeFileSync(`${file}.new`, next)
    renameSync(`${file}.new`, file)
    const deadline = Date.now() + 4000
    let body: Buffer | undefined
    while (!body?.equals(next)) {
      assert.ok(Date.now() < deadline, 'the new bytes arrive within 4 s')
      await new Promise((resolve) => {
        setTimeout(resolve, 20)
      })
      const prepared = s.shortcut?.({method: 'GET', rawHeaders: [], url: '/'})
      body = prepared && Buffer.from(prepared.body)
    }

    await assertShortcutAgrees(s, '/')
  })
})

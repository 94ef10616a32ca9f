import {strict as assert} from 'node:assert'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {browserRequired, findChromium} from '../support/browser.js'

describe('finding a browser for the browser tests', () => {
  it('uses CHROMIUM_PATH when it names an executable', () => {
    assert.deepEqual(findChromium({CHROMIUM_PATH: process.execPath}), {path: process.execPath})
  })

  it('says why and how to install one when CHROMIUM_PATH names nothing runnable', () => {
    const dir = mkdtempSync(join(tmpdir(), 'webkit-find-chromium-'))
    try {
      const plain = join(dir, 'not-executable')
      writeFileSync(plain, '', {mode: 0o644})
      for (const path of [join(dir, 'nonexistent'), plain, dir]) {
        const found = findChromium({CHROMIUM_PATH: path})
        assert.ok('missing' in found, path)
        assert.ok(found.missing.startsWith(`CHROMIUM_PATH=${path} is not an executable file`), found.missing)
        assert.match(found.missing, /apt-get install chromium/)
      }
    } finally {
      rmSync(dir, {force: true, recursive: true})
    }
  })

  it('requires a browser only when WEBKIT_REQUIRE_BROWSER is 1', () => {
    assert.equal(browserRequired({WEBKIT_REQUIRE_BROWSER: '1'}), true)
    assert.equal(browserRequired({WEBKIT_REQUIRE_BROWSER: '0'}), false)
    assert.equal(browserRequired({}), false)
  })
})

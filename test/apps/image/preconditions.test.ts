// Every precondition of RFC 9110 §13, alone and in the combinations §13.2.2
// orders, through app.request(), for a file held in memory and a streamed one.
import {strict as assert} from 'node:assert'
import {randomBytes} from 'node:crypto'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {createImageApp} from '../../../src/apps/image/app.js'
import {CHUNK_BYTES} from '../../../src/apps/image/file-stream.js'
import {assertAnswer, expectedTag, preconditionCases, type ServedFile} from '../../support/preconditions.js'

const SIZE = 2 * CHUNK_BYTES + 777

/** Polls until `check` holds, every 20 ms, for at most `timeoutMs`. */
async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 4000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting until ${what}`)
    await new Promise((resolve) => {
      setTimeout(resolve, 20)
    })
  }
}

for (const mode of ['held in memory', 'streamed from disk'] as const) {
  describe(`image app preconditions, file ${mode}`, () => {
    let dir: string
    let app: ReturnType<typeof createImageApp>
    let served: ServedFile
    const memoryLimit = mode === 'held in memory' ? undefined : 1024
    const cases = preconditionCases({etag: '"e"', lastModified: new Date(0).toUTCString()}).map((c) => c.name)

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'webkit-preconditions-'))
      const file = join(dir, 'photo.jpg')
      const content = randomBytes(SIZE)
      writeFileSync(file, content)
      app = createImageApp({file, memoryLimit}, {warn() {}})
      const etag = expectedTag(content)
      // A streamed file gets its tag once its bytes are hashed, in the background.
      await eventually('the file is tagged', async () => (await app.request('/', {method: 'HEAD'})).headers.get('etag') === etag)
      const {headers} = await app.request('/', {method: 'HEAD'})
      served = {cacheControl: 'no-cache', content, etag, lastModified: headers.get('last-modified')!}
    })

    after(() => rmSync(dir, {force: true, recursive: true}))

    for (const [i, name] of cases.entries()) {
      it(name, async () => {
        const testCase = preconditionCases(served)[i]
        const res = await app.request('/', {headers: new Headers(testCase.headers), method: testCase.method})
        const body = Buffer.from(await res.arrayBuffer())
        assertAnswer(testCase, {body, header: (n) => res.headers.get(n) ?? undefined, status: res.status}, served)
      })
    }

    it('answers other paths with the 404 page and other methods with 405, whatever the preconditions', async () => {
      const conditions: Array<Record<string, string>> = [
        {'if-match': '"other"'},
        {'if-match': served.etag},
        {'if-unmodified-since': new Date(0).toUTCString()},
        {'if-none-match': '*'},
        {'if-none-match': served.etag},
        {'if-modified-since': new Date(Date.now() + 86_400_000).toUTCString()},
        {'if-range': served.etag, range: 'bytes=0-9'},
      ]
      for (const headers of conditions) {
        for (const method of ['GET', 'HEAD']) {
          const res = await app.request('/elsewhere.jpg', {headers, method})
          assert.equal(res.status, 404, `${method} ${JSON.stringify(headers)}`)
          assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8')
          assert.equal(res.headers.get('etag'), null)
          if (method === 'GET') assert.match(await res.text(), /<h1>404 Image Not Found<\/h1>/)
        }

        assert.equal((await app.request('/', {headers, method: 'DELETE'})).status, 405)
      }
    })
  })
}

describe('image app preconditions, file missing', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'webkit-preconditions-'))
  })
  afterEach(() => rmSync(dir, {force: true, recursive: true}))

  it('answers the 404 page, even to If-Match: * and If-None-Match: *', async () => {
    const app = createImageApp({file: join(dir, 'absent.jpg')}, {warn() {}})
    for (const headers of <Array<Record<string, string>>>[{'if-match': '*'}, {'if-none-match': '*'}, {'if-unmodified-since': new Date(0).toUTCString()}]) {
      const res = await app.request('/', {headers})
      assert.equal(res.status, 404, JSON.stringify(headers))
      assert.match(await res.text(), /not available right now/)
    }
  })
})

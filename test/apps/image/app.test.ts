import {strict as assert} from 'node:assert'
import {execFileSync} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import {
  appendFileSync,
  closeSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
  writeSync,
} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {createImageApp, type ImageAppOptions} from '../../../src/apps/image/app.js'
import {checkImageApp} from '../../../src/apps/image/check.js'
import {CHUNK_BYTES} from '../../../src/apps/image/file-stream.js'
import {TRUST_MS} from '../../../src/apps/image/watched-file.js'
import {UserError} from '../../../src/errors.js'
import {appRequest} from '../../support/app-request.js'
import {expectedTag} from '../../support/preconditions.js'

const JPEG_MAGIC = [0xff, 0xd8, 0xff, 0xe0]

/** A JPEG-looking file of `size` random bytes, spanning several stream chunks. */
function jpegBytes(size: number): Buffer {
  const bytes = randomBytes(size)
  bytes.set(JPEG_MAGIC, 0)
  return bytes
}

function newApp(options: ImageAppOptions) {
  const warnings: string[] = []
  const app = createImageApp(options, {warn: (message) => warnings.push(message)})
  const ask = appRequest(app)
  const request = async (path: string, init: RequestInit = {}) => {
    const res = await ask(path, init)
    return {body: Buffer.from(await res.arrayBuffer()), headers: res.headers, res, status: res.status}
  }

  return {app, request, warnings}
}

/** Polls `check` every 20 ms until it returns true; fails after `timeoutMs`. */
async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 4000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting until ${what}`)
    await new Promise((resolve) => {
      setTimeout(resolve, 20)
    })
  }
}

/** The parts of a multipart/byteranges body. */
function parseMultipart(body: Buffer, contentType: string) {
  const boundary = /boundary=(\S+)/.exec(contentType)![1]
  const text = body.toString('latin1')
  assert.ok(text.startsWith(`--${boundary}\r\n`), 'body starts with the first boundary')
  assert.ok(text.endsWith(`\r\n--${boundary}--\r\n`), 'body ends with the closing boundary')
  return text
    .slice(0, -`\r\n--${boundary}--\r\n`.length)
    .split(new RegExp(`(?:^|\\r\\n)--${boundary}\\r\\n`))
    .slice(1)
    .map((part) => {
      const split = part.indexOf('\r\n\r\n')
      const headers = Object.fromEntries(
        part
          .slice(0, split)
          .split('\r\n')
          .map((line) => line.split(': ') as [string, string]),
      )
      return {data: Buffer.from(part.slice(split + 4), 'latin1'), headers}
    })
}

const SIZE = 3 * CHUNK_BYTES + 12_345

for (const mode of ['held in memory', 'streamed from disk'] as const) {
  describe(`image app, file ${mode}`, () => {
    let dir: string
    let file: string
    let content: Buffer
    let request: ReturnType<typeof newApp>['request']
    let warnings: string[]
    const memoryLimit = mode === 'held in memory' ? undefined : 1024

    /** Waits until the file is served with the tag of `bytes` (a streamed file is hashed in the background). */
    const tagged = (bytes: Buffer) =>
      eventually('the file is served with the tag of its bytes', async () => (await request('/', {method: 'HEAD'})).headers.get('etag') === expectedTag(bytes))

    beforeEach(async () => {
      dir = mkdtempSync(join(tmpdir(), 'webkit-image-'))
      file = join(dir, 'rick_roll.jpg')
      content = jpegBytes(SIZE)
      writeFileSync(file, content)
      ;({request, warnings} = newApp({file, memoryLimit}))
      await tagged(content)
    })

    afterEach(() => rmSync(dir, {force: true, recursive: true}))

    it('serves the file on / and on its name, with validators and safe headers', async () => {
      for (const path of ['/', '/rick_roll.jpg', '/rick_roll.jpg?cache=bust', '/%72ick_roll.jpg']) {
        const {body, headers, status} = await request(path)
        assert.equal(status, 200, path)
        assert.ok(body.equals(content), `${path}: every byte`)
        assert.equal(headers.get('content-type'), 'image/jpeg')
        assert.equal(headers.get('content-length'), String(SIZE))
        assert.equal(headers.get('etag'), expectedTag(content), 'the SHA-256 of the bytes')
        assert.equal(headers.get('last-modified'), statSync(file).mtime.toUTCString())
        assert.equal(headers.get('cache-control'), 'no-cache')
        assert.equal(headers.get('accept-ranges'), 'bytes')
        assert.equal(headers.get('x-content-type-options'), 'nosniff')
        assert.match(headers.get('content-security-policy')!, /^default-src 'none';.*\bsandbox$/)
      }

      assert.deepEqual(warnings, [])
    })

    it('answers HEAD with every GET header, Content-Length included, and no body', async () => {
      const get = await request('/')
      const head = await request('/', {method: 'HEAD'})
      assert.equal(head.status, 200)
      assert.equal(head.body.length, 0)
      assert.deepEqual(Object.fromEntries(head.headers), Object.fromEntries(get.headers))
    })

    it('ignores Range on HEAD, as it is defined for GET only', async () => {
      const head = await request('/', {headers: {range: 'bytes=0-9'}, method: 'HEAD'})
      assert.equal(head.status, 200)
      assert.equal(head.headers.get('content-length'), String(SIZE))
    })

    it('sends a friendly 404 page for any other path, never echoing the path', async () => {
      for (const path of ['/nope', '/rick_roll.jpg/', '/RICK_ROLL.JPG', '/index.html', '/%3Cscript%3Ealert(1)%3C%2Fscript%3E', '/a"b\'c']) {
        const {body, headers, status} = await request(path)
        const html = body.toString()
        assert.equal(status, 404, path)
        assert.equal(headers.get('content-type'), 'text/html; charset=utf-8')
        assert.match(html, /<h1>404 Image Not Found<\/h1>/)
        assert.match(html, /<a href="\/">/)
        assert.ok(!/script|alert|nope|index|RICK/i.test(html.replace(/<\/?style>/g, '')), `${path} is not reflected`)
        assert.equal(headers.get('cache-control'), 'no-store')
        assert.match(headers.get('content-security-policy')!, /^default-src 'none'; style-src 'sha256-/)
      }
    })

    it('answers other methods 405 with Allow: GET, HEAD, on any path', async () => {
      for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
        for (const path of ['/', '/rick_roll.jpg', '/elsewhere']) {
          const {headers, status} = await request(path, {method})
          assert.equal(status, 405, `${method} ${path}`)
          assert.equal(headers.get('allow'), 'GET, HEAD')
        }
      }
    })

    describe('conditional requests', () => {
      let etag: string
      let lastModified: string
      beforeEach(async () => {
        const {headers} = await request('/')
        etag = headers.get('etag')!
        lastModified = headers.get('last-modified')!
      })

      const assertNotModified = (reply: Awaited<ReturnType<typeof request>>, label: string) => {
        assert.equal(reply.status, 304, label)
        assert.equal(reply.body.length, 0, label)
        assert.equal(reply.headers.get('etag'), etag)
        assert.equal(reply.headers.get('last-modified'), lastModified)
        assert.equal(reply.headers.get('cache-control'), 'no-cache')
        assert.equal(reply.headers.get('content-length'), null, `${label}: a 304 has no length`)
      }

      it('gives 304 for a matching If-None-Match: exact, in a list, weak, or *', async () => {
        for (const value of [etag, `"other", ${etag}`, `W/${etag}`, '*', ` ${etag} `, `"a",,${etag}`, `, ${etag}`, `, ,${etag},`]) {
          assertNotModified(await request('/', {headers: {'if-none-match': value}}), value)
          assertNotModified(await request('/', {headers: {'if-none-match': value}, method: 'HEAD'}), `HEAD ${value}`)
        }
      })

      it('gives 200 for a stale or malformed If-None-Match', async () => {
        for (const value of ['"stale"', etag.slice(1, -1), 'W/"x", "y"', '']) {
          const {body, status} = await request('/', {headers: {'if-none-match': value}})
          assert.equal(status, 200, value)
          assert.ok(body.equals(content))
        }
      })

      it('gives 304 when If-Modified-Since is at or after Last-Modified, 200 before it', async () => {
        const seconds = Date.parse(lastModified)
        assertNotModified(await request('/', {headers: {'if-modified-since': lastModified}}), 'same date')
        assertNotModified(await request('/', {headers: {'if-modified-since': new Date(seconds + 60_000).toUTCString()}}), 'later')
        const earlier = await request('/', {headers: {'if-modified-since': new Date(seconds - 1000).toUTCString()}})
        assert.equal(earlier.status, 200)
      })

      it('ignores a malformed If-Modified-Since, never failing the request', async () => {
        for (const value of ['yesterday', '0', 'Sun, 99 Nov 1994 08:49:37 GMT', '%00', 'x'.repeat(5000)]) {
          const {body, status} = await request('/', {headers: {'if-modified-since': value}})
          assert.equal(status, 200, value)
          assert.ok(body.equals(content))
        }
      })

      it('lets If-None-Match win over If-Modified-Since', async () => {
        const stale = await request('/', {headers: {'if-modified-since': lastModified, 'if-none-match': '"stale"'}})
        assert.equal(stale.status, 200)
        const old = new Date(Date.parse(lastModified) - 86_400_000).toUTCString()
        assertNotModified(await request('/', {headers: {'if-modified-since': old, 'if-none-match': etag}}), 'INM matches')
      })

      it('answers a conditional hit with 304 even when a Range is asked for', async () => {
        assertNotModified(await request('/', {headers: {'if-none-match': etag, range: 'bytes=0-9'}}), 'range')
      })

      const assertPreconditionFailed = (reply: Awaited<ReturnType<typeof request>>, label: string) => {
        assert.equal(reply.status, 412, label)
        assert.equal(reply.body.length, 0, label)
        assert.equal(reply.headers.get('content-length'), '0', label)
        assert.equal(reply.headers.get('etag'), etag, `${label}: the validators the client did not match`)
        assert.equal(reply.headers.get('last-modified'), lastModified, label)
        assert.equal(reply.headers.get('cache-control'), 'no-store', label)
      }

      it('gives 412 for an If-Match that does not match strongly, and the file for one that does', async () => {
        for (const value of ['"other"', `W/${etag}`, etag.slice(1, -1), '', `W/"x", W/${etag}`]) {
          assertPreconditionFailed(await request('/', {headers: {'if-match': value}}), value)
          assertPreconditionFailed(await request('/', {headers: {'if-match': value}, method: 'HEAD'}), `HEAD ${value}`)
          assertPreconditionFailed(await request('/', {headers: {'if-match': value, range: 'bytes=0-9'}}), `${value} with Range`)
        }

        for (const value of [etag, '*', `"x", ${etag}`, `"a",,${etag}`, `, ${etag}`, `, ,${etag},`]) {
          const {body, status} = await request('/', {headers: {'if-match': value}})
          assert.equal(status, 200, value)
          assert.ok(body.equals(content))
          assert.equal((await request('/', {headers: {'if-match': value, range: 'bytes=0-9'}})).status, 206, `${value} with Range`)
        }
      })

      it('gives 412 when the file changed after If-Unmodified-Since, unless If-Match is there', async () => {
        const seconds = Date.parse(lastModified)
        const earlier = new Date(seconds - 1000).toUTCString()
        assertPreconditionFailed(await request('/', {headers: {'if-unmodified-since': earlier}}), 'earlier')
        assertPreconditionFailed(await request('/', {headers: {'if-unmodified-since': earlier, range: 'bytes=0-9'}}), 'earlier, Range')
        assert.equal((await request('/', {headers: {'if-unmodified-since': lastModified}})).status, 200)
        assert.equal((await request('/', {headers: {'if-unmodified-since': 'garbage'}})).status, 200)
        assert.equal((await request('/', {headers: {'if-match': etag, 'if-unmodified-since': earlier}})).status, 200)
      })
    })

    describe('ranges', () => {
      const range = (value: string, extra: Record<string, string> = {}) => request('/', {headers: {range: value, ...extra}})

      it('sends single ranges a-b, a- and -n as 206 with Content-Range, the end clamped', async () => {
        const cases: Array<[string, number, number]> = [
          ['bytes=0-0', 0, 0],
          ['bytes=0-9', 0, 9],
          ['bytes=100-', 100, SIZE - 1],
          ['bytes=-10', SIZE - 10, SIZE - 1],
          ['bytes=-1', SIZE - 1, SIZE - 1],
          ['bytes=-999999999', 0, SIZE - 1],
          [`bytes=${SIZE - 5}-${SIZE + 1000}`, SIZE - 5, SIZE - 1],
          // Across stream chunk boundaries.
          [`bytes=${CHUNK_BYTES - 3}-${2 * CHUNK_BYTES + 3}`, CHUNK_BYTES - 3, 2 * CHUNK_BYTES + 3],
        ]
        for (const [value, start, end] of cases) {
          const {body, headers, status} = await range(value)
          assert.equal(status, 206, value)
          assert.equal(headers.get('content-range'), `bytes ${start}-${end}/${SIZE}`, value)
          assert.equal(headers.get('content-length'), String(end - start + 1), value)
          assert.equal(headers.get('content-type'), 'image/jpeg')
          assert.ok(headers.get('etag'))
          assert.ok(body.equals(content.subarray(start, end + 1)), `${value}: exact bytes`)
        }
      })

      it('answers unsatisfiable ranges 416 with Content-Range: bytes */SIZE', async () => {
        for (const value of [`bytes=${SIZE}-`, `bytes=${SIZE + 10}-${SIZE + 20}`, 'bytes=-0', `bytes=-0,${SIZE}-`]) {
          const {headers, status} = await range(value)
          assert.equal(status, 416, value)
          assert.equal(headers.get('content-range'), `bytes */${SIZE}`)
        }
      })

      it('ignores a Range header it cannot read and sends the whole file', async () => {
        for (const value of ['bytes=9-1', 'bytes=x-y', 'pages=1-2', 'bytes=0-1;2-3', 'bytes']) {
          const {body, headers, status} = await range(value)
          assert.equal(status, 200, value)
          assert.equal(headers.get('content-range'), null)
          assert.ok(body.equals(content))
        }
      })

      it('honours If-Range only for the current tag, compared strongly, never for a date', async () => {
        const {headers} = await request('/')
        const etag = headers.get('etag')!
        const lastModified = headers.get('last-modified')!
        assert.equal((await range('bytes=0-9', {'if-range': etag})).status, 206)
        for (const stale of ['"stale"', `W/${etag}`, lastModified, new Date(Date.parse(lastModified) - 1000).toUTCString(), 'junk']) {
          const {body, status} = await range('bytes=0-9', {'if-range': stale})
          assert.equal(status, 200, stale)
          assert.ok(body.equals(content), `${stale}: the whole file`)
        }
      })

      it('sends several ranges as multipart/byteranges, in order, merged where they overlap', async () => {
        const {body, headers, status} = await range(`bytes=-5,0-9,100-199,150-${CHUNK_BYTES + 10}`)
        assert.equal(status, 206)
        assert.equal(headers.get('content-length'), String(body.length))
        assert.equal(headers.get('content-range'), null)
        const parts = parseMultipart(body, headers.get('content-type')!)
        assert.match(headers.get('content-type')!, /^multipart\/byteranges; boundary=/)
        const expected: Array<[number, number]> = [
          [0, 9],
          [100, CHUNK_BYTES + 10],
          [SIZE - 5, SIZE - 1],
        ]
        assert.equal(parts.length, expected.length)
        for (const [i, [start, end]] of expected.entries()) {
          assert.equal(parts[i].headers['Content-Type'], 'image/jpeg')
          assert.equal(parts[i].headers['Content-Range'], `bytes ${start}-${end}/${SIZE}`)
          assert.ok(parts[i].data.equals(content.subarray(start, end + 1)), `part ${i}`)
        }
      })

      it('never sends more than the file for a thousand ranges or more', async () => {
        // A thousand scattered ranges still fit in node:http's 16 KB of headers, so the switch-off pass can send them over a connection too.
        const scattered = `bytes=${Array.from({length: 1000}, (_, i) => `${7 * i}-${7 * i}`).join(',')}`
        const many = await range(scattered)
        assert.equal(many.status, 200)
        assert.ok(many.body.equals(content))

        const same = await range(`bytes=${Array.from({length: 3000}, () => '0-').join(',')}`)
        assert.equal(same.status, 206)
        assert.equal(same.body.length, SIZE)
        assert.equal(same.headers.get('content-range'), `bytes 0-${SIZE - 1}/${SIZE}`)

        // Few but wide ranges whose part headers would outweigh the bytes they spare.
        const wide = await range(`bytes=0-${SIZE - 3},${SIZE - 1}-`)
        assert.equal(wide.status, 200)
        assert.equal(wide.body.length, SIZE)
      })
    })

    describe('the file on disk is the truth', () => {
      const etagOf = async () => (await request('/')).headers.get('etag')

      it('serves new bytes with a new ETag soon after the file is replaced', async () => {
        const before = await etagOf()
        const next = jpegBytes(SIZE + 1)
        writeFileSync(`${file}.new`, next)
        renameSync(`${file}.new`, file)
        await eventually('the new file is served', async () => (await etagOf()) !== before)
        const {body, headers} = await request('/')
        assert.ok(body.equals(next))
        assert.equal(headers.get('content-length'), String(SIZE + 1))
        const partial = await request('/', {headers: {range: 'bytes=-3'}})
        assert.ok(partial.body.equals(next.subarray(-3)))
      })

      it('after a quiet spell, answers the very first request with the file as it is now', async () => {
        await request('/')
        const next = jpegBytes(SIZE)
        writeFileSync(`${file}.new`, next)
        renameSync(`${file}.new`, file)
        // No request in between: the one after TRUST_MS must not get the old bytes.
        await new Promise((resolve) => {
          setTimeout(resolve, TRUST_MS + 50)
        })
        assert.ok((await request('/')).body.equals(next))
      })

      it('notices a file rewritten in place with the same size', async () => {
        const before = await etagOf()
        const next = jpegBytes(SIZE)
        writeFileSync(file, next)
        await eventually('the rewritten file is served', async () => (await etagOf()) !== before)
        assert.ok((await request('/')).body.equals(next))
      })

      it('gives a file rewritten in place with its size and mtime put back a new tag: old validators no longer match', async () => {
        const {headers} = await request('/')
        const old = headers.get('etag')!
        const next = jpegBytes(SIZE)
        // As cp -p over the file does: same inode, same size, the old mtime.
        const reference = `${file}.reference`
        execFileSync('cp', ['-p', file, reference])
        writeFileSync(`${file}.next`, next)
        execFileSync('touch', ['-r', reference, `${file}.next`])
        execFileSync('cp', ['-p', `${file}.next`, file])
        assert.equal(statSync(file, {bigint: true}).mtimeNs, statSync(reference, {bigint: true}).mtimeNs, 'the mtime is back')
        assert.equal(statSync(file).size, SIZE)
        await tagged(next)
        assert.notEqual(expectedTag(next), old)

        const resumed = await request('/', {headers: {'if-range': old, range: `bytes=${SIZE - 100}-`}})
        assert.equal(resumed.status, 200, 'If-Range with the old tag: the whole new file')
        assert.ok(resumed.body.equals(next))
        const revalidated = await request('/', {headers: {'if-none-match': old}})
        assert.equal(revalidated.status, 200)
        assert.ok(revalidated.body.equals(next))
        assert.equal((await request('/', {headers: {'if-match': old}})).status, 412)
        assert.equal((await request('/', {headers: {'if-range': headers.get('last-modified')!, range: 'bytes=0-9'}})).status, 200, 'nor the old date')
      })

      it('keeps the tag when the same bytes are renamed over the file, whatever their mtime', async () => {
        const {headers} = await request('/')
        const before = statSync(file).ino
        copyFileSync(file, `${file}.copy`)
        execFileSync('touch', ['-d', '2020-01-01T00:00:00Z', `${file}.copy`])
        renameSync(`${file}.copy`, file)
        assert.notEqual(statSync(file).ino, before, 'a new inode')
        // The new date shows the new file is the one served.
        const served = async () => {
          const reply = await request('/', {method: 'HEAD'})
          const etag = reply.headers.get('etag')
          assert.ok(etag === null || etag === headers.get('etag'), `never another tag, got ${etag}`)
          return reply.headers.get('last-modified') === 'Wed, 01 Jan 2020 00:00:00 GMT' && etag !== null
        }

        await eventually('the new file is served with its tag', served)
        assert.equal((await request('/', {headers: {'if-none-match': headers.get('etag')!}})).status, 304)
        assert.equal((await request('/', {headers: {'if-range': headers.get('etag')!, range: 'bytes=0-9'}})).status, 206)
      })

      it('answers 404 once the file is removed, and serves it again when it comes back', async () => {
        rmSync(file)
        await eventually('the removal is noticed', async () => (await request('/')).status === 404)
        const gone = await request('/rick_roll.jpg')
        assert.equal(gone.status, 404)
        assert.match(gone.body.toString(), /<h1>404 Image Not Found<\/h1>/)
        assert.equal((await request('/', {method: 'HEAD'})).status, 404)
        assert.equal(warnings.length, 1)
        assert.match(warnings[0], /rick_roll\.jpg was not found: answering 404/)

        const back = jpegBytes(1000)
        writeFileSync(file, back)
        await eventually('the file is served again', async () => (await request('/')).status === 200)
        assert.ok((await request('/')).body.equals(back))
      })

      it('answers 404 and warns when the path turns into a directory', async () => {
        rmSync(file)
        mkdirSync(file)
        await eventually('the directory is noticed', async () => (await request('/')).status === 404)
        assert.match(warnings.at(-1)!, /rick_roll\.jpg is a directory: answering 404/)
      })
    })
  })
}

describe('image app, edge cases', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'webkit-image-'))
  })
  afterEach(() => rmSync(dir, {force: true, recursive: true}))

  it('warns about a file missing at startup, answers 404, then serves it once it appears', async () => {
    const file = join(dir, 'later.png')
    const {request, warnings} = newApp({file})
    assert.equal(warnings.length, 1)
    assert.match(warnings[0], /later\.png was not found: answering 404 until it can be served/)
    assert.equal((await request('/')).status, 404)
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3])
    writeFileSync(file, png)
    await eventually('the new file is served', async () => (await request('/later.png')).status === 200)
    const {body, headers} = await request('/later.png')
    assert.ok(body.equals(png))
    assert.equal(headers.get('content-type'), 'image/png')
    assert.equal(warnings.length, 1, 'no more warnings')
  })

  it('matches file names that need percent-encoding', async () => {
    const file = join(dir, 'my photo #1?.gif')
    writeFileSync(file, 'GIF89a...')
    const {request} = newApp({file})
    assert.equal((await request(`/${encodeURIComponent('my photo #1?.gif')}`)).status, 200)
    assert.equal((await request('/my%20photo%20%231%3F.gif')).headers.get('content-type'), 'image/gif')
    assert.equal((await request('/my%20photo%20')).status, 404)
  })

  it('serves an SVG as image/svg+xml under a CSP that stops its scripts', async () => {
    const file = join(dir, 'logo.svg')
    writeFileSync(file, '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    const {headers} = await newApp({file}).request('/')
    assert.equal(headers.get('content-type'), 'image/svg+xml')
    const csp = headers.get('content-security-policy')!
    assert.match(csp, /default-src 'none'/)
    assert.doesNotMatch(csp, /script-src/)
    assert.match(csp, /\bsandbox\b/)
    assert.equal(headers.get('x-content-type-options'), 'nosniff')
  })

  it('serves an empty file as an empty 200, ignoring Range', async () => {
    const file = join(dir, 'empty.webp')
    writeFileSync(file, '')
    const {request} = newApp({file})
    for (const range of [undefined, 'bytes=0-', 'bytes=-5']) {
      const {body, headers, status} = await request('/', {headers: range ? {range} : {}})
      assert.equal(status, 200)
      assert.equal(body.length, 0)
      assert.equal(headers.get('content-length'), '0')
      assert.equal(headers.get('content-type'), 'image/webp')
    }
  })

  it('uses the Cache-Control it is given', async () => {
    const file = join(dir, 'a.jpg')
    writeFileSync(file, jpegBytes(100))
    const {request} = newApp({cacheControl: 'public, max-age=3600', file})
    assert.equal((await request('/')).headers.get('cache-control'), 'public, max-age=3600')
  })

  it('gives files with the same bytes the same ETag, and a touched file a new Last-Modified only', async () => {
    const file = join(dir, 'a.jpg')
    const bytes = jpegBytes(5000)
    writeFileSync(file, bytes)
    const one = newApp({file})
    const two = newApp({file})
    const first = (await one.request('/')).headers
    assert.equal((await two.request('/')).headers.get('etag'), first.get('etag'))
    writeFileSync(file, bytes)
    const later = new Date(Date.now() + 5000)
    execFileSync('touch', ['-d', later.toISOString(), file])
    await eventually('the touch is noticed', async () => (await one.request('/')).headers.get('last-modified') !== first.get('last-modified'))
    assert.equal((await one.request('/')).headers.get('etag'), first.get('etag'))
  })

  it('sends a streamed file without an ETag until its bytes are hashed, then the tag a file in memory gets', async () => {
    const file = join(dir, 'big.jpg')
    const bytes = jpegBytes(3 * CHUNK_BYTES)
    writeFileSync(file, bytes)
    const streamed = newApp({file, memoryLimit: 1024})
    const tags = new Set<null | string>()
    await eventually('the streamed file is tagged', async () => {
      const {headers} = await streamed.request('/', {method: 'HEAD'})
      tags.add(headers.get('etag'))
      return headers.get('etag') !== null
    })
    assert.deepEqual([...tags].filter((tag) => tag !== null), [expectedTag(bytes)], 'no tag but the hash of the bytes, ever')
    const inMemory = await newApp({file}).request('/')
    assert.equal(inMemory.headers.get('etag'), expectedTag(bytes))
    // Another worker, or the server after a restart, hashes the same bytes to the same tag.
    const again = newApp({file, memoryLimit: 1024})
    await eventually('a second app tags it too', async () => (await again.request('/', {method: 'HEAD'})).headers.get('etag') === expectedTag(bytes))
  })

  describe('a streamed response whose file changes mid-way', () => {
    /** The file, served streamed; the body's first chunk read, then `change`, then the rest. */
    async function readAcross(change: (file: string) => void): Promise<Error | undefined> {
      const file = join(dir, 'big.jpg')
      writeFileSync(file, jpegBytes(4 * CHUNK_BYTES))
      const {app} = newApp({file, memoryLimit: 1024})
      const res = await app.request('/')
      assert.equal(res.status, 200)
      const reader = res.body!.getReader()
      assert.equal((await reader.read()).value!.length, CHUNK_BYTES)
      change(file)
      try {
        for (;;) if ((await reader.read()).done) return undefined
      } catch (error) {
        return error as Error
      }
    }

    it('errors the body rather than send a short one when the file gets shorter', async () => {
      assert.match(String(await readAcross((file) => truncateSync(file, CHUNK_BYTES))), /got shorter/)
    })

    it('errors the body when the file is rewritten in place or gets longer', async () => {
      const overwrite = (file: string) => {
        const fd = openSync(file, 'r+')
        writeSync(fd, Buffer.alloc(10, 1), 0, 10, 3 * CHUNK_BYTES)
        closeSync(fd)
      }

      assert.match(String(await readAcross(overwrite)), /rewritten/)
      assert.match(String(await readAcross((file) => appendFileSync(file, 'more'))), /got longer/)
    })

    it('sends the old bytes to the end when another file is renamed over it', async () => {
      const error = await readAcross((file) => {
        writeFileSync(`${file}.new`, 'other')
        renameSync(`${file}.new`, file)
      })
      assert.equal(error, undefined)
    })
  })
})

describe('image app startup checks', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'webkit-image-'))
  })
  afterEach(() => rmSync(dir, {force: true, recursive: true}))

  const rejectsWith = (options: ImageAppOptions, pattern: RegExp) =>
    assert.rejects(checkImageApp(options), (error: Error) => {
      assert.ok(error instanceof UserError, `a UserError, got ${error}`)
      assert.match(error.message, pattern)
      assert.ok(!error.message.includes('\n'), 'one line')
      return true
    })

  it('accepts a readable file, and a missing one (it may appear later)', async () => {
    const file = join(dir, 'a.jpg')
    await checkImageApp({file})
    writeFileSync(file, 'x')
    await checkImageApp({cacheControl: 'no-store', file})
  })

  it('refuses a directory', () => rejectsWith({file: dir}, /^--file .* is a directory: give the path of a readable image file$/))

  it('refuses a FIFO without waiting for a writer', async () => {
    const fifo = join(dir, 'pipe.jpg')
    execFileSync('mkfifo', [fifo])
    await rejectsWith({file: fifo}, /pipe\.jpg is not a regular file/)
  })

  it('refuses a Cache-Control that is empty or would split the header', async () => {
    const file = join(dir, 'a.jpg')
    await rejectsWith({cacheControl: ' ', file}, /--cache-control must not be empty/)
    await rejectsWith({cacheControl: 'no-cache\r\nSet-Cookie: a=b', file}, /--cache-control must be printable ASCII on one line/)
    await rejectsWith({cacheControl: 'max-age=\u00e9', file}, /printable ASCII/)
  })
})

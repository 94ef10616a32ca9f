import {strict as assert} from 'node:assert'
import {type AddressInfo, createServer, type Socket} from 'node:net'

import {BUILTIN_SPECS} from '../../src/load/builtin.js'
import {buildMix} from '../../src/load/mix.js'
import {resolveAndProbe, targetsFromUrls} from '../../src/load/url-targets.js'
import {closedPort, closeTargets, startDelayedTarget} from '../support/load-target.js'

const GET = {headers: {}, method: 'GET'}

describe('load/targets', () => {
  afterEach(closeTargets)

  it('groups --url values by origin, each path loaded in turn', () => {
    const targets = targetsFromUrls(
      ['http://127.0.0.1:8080/a', 'http://localhost/b?x=1', 'http://127.0.0.1:8080/c#frag', 'http://[::1]:9000/'],
      GET,
      2,
    )
    assert.deepEqual(
      targets.map((t) => [t.name, t.host, t.port, t.url, t.requests.map((r) => r.path), t.expectWorkers]),
      [
        ['127.0.0.1:8080', '127.0.0.1', 8080, 'http://127.0.0.1:8080', ['/a', '/c'], 2],
        ['localhost', 'localhost', 80, 'http://localhost', ['/b?x=1'], 2],
        ['[::1]:9000', '::1', 9000, 'http://[::1]:9000', ['/'], 2],
      ],
    )
  })

  it('refuses what it cannot load, in one line', () => {
    assert.throws(() => targetsFromUrls(['http://u:p@127.0.0.1/'], GET, null), /put credentials in --header "Authorization/)
    assert.throws(() => targetsFromUrls(['127.0.0.1:80'], GET, null), /is not a URL: give a full one such as http:/)
    assert.throws(() => targetsFromUrls(['localhost:8080/'], GET, null), /must start with http:\/\//)
  })

  it('probes each server once before the run', async () => {
    const target = await startDelayedTarget(0)
    const [probed] = await resolveAndProbe(targetsFromUrls([target.url], GET, null), 2000)
    assert.equal(probed.host, '127.0.0.1')
    assert.equal(target.requests(), 0, 'a probe connects but sends no request')
    const port = await closedPort()
    await assert.rejects(
      resolveAndProbe(targetsFromUrls([`http://127.0.0.1:${port}/`], GET, null), 2000),
      new RegExp(`^UserError: nothing is listening at http://127.0.0.1:${port} \\(connection refused\\)`),
    )
  })

  it('takes a server that resets or closes every connection at once for one that is there', async () => {
    for (const rude of [(socket: Socket) => socket.resetAndDestroy(), (socket: Socket) => socket.destroy()]) {
      const server = createServer(rude)
      await new Promise<void>((resolve) => {
        server.listen(0, '127.0.0.1', resolve)
      })
      const {port} = server.address() as AddressInfo
      try {
        // The reset can come before or after the connect is seen: both mean a server listens.
        for (let i = 0; i < 20; i++) await resolveAndProbe(targetsFromUrls([`http://127.0.0.1:${port}/`], GET, null), 2000)
      } finally {
        server.close()
      }
    }
  })

  it('builds the mix of each built-in server with the response every route must give', async () => {
    const color = await buildMix(BUILTIN_SPECS.color)
    assert.equal(color.length, 15, 'the form, 13 colors, an unknown color')
    assert.deepEqual(
      color.map((r) => [r.path, r.expect!.status]).filter(([path]) => !String(path).startsWith('/color?color=') || path === '/color?color=red' || path === '/color?color=no-such-color'),
      [
        ['/', 200],
        ['/color?color=red', 200],
        ['/color?color=no-such-color', 404],
      ],
    )
    assert.match(new TextDecoder().decode(color[1].expect!.body), /Your color is <span id="color-name">Red/)
    assert.equal(color[0].expect!.contentType, 'text/html; charset=utf-8')

    const image = await buildMix(BUILTIN_SPECS.image)
    assert.deepEqual(
      image.map((r) => [r.path, r.expect!.status, r.expect!.contentType?.split(';')[0]]),
      [
        ['/', 200, 'image/jpeg'],
        ['/rick_roll.jpg', 200, 'image/jpeg'],
        ['/no-such-image-rick_roll.jpg', 404, 'text/html'],
      ],
    )
    assert.ok(image[0].expect!.body.length > 10_000)
    assert.deepEqual(image[0].expect!.body.subarray(0, 2), new Uint8Array([0xff, 0xd8]), 'a JPEG')
  })
})

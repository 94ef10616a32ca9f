import {strict as assert} from 'node:assert'
import {createHash} from 'node:crypto'

import {createColorApp} from '../../../src/apps/color/app.js'
import {DEFAULT_COLORS} from '../../../src/apps/color/palette.js'
import {appRequest} from '../../support/app-request.js'

const app = createColorApp()
const get = appRequest(app)

/** The CSP's style hash must match the page's one inline stylesheet, or browsers drop the colors. */
function assertStyleAllowed(html: string, csp: string) {
  const css = html.match(/<style>([\s\S]*?)<\/style>/)![1]
  const hash = createHash('sha256').update(css).digest('base64')
  assert.ok(csp.includes(`style-src 'sha256-${hash}'`), `CSP ${csp} does not allow the page's stylesheet`)
  assert.equal(html.match(/<style>/g)!.length, 1, 'exactly one stylesheet')
  assert.ok(!/ style=/.test(html), 'no inline style attributes (the CSP would block them)')
}

function assertCommonHeaders(res: Response, bodyLength: number) {
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff')
  assert.equal(res.headers.get('content-length'), String(bodyLength))
  assert.equal(res.headers.get('x-powered-by'), null)
  assert.ok(res.headers.get('content-security-policy')?.startsWith("default-src 'none'"))
}

describe('color app', () => {
  it('serves the form with every palette color, labelled and title-cased', async () => {
    const res = await get('/')
    const html = await res.text()
    assert.equal(res.status, 200)
    assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8')
    assertCommonHeaders(res, Buffer.byteLength(html))
    assertStyleAllowed(html, res.headers.get('content-security-policy')!)
    assert.ok(html.startsWith('<!doctype html>'))
    assert.match(html, /<form action="\/color" method="get">/)
    assert.match(html, /<label for="color">[^<]+<\/label>/)
    assert.match(html, /<select id="color" name="color"/)
    assert.match(html, /<button type="submit">/)
    const options = [...html.matchAll(/<option value="([^"]+)">([^<]+)<\/option>/g)].map((m) => [m[1], m[2]])
    assert.deepEqual(
      options,
      Object.keys(DEFAULT_COLORS).map((name) => [name, name[0].toUpperCase() + name.slice(1)]),
    )
    assert.equal(options.length, 13)
  })

  for (const [name, hex] of Object.entries(DEFAULT_COLORS)) {
    it(`shows ${name} with its name, hex code and the color applied`, async () => {
      const res = await get(`/color?color=${name}`)
      const html = await res.text()
      assert.equal(res.status, 200)
      assertCommonHeaders(res, Buffer.byteLength(html))
      assertStyleAllowed(html, res.headers.get('content-security-policy')!)
      assert.match(html, new RegExp(`<span id="color-name">${name[0].toUpperCase()}${name.slice(1)}</span>`))
      assert.match(html, new RegExp(`<code id="color-hex">${hex}</code>`))
      assert.match(html, new RegExp(`body\\{background:${hex};color:#(000000|FFFFFF)\\}`))
      assert.match(html, /<a href="\/">/)
    })
  }

  it('keeps light colors readable: dark text on white and yellow, light text on black and blue', async () => {
    const textOn = async (name: string) =>
      (await (await get(`/color?color=${name}`)).text()).match(/body\{background:#\w+;color:(#\w+)\}/)![1]
    assert.equal(await textOn('white'), '#000000')
    assert.equal(await textOn('yellow'), '#000000')
    assert.equal(await textOn('black'), '#FFFFFF')
    assert.equal(await textOn('blue'), '#FFFFFF')
  })

  it('matches names case-insensitively after trimming, and the first color parameter wins', async () => {
    for (const query of ['color=RED', 'color=%20Red%20', 'color=red&color=blue', 'color=+red+']) {
      const html = await (await get(`/color?${query}`)).text()
      assert.match(html, /id="color-name">Red</, query)
    }
  })

  it('does not match a palette name inside other text, as the original did', async () => {
    for (const path of ['/redblue', '/color?color=redblue', '/color?color=dark-red', '/color/red']) {
      assert.equal((await get(path)).status, 404, path)
    }
  })

  it('answers an unknown color with a friendly 404 page that links back', async () => {
    const res = await get('/color?color=grey')
    const html = await res.text()
    assert.equal(res.status, 404)
    assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8')
    assert.match(html, /<h1>Unknown color<\/h1>/)
    assert.match(html, /<a href="\/">/)
    assertStyleAllowed(html, res.headers.get('content-security-policy')!)
  })

  it('treats object property names as unknown colors', async () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'prototype']) {
      assert.equal((await get(`/color?color=${name}`)).status, 404, name)
    }
  })

  it('answers a missing or empty color with 400', async () => {
    for (const path of ['/color', '/color?color=', '/color?color=%20%20', '/color?colour=red']) {
      const res = await get(path)
      assert.equal(res.status, 400, path)
      assert.match(await res.text(), /<h1>No color chosen<\/h1>/)
    }
  })

  it('never echoes request input into a page', async () => {
    const evil = '<script>alert(1)</script>'
    for (const path of [`/color?color=${encodeURIComponent(evil)}`, `/${encodeURIComponent(evil)}`, `/x?${evil}`]) {
      const html = await (await get(path)).text()
      assert.ok(!html.includes('<script'), path)
      assert.ok(!html.includes('alert(1)'), path)
    }
  })

  it('answers other paths with a 404 page', async () => {
    const res = await get('/nope')
    assert.equal(res.status, 404)
    assert.match(await res.text(), /<h1>Page not found<\/h1>/)
  })

  it('answers methods other than GET and HEAD with 405 and Allow', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      for (const path of ['/', '/color?color=red', '/nope']) {
        const res = await get(path, {method})
        assert.equal(res.status, 405, `${method} ${path}`)
        assert.equal(res.headers.get('allow'), 'GET, HEAD')
      }
    }
  })

  it("answers HEAD with GET's headers, Content-Length included, and no body", async () => {
    for (const path of ['/', '/color?color=red', '/color?color=grey', '/color', '/nope']) {
      const got = await get(path)
      const head = await get(path, {method: 'HEAD'})
      assert.equal(head.status, got.status, path)
      assert.deepEqual([...head.headers], [...got.headers], path)
      assert.equal(head.headers.get('content-length'), String((await got.arrayBuffer()).byteLength))
      assert.equal((await head.arrayBuffer()).byteLength, 0)
    }
  })

  it('serves a favicon so browsers get no 404', async () => {
    const res = await get('/favicon.svg')
    assert.equal(res.status, 200)
    assert.equal(res.headers.get('content-type'), 'image/svg+xml')
    assert.match(await res.text(), /^<svg /)
  })

  it('adds and overrides colors from options', async () => {
    const custom = createColorApp({colors: {red: '#cc0000', 'sea-green': '#2E8B57'}})
    const request = appRequest(custom)
    const form = await (await request('/')).text()
    assert.match(form, /<option value="sea-green">Sea Green<\/option>/)
    assert.match(await (await request('/color?color=red')).text(), /#CC0000/)
    assert.match(await (await request('/color?color=Sea-Green')).text(), /#2E8B57/)
  })

  it('builds pages once: every request for a page gets identical bytes', async () => {
    const a = await (await get('/color?color=cyan')).text()
    const b = await (await get('/color?color=CYAN')).text()
    assert.equal(a, b)
  })
})

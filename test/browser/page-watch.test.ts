// The watcher the browser tests rely on must see what it claims to see; pages
// served from a fake origin break each rule on purpose.
import {strict as assert} from 'node:assert'
import type {Browser} from 'playwright-core'

import {launchBrowserOrSkip, PageWatch, sandboxedWithoutScripts} from '../support/browser.js'

const ORIGIN = 'http://webkit.invalid'

describe('browser page watch', function () {
  let browser: Browser | undefined
  let watch: PageWatch | undefined

  before(async function () {
    browser = await launchBrowserOrSkip(this)
  })

  after(async () => {
    await browser?.close()
  })

  beforeEach(async () => {
    watch = await PageWatch.open(browser!)
    await watch.page.route(`${ORIGIN}/**`, (route) => {
      const {pathname} = new URL(route.request().url())
      const pages: Record<string, {body: string; csp?: string; status?: number}> = {
        '/clean': {body: '<p>fine</p>', csp: "default-src 'none'"},
        '/csp': {body: '<style>p{color:red}</style><p>styled</p>', csp: "default-src 'none'"},
        '/logs': {body: '<script>console.error("something broke")</script>'},
        '/missing': {body: '<p>gone</p>', status: 404},
        '/sandboxed': {body: '<p>quiet</p>', csp: "default-src 'none'; sandbox"},
        '/sandboxed-csp': {body: '<style>p{color:red}</style><p>styled</p>', csp: "default-src 'none'; sandbox"},
        '/throws': {body: '<script>throw new Error("boom")</script>'},
      }
      const page = pages[pathname]
      return route.fulfill({
        body: `<!doctype html>${page.body}`,
        contentType: 'text/html',
        headers: page.csp ? {'Content-Security-Policy': page.csp} : {},
        status: page.status ?? 200,
      })
    })
  })

  afterEach(async () => {
    await watch?.close()
  })

  it('finds nothing on a clean page', async () => {
    await watch!.page.goto(`${ORIGIN}/clean`)
    assert.deepEqual(await watch!.unexpectedProblems(), [])
  })

  it('reports a CSP violation as the event the page sees', async () => {
    await watch!.page.goto(`${ORIGIN}/csp`)
    const problems = await watch!.unexpectedProblems()
    assert.ok(
      problems.some((p) => p === `${ORIGIN}/csp: CSP violation: style-src-elem blocked inline`),
      problems.join('\n'),
    )
  })

  it('reports console errors and uncaught exceptions', async () => {
    await watch!.page.goto(`${ORIGIN}/logs`)
    await watch!.page.goto(`${ORIGIN}/throws`)
    const problems = await watch!.unexpectedProblems()
    assert.ok(problems.includes(`${ORIGIN}/logs: console error: something broke`), problems.join('\n'))
    assert.ok(problems.includes(`${ORIGIN}/throws: uncaught boom`), problems.join('\n'))
  })

  it('checks a document sandboxed without scripts without tripping its sandbox', async () => {
    await watch!.page.goto(`${ORIGIN}/sandboxed`)
    assert.deepEqual(await watch!.unexpectedProblems(), [])
  })

  it('still reports what a sandboxed document logs', async () => {
    await watch!.page.goto(`${ORIGIN}/sandboxed-csp`)
    const problems = await watch!.unexpectedProblems()
    assert.ok(
      problems.some((p) => p.startsWith(`${ORIGIN}/sandboxed-csp: console error: Applying inline style violates`)),
      problems.join('\n'),
    )
  })

  it("tolerates a document's own error status only where that status is expected", async () => {
    await watch!.page.goto(`${ORIGIN}/missing`)
    assert.deepEqual(await watch!.unexpectedProblems(), [
      `${ORIGIN}/missing: console error: Failed to load resource: the server responded with a status of 404 (Not Found)`,
    ])

    const expecting = await PageWatch.open(browser!)
    try {
      await expecting.page.route(`${ORIGIN}/**`, (route) => route.fulfill({body: 'gone', status: 404}))
      expecting.expectStatus(`${ORIGIN}/missing`, 404)
      await expecting.page.goto(`${ORIGIN}/missing`)
      await expecting.page.goto(`${ORIGIN}/other`)
      assert.deepEqual(await expecting.unexpectedProblems(), [
        `${ORIGIN}/other: console error: Failed to load resource: the server responded with a status of 404 (Not Found)`,
      ])
    } finally {
      await expecting.close()
    }
  })
})

describe('reading a CSP sandbox', () => {
  it('tells a sandbox that forbids scripts from one that allows them', () => {
    assert.equal(sandboxedWithoutScripts(undefined), false)
    assert.equal(sandboxedWithoutScripts("default-src 'none'"), false)
    assert.equal(sandboxedWithoutScripts("default-src 'none'; img-src data:; sandbox"), true)
    assert.equal(sandboxedWithoutScripts('SANDBOX allow-forms'), true)
    assert.equal(sandboxedWithoutScripts('sandbox allow-forms allow-scripts'), false)
    assert.equal(sandboxedWithoutScripts("default-src 'self', sandbox"), true)
    assert.equal(sandboxedWithoutScripts('img-src sandbox.example'), false)
  })
})

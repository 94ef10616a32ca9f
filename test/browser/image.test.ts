// The image server in a real browser: the image opens inline and displays, and
// any other address renders the friendly 404 page.
import {strict as assert} from 'node:assert'
import {basename} from 'node:path'
import type {Page} from 'playwright-core'

import {saveScreenshot} from '../support/browser.js'
import {browserSuite} from '../support/browser-suite.js'

const IMAGE = 'assets/rick_roll.jpg'

/** What the browser made of the document it was given. */
async function describeDocument(page: Page) {
  return page.evaluate(() => ({
    contentType: document.contentType,
    images: [...document.images].map((image) => ({
      complete: image.complete,
      naturalHeight: image.naturalHeight,
      naturalWidth: image.naturalWidth,
    })),
  }))
}

describe('image server in a browser', function () {
  const suite = browserSuite('image')

  for (const [label, path] of [
    ['/', '/'],
    ['its file name', `/${basename(IMAGE)}`],
  ]) {
    it(`opens the image inline at ${label} and displays it`, async () => {
      const {page} = suite.watch
      const downloads: string[] = []
      page.on('download', (download) => downloads.push(download.url()))

      // A download would make goto fail ("Download is starting") instead of
      // returning the response.
      const response = await page.goto(`${suite.url}${path}`)
      assert.equal(response?.status(), 200)
      assert.equal(response.headers()['content-type'], 'image/jpeg')
      const disposition = response.headers()['content-disposition']
      assert.ok(disposition === undefined || disposition.startsWith('inline'), `Content-Disposition: ${disposition}`)

      const shown = await describeDocument(page)
      assert.equal(shown.contentType, 'image/jpeg')
      assert.equal(shown.images.length, 1)
      assert.ok(shown.images[0].complete)
      assert.ok(shown.images[0].naturalWidth > 0, `naturalWidth ${shown.images[0].naturalWidth}`)
      assert.ok(shown.images[0].naturalHeight > 0, `naturalHeight ${shown.images[0].naturalHeight}`)
      assert.deepEqual(downloads, [])
      await saveScreenshot(page, `image${path === '/' ? '' : '-by-name'}`)
      assert.deepEqual(await suite.watch.unexpectedProblems(), [])
    })
  }

  it('renders the 404 page for any other address, with a way to the image', async () => {
    const {page} = suite.watch
    const url = `${suite.url}/no/such/image.jpg`
    suite.watch.expectStatus(url, 404)
    const response = await page.goto(url)
    assert.equal(response?.status(), 404)
    assert.equal(await page.title(), '404 Image Not Found')
    assert.equal(await page.getByRole('heading', {level: 1}).textContent(), '404 Image Not Found')
    await saveScreenshot(page, 'image-not-found')
    assert.deepEqual(await suite.watch.unexpectedProblems(), [])

    await Promise.all([page.waitForURL(`${suite.url}/`), page.getByRole('link', {name: 'See the image'}).click()])
    const shown = await describeDocument(page)
    assert.equal(shown.contentType, 'image/jpeg')
    assert.ok(shown.images[0].naturalWidth > 0)
    assert.deepEqual(await suite.watch.unexpectedProblems(), [])
  })
})

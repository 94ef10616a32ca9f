// The color server in a real browser, used as a person would: pick a color in
// the form, submit, read the page, come back.
import {strict as assert} from 'node:assert'
import type {Page} from 'playwright-core'

import {saveScreenshot} from '../support/browser.js'
import {browserSuite} from '../support/browser-suite.js'

const BLACK = 'rgb(0, 0, 0)'
const WHITE = 'rgb(255, 255, 255)'

/** Chosen by their labels; light colors must get dark text and dark ones light text. */
const CHOICES = [
  {background: WHITE, hex: '#FFFFFF', label: 'White', name: 'white', text: BLACK},
  {background: 'rgb(255, 255, 0)', hex: '#FFFF00', label: 'Yellow', name: 'yellow', text: BLACK},
  {background: 'rgb(0, 0, 255)', hex: '#0000FF', label: 'Blue', name: 'blue', text: WHITE},
  {background: 'rgb(128, 0, 128)', hex: '#800080', label: 'Purple', name: 'purple', text: WHITE},
  {background: BLACK, hex: '#000000', label: 'Black', name: 'black', text: WHITE},
]

async function computed(page: Page, selector: string) {
  return page.locator(selector).evaluate((element) => {
    const style = getComputedStyle(element)
    return {background: style.backgroundColor, border: style.borderTopColor, color: style.color}
  })
}

describe('color server in a browser', function () {
  const suite = browserSuite('color')

  async function assertClean() {
    assert.deepEqual(await suite.watch.unexpectedProblems(), [])
  }

  async function openForm(): Promise<Page> {
    const {page} = suite.watch
    const response = await page.goto(`${suite.url}/`)
    assert.equal(response?.status(), 200)
    return page
  }

  it('shows the form with every color to choose from', async () => {
    const page = await openForm()
    assert.equal(await page.title(), 'Choose your color')
    assert.equal(await page.getByRole('heading', {level: 1}).textContent(), 'Choose your color')
    const select = page.getByLabel('Color')
    assert.equal(await select.evaluate((element) => element.id), 'color')
    const labels = await select.locator('option').allTextContents()
    assert.equal(labels.length, 13)
    for (const {label} of CHOICES) assert.ok(labels.includes(label), `${label} is offered`)
    assert.ok(await page.getByRole('button', {name: 'Show me'}).isVisible())
    await saveScreenshot(page, 'color-form')
    await assertClean()
  })

  for (const choice of CHOICES) {
    it(`shows ${choice.name} when it is chosen and submitted, then leads back to the form`, async () => {
      const page = await openForm()
      await page.getByLabel('Color').selectOption({label: choice.label})
      await Promise.all([page.waitForURL(`${suite.url}/color?**`), page.getByRole('button', {name: 'Show me'}).click()])

      assert.equal(page.url(), `${suite.url}/color?color=${choice.name}`)
      assert.equal(await page.title(), `${choice.label} color`)
      assert.equal(
        (await page.getByRole('heading', {level: 1}).textContent())?.replaceAll(/\s+/g, ' '),
        `Your color is ${choice.label}`,
      )
      assert.equal(await page.locator('#color-name').textContent(), choice.label)
      assert.equal(await page.locator('#color-hex').textContent(), choice.hex)

      // The whole page wears the color; the swatch and its text contrast with it.
      assert.equal((await computed(page, 'body')).background, choice.background)
      const swatch = await computed(page, '#swatch')
      assert.equal(swatch.color, choice.text)
      assert.equal(swatch.border, choice.text)
      assert.equal((await computed(page, '#color-name')).color, choice.text)
      assert.equal((await computed(page, '#color-hex')).color, choice.text)
      const back = page.getByRole('link', {name: 'Choose another color'})
      assert.equal((await computed(page, 'a')).color, choice.text)
      await saveScreenshot(page, `color-${choice.name}`)
      await assertClean()

      await Promise.all([page.waitForURL(`${suite.url}/`), back.click()])
      assert.equal(await page.getByRole('heading', {level: 1}).textContent(), 'Choose your color')
      assert.ok(await page.getByLabel('Color').isVisible())
      await assertClean()
    })
  }

  it('renders the 404 page for an unknown color, with a way back', async () => {
    const {page} = suite.watch
    const url = `${suite.url}/color?color=grey`
    suite.watch.expectStatus(url, 404)
    const response = await page.goto(url)
    assert.equal(response?.status(), 404)
    assert.equal(await page.getByRole('heading', {level: 1}).textContent(), 'Unknown color')
    assert.ok(await page.getByText('That color is not in this palette.').isVisible())
    await saveScreenshot(page, 'color-unknown')
    await assertClean()

    // Its suggestions are real colors.
    await Promise.all([page.waitForURL(`${suite.url}/color?color=red`), page.getByRole('link', {name: 'Red'}).click()])
    assert.equal(await page.locator('#color-name').textContent(), 'Red')
    await page.goBack()
    await Promise.all([
      page.waitForURL(`${suite.url}/`),
      page.getByRole('link', {name: 'Back to the color form'}).click(),
    ])
    assert.ok(await page.getByLabel('Color').isVisible())
    await assertClean()
  })

  it('renders the 404 page for an unknown address', async () => {
    const {page} = suite.watch
    const url = `${suite.url}/no/such/page`
    suite.watch.expectStatus(url, 404)
    const response = await page.goto(url)
    assert.equal(response?.status(), 404)
    assert.equal(await page.getByRole('heading', {level: 1}).textContent(), 'Page not found')
    await saveScreenshot(page, 'color-not-found')
    await assertClean()
  })
})

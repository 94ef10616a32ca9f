// Regenerates the README's screenshots (docs/screenshots/) from a real color
// server and the system Chromium, by the same route a person takes.
import {mkdirSync} from 'node:fs'
import {join} from 'node:path'
import {chromium} from 'playwright-core'

import {CHROMIUM_FLAGS, findChromium} from '../test/support/browser.js'
import {ROOT, startServer, stopAll} from '../test/support/cli.js'

const OUT = join(ROOT, 'docs', 'screenshots')
const COLOR = process.argv[2] ?? 'Orange'

const found = findChromium()
if ('missing' in found) {
  console.error(found.missing)
  process.exit(1)
}

const server = await startServer('color')
const browser = await chromium.launch({args: CHROMIUM_FLAGS, executablePath: found.path, headless: true})
try {
  const page = await browser.newPage({viewport: {height: 500, width: 800}})
  mkdirSync(OUT, {recursive: true})
  await page.goto(`${server.url}/`)
  await page.getByLabel('Color').selectOption({label: COLOR})
  await page.screenshot({path: join(OUT, 'color-form.png')})
  await Promise.all([page.waitForURL(`${server.url}/color?**`), page.getByRole('button', {name: 'Show me'}).click()])
  await page.screenshot({path: join(OUT, 'color-page.png')})
  console.log(`wrote ${join(OUT, 'color-form.png')} and ${join(OUT, 'color-page.png')}`)
} finally {
  await browser.close()
  await stopAll()
}

// Regenerates the README's screenshots (docs/screenshots/) from a real color
// server, a real load test's HTML report and the system Chromium, by the same
// route a person takes.
import {mkdirSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'
import {chromium} from 'playwright-core'

import {CHROMIUM_FLAGS, findChromium} from '../test/support/browser.js'
import {ROOT, runCli, startServer, stopAll} from '../test/support/cli.js'

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

  // A load test of a color pool of 2, run from a scratch directory so the command line reads as a person's would.
  const dir = mkdtempSync(join(tmpdir(), 'webkit-screenshot-'))
  try {
    const report = join(dir, 'load-report.html')
    const args = ['load-test', '--target', 'color', '--workers', '2', '-c', '20', '-d', '6', '--report', 'load-report.html']
    const run = runCli(args, {}, {cwd: dir})
    const code = await run.exited
    if (code !== 0) throw new Error(`load-test exited ${code}:\n${run.stdout()}\n${run.stderr()}`)
    const wide = await browser.newPage({viewport: {height: 900, width: 1200}})
    await wide.goto(pathToFileURL(report).href)
    await wide.waitForFunction(() => document.documentElement.dataset.charts !== undefined)
    // From the top to the end of the workers' panel: the figures, the charts and the pool's balance.
    const bottom = await wide.locator('section.panel', {hasText: 'Requests per worker'}).evaluate((el) => el.getBoundingClientRect().bottom + window.scrollY)
    await wide.screenshot({clip: {height: Math.ceil(bottom + 12), width: 1200, x: 0, y: 0}, fullPage: true, path: join(OUT, 'load-report.png')})
    console.log(`wrote ${join(OUT, 'load-report.png')}`)
  } finally {
    rmSync(dir, {force: true, recursive: true})
  }
} finally {
  await browser.close()
  await stopAll()
}

// The HTML report of a real run, opened from disk in Chromium: it must draw
// without a console error and without a single request beyond the file itself,
// and show the very numbers the run's JSON holds.
import {strict as assert} from 'node:assert'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'
import type {Browser, Locator, Page} from 'playwright-core'

import {launchBrowserOrSkip, PageWatch, saveScreenshot} from '../support/browser.js'
import {runCli, stopAll} from '../support/cli.js'

interface Run {
  file: string
  json: Record<string, any>
}

/** `webkit load-test ... --report FILE --json`, to the end; it must pass. */
async function reportedRun(dir: string, name: string, args: string[]): Promise<Run> {
  const file = join(dir, `${name}.html`)
  const run = runCli(['load-test', ...args, '--report', file, '--json'])
  const code = await run.exited
  assert.equal(code, 0, `exit ${code}\nstdout:\n${run.stdout()}\nstderr:\n${run.stderr()}`)
  return {file, json: JSON.parse(run.stdout())}
}

/**
 * Opens `file` with every request routed: the file itself goes through, anything
 * else is refused and recorded (so is any request the router cannot see, such
 * as another file: URL).
 */
async function openOffline(page: Page, file: string): Promise<string[]> {
  const self = pathToFileURL(file).href
  const others: string[] = []
  page.on('request', (request) => {
    if (request.url() !== self) others.push(request.url())
  })
  page.on('websocket', (socket) => others.push(socket.url()))
  await page.context().route('**/*', (route) => {
    if (route.request().url() === self) return route.continue()
    return route.abort('blockedbyclient')
  })
  const response = await page.goto(self)
  assert.ok(response === null || response.ok(), 'the file opens')
  await page.waitForFunction(() => document.documentElement.dataset.charts !== undefined)
  return others
}

const text = async (locator: Locator) => ((await locator.textContent()) ?? '').trim()
const figure = (shown: string) => Number(shown.replaceAll(',', ''))

/** The figures of one run as the page shows them, scoped to `root`, against the run's JSON. */
async function assertShows(root: Locator, json: Record<string, any>): Promise<void> {
  const total = root.locator('[data-metric="total-requests"]')
  assert.equal(figure(await text(total)), json.requests.total, 'total requests shown')
  assert.equal(Number(await total.getAttribute('data-value')), json.requests.total)
  const p99 = root.locator('[data-metric="p99"]')
  assert.equal(figure(await text(p99)), json.latencyMs.p99, 'p99 shown, in ms')
  assert.equal(Number(await p99.getAttribute('data-value')), json.latencyMs.p99)
  assert.equal(await text(root.locator('[data-metric="verdict"]').first()), json.passed ? 'PASS' : 'FAIL')

  const shownWorkers = await root.locator('[data-worker]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-worker')))
  assert.deepEqual(shownWorkers.sort(), Object.keys(json.workers).sort(), 'a bar for each worker of the JSON, and no other')
  for (const [key, n] of Object.entries(json.workers as Record<string, number>)) {
    const count = root.locator(`[data-worker="${key}"] [data-metric="worker-requests"]`)
    assert.equal(figure(await text(count)), n, `worker ${key} shown`)
    assert.equal(Number(await count.getAttribute('data-value')), n)
  }
}

/** Every chart placeholder holds a drawn uPlot canvas as wide as its panel. */
async function assertChartsDrawn(page: Page): Promise<number> {
  const charts = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('[data-chart]')].map((el) => {
      const canvas = el.querySelector('canvas')
      return {canvas: canvas ? canvas.getBoundingClientRect().width : 0, id: el.id, width: el.clientWidth}
    }),
  )
  assert.ok(charts.length > 0)
  assert.equal(await page.evaluate(() => document.documentElement.dataset.charts), String(charts.length))
  for (const chart of charts) assert.ok(chart.canvas > 0 && chart.canvas <= chart.width + 1, `${chart.id} drawn to its width (${chart.canvas} of ${chart.width})`)
  return charts.length
}

describe('load-test HTML report in a browser', function () {
  this.timeout(90_000)
  let browser: Browser | undefined
  let dir: string
  let watch: PageWatch | undefined
  let single: Run
  let scaling: Run

  before(async function () {
    browser = await launchBrowserOrSkip(this)
    this.timeout(90_000)
    dir = mkdtempSync(join(tmpdir(), 'webkit-report-'))
    single = await reportedRun(dir, 'single', ['-d', '2', '--workers', '2', '-c', '8'])
    scaling = await reportedRun(dir, 'scaling', ['-d', '1', '--workers', '1,2', '-c', '8', '--target', 'color'])
  })

  after(async () => {
    await browser?.close()
    await stopAll()
    if (dir) rmSync(dir, {force: true, recursive: true})
  })

  beforeEach(async () => {
    watch = await PageWatch.open(browser!)
    await watch.page.setViewportSize({height: 900, width: 1200})
  })

  afterEach(async () => {
    await watch?.close()
    watch = undefined
  })

  it('a run of both built-in pools: drawn offline, without errors, showing the JSON’s numbers', async () => {
    const {page} = watch!
    assert.deepEqual(await openOffline(page, single.file), [], 'no request but the file')
    assert.equal(await assertChartsDrawn(page), 5, 'percentiles, throughput and latency per second, and each pool’s workers per second')
    const keys = Object.keys(single.json.workers)
    assert.deepEqual(keys.map((key) => key.split(':')[0]).sort(), ['color', 'color', 'image', 'image'], 'two workers in each pool')
    await assertShows(page.locator('main'), single.json)
    assert.equal(await text(page.locator('[data-metric="command"]')), `webkit load-test -d 2 --workers 2 -c 8 --report ${single.file} --json`)
    await saveScreenshot(page, 'load-report')
    assert.deepEqual(await watch!.unexpectedProblems(), [])
  })

  it('a --workers list: one page, each run with the numbers of its own JSON', async () => {
    const {page} = watch!
    assert.deepEqual(await openOffline(page, scaling.file), [], 'no request but the file')
    await assertChartsDrawn(page)
    assert.equal(await text(page.locator('header.top [data-metric="verdict"]')), 'PASS')
    const runs = scaling.json.runs as Record<string, any>[]
    assert.equal(runs.length, 2)
    for (const [i, workers] of [1, 2].entries()) {
      await assertShows(page.locator(`section.run[data-run="${workers}"]`), runs[i])
      const row = page.locator(`[data-metric="scaling"] tr[data-run="${workers}"]`)
      assert.equal(figure(await text(row.locator('[data-metric="rps"]'))), scaling.json.scaling[i].requestsPerSecond)
    }

    assert.deepEqual(await watch!.unexpectedProblems(), [])
  })

  it('the offline check is not vacuous: a copy of the page that reaches out is caught', async () => {
    const {page} = watch!
    const leaky = join(dir, 'leaky.html')
    const html = readFileSync(single.file, 'utf8').replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '')
    writeFileSync(leaky, html.replace('</main>', '<img src="http://127.0.0.1:9/pixel.png" alt=""></main>'))
    assert.deepEqual(await openOffline(page, leaky), ['http://127.0.0.1:9/pixel.png'])
    // The page's own policy would have stopped it, and said so.
    writeFileSync(leaky, readFileSync(single.file, 'utf8').replace('</main>', '<img src="http://127.0.0.1:9/pixel.png" alt=""></main>'))
    const again = await PageWatch.open(browser!)
    try {
      await openOffline(again.page, leaky)
      const problems = await again.unexpectedProblems()
      assert.ok(problems.some((p) => /CSP violation: img-src blocked http:\/\/127\.0\.0\.1:9\/pixel\.png/.test(p)), problems.join('\n'))
    } finally {
      await again.close()
    }
  })
})

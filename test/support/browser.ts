// Drives the system Chromium (Debian's `chromium` package) through playwright-core,
// which bundles no browser. Without one the browser tests skip and say how to get
// one; with WEBKIT_REQUIRE_BROWSER=1 (as in CI) a missing browser fails the run.
import {accessSync, constants, mkdirSync, statSync} from 'node:fs'
import {STATUS_CODES} from 'node:http'
import {join} from 'node:path'
import {type Browser, chromium, type ConsoleMessage, type Page} from 'playwright-core'

import {ROOT} from './cli.js'

export const DEFAULT_CHROMIUM = '/usr/bin/chromium'

/** Headless, and quiet: no sandbox (CI runs as root), no GPU, no calls home. */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

export const SCREENSHOT_DIR = join(ROOT, 'test-output', 'screenshots')

const INSTALL_HINT =
  'install one with `apt-get install chromium` (Debian/Ubuntu, as root) or point CHROMIUM_PATH at a Chromium binary'

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return statSync(path).isFile()
  } catch {
    return false
  }
}

/** The browser to drive, or why there is none. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): {path: string} | {missing: string} {
  const configured = env.CHROMIUM_PATH?.trim()
  if (configured) {
    return isExecutable(configured)
      ? {path: configured}
      : {missing: `CHROMIUM_PATH=${configured} is not an executable file; ${INSTALL_HINT}`}
  }

  return isExecutable(DEFAULT_CHROMIUM)
    ? {path: DEFAULT_CHROMIUM}
    : {missing: `no Chromium at ${DEFAULT_CHROMIUM} and CHROMIUM_PATH is not set; ${INSTALL_HINT}`}
}

export function browserRequired(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.WEBKIT_REQUIRE_BROWSER === '1'
}

let skipAnnounced = false

/**
 * Launches Chromium for a suite; call from a `before` hook. Without a browser the
 * whole suite is skipped (and says why), unless WEBKIT_REQUIRE_BROWSER=1.
 */
export async function launchBrowserOrSkip(suite: Mocha.Context): Promise<Browser> {
  const found = findChromium()
  if ('missing' in found) {
    if (browserRequired()) throw new Error(`WEBKIT_REQUIRE_BROWSER=1 but ${found.missing}`)
    if (!skipAnnounced) console.log(`      browser tests skipped: ${found.missing}`)
    skipAnnounced = true
    suite.skip()
  }

  // Launching is slow on a busy two-core machine; it is not what is under test.
  suite.timeout(60_000)
  return chromium.launch({args: CHROMIUM_FLAGS, executablePath: (found as {path: string}).path, headless: true})
}

/** What Chromium logs for a document answered with an error status. */
function statusMessage(status: number): string {
  return `Failed to load resource: the server responded with a status of ${status} (${STATUS_CODES[status]})`
}

interface Problem {
  /** The document it happened in. */
  url: string
  what: string
}

/** True when a CSP header sandboxes its document without allowing scripts. */
export function sandboxedWithoutScripts(csp: string | undefined): boolean {
  if (!csp) return false
  // Several policies may arrive joined by commas; each one applies.
  return csp
    .split(',')
    .flatMap((policy) => policy.split(';'))
    .map((directive) => directive.trim().toLowerCase().split(/\s+/))
    .some(([name, ...tokens]) => name === 'sandbox' && !tokens.includes('allow-scripts'))
}

/**
 * Records everything a page should never do: console errors, uncaught
 * exceptions and Content-Security-Policy violations.
 */
export class PageWatch {
  private readonly expected = new Map<string, number>()
  private readonly problems: Problem[] = []

  /** Whether the current document may run script (a served image is sandboxed without). */
  private scriptsAllowed = true

  private constructor(readonly page: Page) {
    page.on('console', (message) => this.onConsole(message))
    page.on('pageerror', (error) => this.problems.push({url: page.url(), what: `uncaught ${error.message}`}))
    page.on('response', (response) => {
      if (response.request().isNavigationRequest() && response.frame() === page.mainFrame()) {
        this.scriptsAllowed = !sandboxedWithoutScripts(response.headers()['content-security-policy'])
      }
    })
  }

  /** A fresh page whose problems are recorded from its first document on. */
  static async open(browser: Browser): Promise<PageWatch> {
    const context = await browser.newContext({viewport: {height: 500, width: 800}})
    const page = await context.newPage()
    const watch = new PageWatch(page)
    // Bindings and init scripts are injected over the DevTools protocol, so the
    // pages' strict CSP does not stop them; the violation events themselves are
    // only visible from inside the page.
    await page.exposeBinding('__webkitReportCsp', (_source, url: string, what: string) => {
      watch.problems.push({url, what: `CSP violation: ${what}`})
    })
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        const report = (globalThis as unknown as {__webkitReportCsp(url: string, what: string): void})
          .__webkitReportCsp
        report(event.documentURI, `${event.effectiveDirective} blocked ${event.blockedURI || 'inline'}`)
      })
    })
    return watch
  }

  /**
   * Chromium logs a document's own error status as a console error. For a page
   * that is meant to answer `status`, exactly that one message is tolerated.
   */
  expectStatus(url: string, status: number): void {
    this.expected.set(url, status)
  }

  /** Every problem so far, after letting the page deliver what it has queued. */
  async unexpectedProblems(): Promise<string[]> {
    if (this.scriptsAllowed) {
      // One turn of the page's event loop: violation events are queued tasks,
      // and what they report travels the same connection as this reply.
      await this.page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)))
    } else {
      // Such a document runs no timers and no listeners (a timer would itself be
      // logged as blocked); its violations still reach the console, which
      // Chromium reports before it answers this round trip.
      await this.page.evaluate(() => document.readyState)
    }

    return this.problems.map(({url, what}) => `${url}: ${what}`)
  }

  async close(): Promise<void> {
    await this.page.context().close()
  }

  private onConsole(message: ConsoleMessage): void {
    if (message.type() !== 'error') return
    const text = message.text()
    const {url} = message.location()
    const status = this.expected.get(url)
    if (status !== undefined && text === statusMessage(status)) return
    this.problems.push({url: url || this.page.url(), what: `console error: ${text}`})
  }
}

/** Saves a full-page screenshot as test-output/screenshots/<name>.png. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, {recursive: true})
  const path = join(SCREENSHOT_DIR, `${name}.png`)
  await page.screenshot({fullPage: true, path})
  return path
}

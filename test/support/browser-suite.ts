// What every browser suite needs: a browser and a webkit server for the suite,
// a watched page for each test, all closed when done.
import type {Browser} from 'playwright-core'

import {launchBrowserOrSkip, PageWatch} from './browser.js'
import {startServer, type StartedServer, stopAll} from './cli.js'

export interface BrowserSuite {
  /** The current test's page and what it has seen. */
  readonly watch: PageWatch
  /** The server's base URL, without the trailing slash. */
  readonly url: string
}

/** Registers the hooks; call inside `describe`. The suite is skipped when no browser is installed and none is required. */
export function browserSuite(server: 'color' | 'image'): BrowserSuite {
  let browser: Browser | undefined
  let started: StartedServer | undefined
  let watch: PageWatch | undefined

  before(async function () {
    browser = await launchBrowserOrSkip(this)
    started = await startServer(server)
  })

  after(async () => {
    await browser?.close()
    await stopAll()
  })

  beforeEach(async () => {
    watch = await PageWatch.open(browser!)
  })

  afterEach(async () => {
    await watch?.close()
    watch = undefined
  })

  return {
    get url() {
      return started!.url
    },
    get watch() {
      return watch!
    },
  }
}

// An adaptor-level server for tests: createHttpServer on a free port, its access log in memory.
import {once} from 'node:events'
import type {AddressInfo} from 'node:net'

import type {Shortcut} from '../../src/apps/served-app.js'
import {createLogger} from '../../src/log/logger.js'
import {createMemorySink} from '../../src/log/sink.js'
import {createHttpServer, type FetchHandler} from '../../src/server/http-server.js'
import {DEFAULT_TIMEOUTS, type ServerTimeouts} from '../../src/server/options.js'

/**
 * Whether the suites run with the fast path and the shortcuts, as the servers
 * read WEBKIT_FAST_PATH (unset: on; 1, true, y or yes: on; anything else: off).
 * `npm test` runs the socket-level suites once each way.
 */
export const FAST_PATH = !process.env.WEBKIT_FAST_PATH || ['1', 'true', 'y', 'yes'].includes(process.env.WEBKIT_FAST_PATH.toLowerCase())

/** Serves `fetch` (and `shortcut`) as worker '7', logging JSON lines into `log`. */
export async function startHttpServer(
  fetch: FetchHandler,
  timeouts: ServerTimeouts = DEFAULT_TIMEOUTS,
  shortcut?: Shortcut,
  fastPath = FAST_PATH,
  instance?: string,
) {
  const out = createMemorySink()
  const logger = createLogger({color: false, format: 'json', quiet: false}, out, createMemorySink())
  const server = createHttpServer({fetch, shortcut}, {fastPath, instance, logger, timeouts, workerId: '7'})
  const {listener} = server
  listener.listen(0, '127.0.0.1')
  await once(listener, 'listening')
  const url = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`
  return {listener, log: out.lines, server, url}
}

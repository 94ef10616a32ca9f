// An adaptor-level server for tests: createHttpServer on a free port, its access log in memory.
import {once} from 'node:events'
import type {AddressInfo} from 'node:net'

import type {Shortcut} from '../../src/apps/served-app.js'
import {createLogger} from '../../src/log/logger.js'
import {createMemorySink} from '../../src/log/sink.js'
import {createHttpServer, type FetchHandler} from '../../src/server/http-server.js'
import {DEFAULT_TIMEOUTS, type ServerTimeouts} from '../../src/server/options.js'

/** Serves `fetch` (and `shortcut`) as worker '7', logging JSON lines into `log`. */
export async function startHttpServer(fetch: FetchHandler, timeouts: ServerTimeouts = DEFAULT_TIMEOUTS, shortcut?: Shortcut) {
  const out = createMemorySink()
  const logger = createLogger({color: false, format: 'json', quiet: false}, out, createMemorySink())
  const server = createHttpServer(fetch, {logger, shortcut, timeouts, workerId: '7'})
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {log: out.lines, server, url}
}

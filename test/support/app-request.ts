// How the app-level suites ask an app for a response. Normally through
// app.request(), with no sockets. With the fast path switched off
// (WEBKIT_FAST_PATH=0, the second pass of `npm test`), over a real connection to
// the app served by node:http and node-server, as a server with the switch off
// answers: every app-level behaviour is then held to what a client receives,
// less what the server adds to every response (Date, Connection, Keep-Alive,
// X-Worker), which the server suites test.
import type {Hono} from 'hono'

import {once} from 'node:events'
import type {AddressInfo} from 'node:net'

import {createLogger} from '../../src/log/logger.js'
import {createMemorySink} from '../../src/log/sink.js'
import {createHttpServer, type HttpServer} from '../../src/server/http-server.js'
import {DEFAULT_TIMEOUTS} from '../../src/server/options.js'
import {FAST_PATH} from './http-server.js'

/** Whether app-level requests go over node:http (the switch-off pass). */
export const OVER_HTTP = !FAST_PATH

const SERVER_HEADERS = ['connection', 'date', 'keep-alive', 'x-worker']
const servers = new Map<Hono, Promise<{server: HttpServer; url: string}>>()

if (OVER_HTTP) {
  // A root hook: once every suite is done, no server is left listening.
  after(async () => {
    await Promise.all([...servers.values()].map(async (s) => (await s).server.close(0)))
    servers.clear()
  })
}

function served(app: Hono) {
  let started = servers.get(app)
  if (started === undefined) {
    started = (async () => {
      const logger = createLogger({color: false, format: 'json', quiet: true}, createMemorySink(), createMemorySink())
      const server = createHttpServer({fetch: app.fetch}, {fastPath: false, logger, timeouts: DEFAULT_TIMEOUTS, workerId: 'app'})
      server.listener.listen(0, '127.0.0.1')
      await once(server.listener, 'listening')
      return {server, url: `http://127.0.0.1:${(server.listener.address() as AddressInfo).port}`}
    })()
    servers.set(app, started)
  }

  return started
}

/** `app.request`, or the same request over node:http in the switch-off pass. */
export function appRequest(app: Hono): (path: string, init?: RequestInit) => Promise<Response> {
  if (!OVER_HTTP) return (path, init) => Promise.resolve(app.request(path, init))
  return async (path, init) => {
    const {url} = await served(app)
    const response = await fetch(`${url}${path}`, {...init, redirect: 'manual'})
    const headers = new Headers(response.headers)
    for (const name of SERVER_HEADERS) headers.delete(name)
    // A null-body status keeps a null body, as app.request gives it.
    const body = [101, 204, 205, 304].includes(response.status) ? null : response.body
    return new Response(body, {headers, status: response.status, statusText: response.statusText})
  }
}

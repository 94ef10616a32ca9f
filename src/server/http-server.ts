// The HTTP adaptor: a node:http server around a fetch handler, adding what every
// webkit server does for each request (the X-Worker header and the access log)
// and a graceful close.
import {getRequestListener} from '@hono/node-server'
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import type {Socket} from 'node:net'
import {performance} from 'node:perf_hooks'

import type {Logger} from '../log/logger.js'
import type {ServerTimeouts} from './options.js'

import {hasSeveralHosts, rejectClient} from './bad-request.js'

export type FetchHandler = (request: Request) => Promise<Response> | Response

export interface HttpServerOptions {
  logger: Logger
  timeouts: ServerTimeouts
  /** Sent as X-Worker on every response. */
  workerId: string
}

const draining = new WeakSet<Server>()

export function createHttpServer(fetch: FetchHandler, options: HttpServerOptions): Server {
  const {logger, timeouts, workerId} = options
  const listener = getRequestListener(fetch)
  const log = logger.accessEnabled

  const server: Server = createServer(
    {
      // Check header/request deadlines every second rather than Node's 30 s, so
      // slow clients are cut close to the deadline.
      connectionsCheckingInterval: 1000,
      headersTimeout: timeouts.headersMs,
      keepAliveTimeout: timeouts.keepAliveMs,
      requestTimeout: timeouts.requestMs,
    },
    (req: IncomingMessage, res: ServerResponse) => {
      res.setHeader('X-Worker', workerId)
      if (draining.has(server)) res.setHeader('Connection', 'close')
      if (log) {
        const start = performance.now()
        res.once('close', () => {
          logger.access({
            bytes: sentBytes(req, res),
            method: req.method ?? '',
            ms: performance.now() - start,
            path: req.url ?? '',
            status: res.statusCode,
            worker: workerId,
          })
        })
      }

      // Which host is meant would be a guess (and one a proxy in front may have guessed differently).
      if (hasSeveralHosts(req)) res.writeHead(400, {Connection: 'close', 'Content-Length': '0'}).end()
      else listener(req, res)
    },
  )
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => rejectClient(error, socket, workerId))
  return server
}

function sentBytes(req: IncomingMessage, res: ServerResponse): number {
  if (req.method === 'HEAD' || !res.writableFinished) return 0
  return Number(res.getHeader('content-length') ?? 0)
}

/**
 * Stops accepting, lets in-flight requests finish and closes idle keep-alive
 * connections; after `timeoutMs` the rest are cut. Resolves when all are gone.
 */
export function closeGracefully(server: Server, timeoutMs: number): Promise<{forced: boolean}> {
  draining.add(server)
  return new Promise((resolve) => {
    let forced = false
    const deadline = setTimeout(() => {
      forced = true
      server.closeAllConnections()
    }, timeoutMs)
    // Connections that finish their last response become idle: close them promptly.
    const sweep = setInterval(() => server.closeIdleConnections(), 50)
    server.close(() => {
      clearTimeout(deadline)
      clearInterval(sweep)
      resolve({forced})
    })
    server.closeIdleConnections()
  })
}

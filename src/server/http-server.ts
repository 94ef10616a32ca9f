// The HTTP server: node-server's listener around an app's fetch handler on a
// node:http server, with the connection fast path in front of it. node:http
// never listens itself: every connection, accepted here or handed over by a
// pool's primary, comes in through accept(), and reaches node:http through its
// documented 'connection' event (at once, or when the fast path hands it over).
// What every response carries is decorate.ts's; what to answer before the app
// runs, answers.ts's; the graceful close, drain.ts's.
import {getRequestListener} from '@hono/node-server'
import {createServer, type IncomingMessage, type ServerResponse} from 'node:http'
import {createServer as createNetServer, type Server as NetServer, type Socket} from 'node:net'

// Made before node-server's listener replaces the global Response: only a native Response reaches node-server's already-sent branch.
import '../http/node-env.js'

import type {Shortcut} from '../apps/served-app.js'
import type {Logger} from '../log/logger.js'
import type {ServerTimeouts} from './options.js'

import {createAnswers} from './answers.js'
import {createRejecter, requestTimeout} from './bad-request.js'
import {Decorator, identityHeaders, logSent} from './decorate.js'
import {drain} from './drain.js'
import {attachFastPath} from './fast-path/index.js'
import {InFlight} from './in-flight.js'
import {closeThisLingering, isLingering} from './lingering-close.js'
import {answerHalfClosedConnections, onLastResponse, startDeadlineChecks, stopParsing} from './node-internals.js'

export type FetchHandler = (request: Request) => Promise<Response> | Response

/** What the server runs: a fetch handler, and the answers it can give without running. */
export interface AppHandlers {
  fetch: FetchHandler
  /** Answers sent without running the app (see src/apps/served-app.ts). */
  shortcut?: Shortcut
}

export interface HttpServerOptions {
  /** The fast path and the shortcuts; off, every request goes through node:http and the app. */
  fastPath: boolean
  logger: Logger
  timeouts: ServerTimeouts
  /** Sent as X-Instance on every response, when given. */
  instance?: string
  /** Sent as X-Worker on every response. */
  workerId: string
}

export interface HttpServer {
  /** Serves a connection: one `listener` accepted, or one a pool's primary handed over. */
  accept(socket: Socket): void
  /**
   * Stops accepting, lets in-flight requests finish and closes idle keep-alive
   * connections; after `timeoutMs` the rest are cut. Resolves when all are gone.
   */
  close(timeoutMs: number): Promise<{forced: boolean}>
  /** A listening socket's server for this server alone (a process serving without a pool); never listening unless told to. */
  listener: NetServer
}

/**
 * The authority of an HTTP/1.0 request that names none: RFC 9112 §3.2 requires
 * Host of HTTP/1.1 requests only (node:http refuses those without), and §3.3
 * lets a server use a default for the others. No app here looks at it. (An
 * HTTP/0.9 request line, which node:http reads too, is still refused: its
 * client could not read an HTTP/1.1 answer.)
 */
const DEFAULT_AUTHORITY = 'localhost'

export function createHttpServer(handlers: AppHandlers, options: HttpServerOptions): HttpServer {
  const {instance, logger, timeouts, workerId} = options
  let draining = false
  const decorator = new Decorator({draining: () => draining, instance, logger, workerId}, timeouts.keepAliveMs)
  const answers = createAnswers(options.fastPath ? handlers.shortcut : undefined)
  const inFlight = new InFlight()
  const reject = createRejecter(identityHeaders({instance, workerId}), inFlight)
  const listener = getRequestListener(handlers.fetch)
  const withoutHost = getRequestListener(handlers.fetch, {hostname: DEFAULT_AUTHORITY})

  const node = createServer(
    {
      // Check header/request deadlines every second rather than Node's 30 s, so
      // slow clients are cut close to the deadline.
      connectionsCheckingInterval: 1000,
      headersTimeout: timeouts.headersMs,
      keepAliveTimeout: timeouts.keepAliveMs,
      requestTimeout: timeouts.requestMs,
      ServerResponse: decorator.responseClass({
        headRead(socket, response) {
          // A head parsed after the last answer (node:http resumed its parser): none more.
          if (isLingering(socket)) stopParsing(socket)
          fastPath?.headRead(socket)
          inFlight.add(socket, response)
        },
      }),
    },
    (req: IncomingMessage, res: ServerResponse) => {
      // The rest of a head that came after its 408 (the client had not read it yet): the connection is over.
      if (req.socket.writableEnded) return
      const prepared = answers(req)
      if (prepared !== undefined) {
        const ready = decorator.readyResponse(prepared)
        res.writeHead(ready.status, ready.headers).end(req.method === 'HEAD' ? undefined : ready.body)
      } else if (req.httpVersion === '1.0' && req.headers.host === undefined) withoutHost(req, res)
      else listener(req, res)
    },
  )
  node.on('clientError', reject)
  startDeadlineChecks(node)
  answerHalfClosedConnections(node)

  const fastPath = options.fastPath
    ? attachFastPath(node, {
        // While draining, node:http answers, saying Connection: close.
        answer: (request) => {
          if (draining) return undefined
          const prepared = answers(request)
          return prepared && decorator.readyResponse(prepared)
        },
        sent: logger.accessEnabled
          ? (request, answer, bytes, start) => logSent(logger, workerId, request.method, request.url, answer.status, bytes, start)
          : undefined,
        timedOut: (socket) => reject(requestTimeout(), socket),
        timeouts,
      })
    : undefined

  /** Each open connection, however it arrived. */
  const open = new Set<Socket>()
  const accept = (socket: Socket) => {
    open.add(socket)
    socket.once('close', () => open.delete(socket))
    // A connection handed over by a pool's primary arrives made by child_process, which does not allow
    // half-open ones: at the client's FIN it would end its side, answers still being made lost with it.
    socket.allowHalfOpen = true
    onLastResponse(socket, closeThisLingering)
    if (fastPath) fastPath.accept(socket)
    else node.emit('connection', socket)
  }

  // As node:http's own listening socket would be: half-open connections allowed, no Nagle delay.
  const netServer = createNetServer({allowHalfOpen: true, noDelay: true}, accept)

  const close = async (timeoutMs: number): Promise<{forced: boolean}> => {
    draining = true
    if (netServer.listening) netServer.close()
    const outcome = await drain(open, (socket) => inFlight.busy(socket), timeoutMs)
    // Stops node:http's deadline checks; it has no connection left to close.
    node.close()
    return outcome
  }

  return {accept, close, listener: netServer}
}

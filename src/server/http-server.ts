// The HTTP adaptor: a node:http server around a fetch handler, adding what every
// webkit server does for each request (the X-Worker header and the access log)
// and a graceful close.
import {getRequestListener} from '@hono/node-server'
import {
  createServer,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http'
import {Server as NetServer, type Socket} from 'node:net'
import {performance} from 'node:perf_hooks'

import type {PreparedResponse} from '../http/prepared.js'
import type {SimpleRequest} from '../http/request-head.js'
import type {RequestHead, Shortcut} from '../apps/served-app.js'
import type {Logger} from '../log/logger.js'
import type {ServerTimeouts} from './options.js'

import {datedResponse} from '../http/raw-response.js'
import {classifyHost, rejectClient} from './bad-request.js'
import {type Answer, handedToKernel, serveFast} from './fast-path.js'
import {FirstHeadDeadlines} from './first-head.js'

export type FetchHandler = (request: Request) => Promise<Response> | Response

export interface HttpServerOptions {
  logger: Logger
  /** Answers sent without running the app (see src/apps/served-app.ts). */
  shortcut?: Shortcut
  timeouts: ServerTimeouts
  /** Sent as X-Worker on every response. */
  workerId: string
}

/** A prepared response as this server sends it: X-Worker added, the body as a Buffer, and as raw bytes for the fast path. */
interface Outgoing extends Answer {
  body: Buffer
  headers: OutgoingHttpHeaders
}

const draining = new WeakSet<Server>()
/** Each server's open connections, however they arrived: accepted, or handed over by a pool's primary. */
const connections = new WeakMap<Server, Set<Socket>>()
const fedServers = new WeakSet<Server>()

/**
 * A node:http server for `fetch`. Requests answered on the fast path never
 * become node:http requests: they raise no 'request' event, and their
 * connections are unknown to server.closeIdleConnections() and
 * closeAllConnections(). Stop it with closeGracefully(), which knows them all.
 */
export function createHttpServer(fetch: FetchHandler, options: HttpServerOptions): Server {
  const {logger, shortcut, timeouts, workerId} = options
  const listener = getRequestListener(fetch)
  const log = logger.accessEnabled
  // Once per prepared response, not per request: with every header given to
  // writeHead at once, Node writes them without merging.
  const outgoing = new WeakMap<PreparedResponse, Outgoing>()
  const outgoingOf = (prepared: PreparedResponse) => {
    let out = outgoing.get(prepared)
    if (out === undefined) {
      const {body, status} = prepared
      const buffer = Buffer.from(body.buffer, body.byteOffset, body.byteLength)
      const headers = {...prepared.headers, 'X-Worker': workerId}
      const raw = datedResponse(status, headers, buffer, timeouts.keepAliveMs)
      out = {body: buffer, bodyBytes: buffer.byteLength, headers, raw, status}
      outgoing.set(prepared, out)
    }

    return out
  }

  /** A shortcut's answer, or undefined for node:http (which also says Connection: close while draining). */
  const answer = (request: SimpleRequest): Answer | undefined => {
    const prepared = draining.has(server) ? undefined : shortcut?.(request)
    return prepared && outgoingOf(prepared)
  }

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
      const start = log ? performance.now() : 0
      firstHeads.complete(req.socket)
      // The rest of a head that came after its 408 (the client had not read it yet): the connection is over.
      if (req.socket.writableEnded) return
      const host = classifyHost(req)
      // A shortcut answers only requests the app's adaptor would take as they are.
      const prepared = host === 'simple' ? shortcut?.(req) : undefined
      if (draining.has(server)) res.setHeader('Connection', 'close')
      if (prepared !== undefined) {
        const out = outgoingOf(prepared)
        const head = req.method === 'HEAD'
        res.writeHead(prepared.status, out.headers)
        res.end(head ? undefined : out.body)
        if (!log) return
        // Usually the kernel took every byte within end(): log now rather than
        // listen for the response's end, which costs more than the line itself.
        if (res.writableLength === 0 && res.socket && handedToKernel(res.socket)) logSent(logger, workerId, req, res.statusCode, head ? 0 : out.body.byteLength, start)
        else logWhenDone(logger, workerId, req, res, start, () => out.body.byteLength)
        return
      }

      if (log) logWhenDone(logger, workerId, req, res, start)
      res.setHeader('X-Worker', workerId)
      // Which host is meant would be a guess (and one a proxy in front may have guessed differently).
      if (host === 'several') res.writeHead(400, {Connection: 'close', 'Content-Length': '0'}).end()
      else listener(req, res)
    },
  )
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => rejectClient(error, socket, workerId))
  const open = new Set<Socket>()
  connections.set(server, open)
  // node:http's own connection listener, called for the connections the fast path hands over.
  const [nodeConnection, ...others] = server.listeners('connection') as ((socket: Socket) => void)[]
  if (nodeConnection === undefined || others.length > 0) throw new Error('node:http no longer sets up connections as expected')
  server.removeListener('connection', nodeConnection)
  const timedOut = (socket: Socket) => {
    // Through the event node:http raises for its own timed-out connections, so both are answered alike.
    server.emit('clientError', Object.assign(new Error('request timeout'), {code: 'ERR_HTTP_REQUEST_TIMEOUT'}), socket)
  }

  const firstHeads = new FirstHeadDeadlines(timedOut)
  const hooks = {
    answer,
    handOver(socket: Socket, unread: Buffer, headersDeadline: number | undefined) {
      nodeConnection.call(server, socket)
      if (headersDeadline !== undefined) firstHeads.arm(socket, headersDeadline)
      // Its parser reads this connection from now on; these bytes came before.
      if (unread.byteLength > 0) socket.emit('data', unread)
    },
    headersTimedOut: timedOut,
    headersMs: timeouts.headersMs,
    keepAliveMs: timeouts.keepAliveMs,
    sent: log
      ? (request: SimpleRequest, answer: Answer, bytes: number, start: number) => logSent(logger, workerId, request, answer.status, bytes, start)
      : undefined,
  }
  server.on('connection', (socket: Socket) => {
    open.add(socket)
    socket.once('close', () => open.delete(socket))
    serveFast(socket, hooks)
  })
  return server
}

/** One access-log line once the response is over, sent in full or cut short. */
function logWhenDone(
  logger: Logger,
  worker: string,
  req: IncomingMessage,
  res: ServerResponse,
  start: number,
  // Headers given all at once to writeHead are not kept on the response to read back, so a
  // prepared response says its length; the app's responses went through setHeader and are kept.
  length = () => Number(res.getHeader('content-length') ?? 0),
): void {
  res.once('close', () => {
    // 'finish' comes even after a failed write; the socket remembers the failure.
    const sent = req.method !== 'HEAD' && res.writableFinished && !req.socket.errored
    logSent(logger, worker, req, res.statusCode, sent ? length() : 0, start)
  })
}

function logSent(logger: Logger, worker: string, request: Pick<RequestHead, 'method' | 'url'>, status: number, bytes: number, start: number): void {
  logger.access({bytes, method: request.method ?? '', ms: performance.now() - start, path: request.url ?? '', status, worker})
}

/** Serves a connection accepted by another process (a pool's primary); such a server never listens itself. */
export function acceptConnection(server: Server, socket: Socket): void {
  if (!fedServers.has(server)) {
    fedServers.add(server)
    // Node starts checking the header and request deadlines on 'listening', which this server never emits by itself.
    server.emit('listening')
  }

  server.emit('connection', socket)
}

/**
 * Stops accepting, lets in-flight requests finish and closes idle keep-alive
 * connections; after `timeoutMs` the rest are cut. Resolves when all are gone.
 */
export function closeGracefully(server: Server, timeoutMs: number): Promise<{forced: boolean}> {
  draining.add(server)
  const open = connections.get(server) ?? new Set<Socket>()
  return new Promise((resolve) => {
    let forced = false
    let listenerClosed = false
    const finish = () => {
      if (!listenerClosed || open.size > 0) return
      clearTimeout(deadline)
      clearInterval(sweep)
      resolve({forced})
    }

    const deadline = setTimeout(() => {
      forced = true
      server.closeAllConnections()
      for (const socket of open) socket.destroy()
    }, timeoutMs)
    const sweep = setInterval(() => {
      endIdleConnections(open)
      finish()
    }, 50)
    // net's close, not http's: http's also runs closeIdleConnections(), which destroys a connection
    // whose response has ended but is not yet flushed, cutting the end of the body. Called once the
    // server is closed: after its own accepted connections, at once if it never listened.
    NetServer.prototype.close.call(server, () => {
      listenerClosed = true
      finish()
    })
    endIdleConnections(open)
  })
}

/**
 * Ends connections between requests. end(), not destroy(): it sends what is
 * still buffered before the FIN. Responses begun while draining say
 * Connection: close, and Node ends those connections itself once they are sent.
 */
function endIdleConnections(open: Set<Socket>): void {
  for (const socket of open) {
    if (!socket.writableEnded && !(socket as Socket & {_httpMessage?: unknown})._httpMessage) socket.end()
  }
}

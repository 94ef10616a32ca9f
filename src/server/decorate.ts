// What every response of a webkit server carries, whatever path it took (the
// fast path, a prepared answer on node:http, or the app): its header fields in
// one form, X-Worker, Connection: close while the server drains, and one
// access-log line. The fast path sends answers decorated here once; every
// response node:http sends is decorated as it is written, by the response
// class node:http is given (ServerOptions.ServerResponse).
import type {Socket} from 'node:net'

import {type IncomingMessage, type OutgoingHttpHeader, type OutgoingHttpHeaders, ServerResponse} from 'node:http'
import {performance} from 'node:perf_hooks'

import type {PreparedResponse} from '../http/prepared.js'
import type {Logger} from '../log/logger.js'

import {ReadyResponse} from './ready-response.js'

export interface Decoration {
  /** Whether the server is draining: responses then say Connection: close. */
  draining(): boolean
  /** Sent as X-Instance on every response, when given. */
  instance?: string
  logger: Logger
  /** Sent as X-Worker on every response. */
  workerId: string
}

/** The fields that say which server answered. */
export function identityHeaders(decoration: Pick<Decoration, 'instance' | 'workerId'>): OutgoingHttpHeaders {
  return decoration.instance === undefined ? {'X-Worker': decoration.workerId} : {'X-Instance': decoration.instance, 'X-Worker': decoration.workerId}
}

/** Names whose usual spelling is not each word capitalised. */
const SPELLINGS = new Map([
  ['etag', 'ETag'],
  ['www-authenticate', 'WWW-Authenticate'],
])
const spelled = new Map<string, string>()

/** A field name as every response spells it: `content-type` and `CONTENT-TYPE` are `Content-Type`. */
export function spellName(name: string): string {
  let spelling = spelled.get(name)
  if (spelling === undefined) {
    const lower = name.toLowerCase()
    spelling = SPELLINGS.get(lower) ?? lower.replaceAll(/(^|-)([a-z])/g, (_, dash: string, letter: string) => dash + letter.toUpperCase())
    if (spelled.size >= 1024) spelled.clear()
    spelled.set(name, spelling)
  }

  return spelling
}

/**
 * Header fields in the one form every response has: names spelt as above, in
 * order of name. A fetch Response keeps its names lower-case and sorted (Hono
 * answers HEAD with one), an app's prepared headers keep the case and order it
 * wrote: the same answer must not read differently by the path it took. A
 * name given twice in different cases keeps the last value.
 */
export function headerForm(headers: Readonly<OutgoingHttpHeaders>, extra?: Readonly<OutgoingHttpHeaders>): OutgoingHttpHeaders {
  const all: OutgoingHttpHeaders = {}
  for (const name in headers) all[spellName(name)] = headers[name]
  if (extra) for (const name in extra) all[spellName(name)] = extra[name]
  const names = Object.keys(all).sort((a, b) => {
    const x = a.toLowerCase()
    const y = b.toLowerCase()
    return x < y ? -1 : x > y ? 1 : 0
  })
  const sorted: OutgoingHttpHeaders = {}
  for (const name of names) sorted[name] = all[name]
  return sorted
}

/** One access-log line. */
export function logSent(logger: Logger, worker: string, method: string | undefined, url: string | undefined, status: number, bytes: number, start: number): void {
  logger.access({bytes, method: method ?? '', ms: performance.now() - start, path: url ?? '', status, worker})
}

/** What the response class tells the server. */
export interface ResponseHooks {
  /** node:http has read a request head on `socket` and made `response` for it. */
  headRead(socket: Socket, response: ServerResponse): void
}

type HeaderArgument = OutgoingHttpHeader[] | OutgoingHttpHeaders | undefined

/** One server's decoration: its prepared answers as it sends them, and the class of its node:http responses. */
export class Decorator {
  private readonly closing: Readonly<OutgoingHttpHeaders>
  // Frozen header objects (every prepared answer's, the image's per version) are put in form once.
  private readonly formed = new WeakMap<object, OutgoingHttpHeaders>()
  private readonly formedClosing = new WeakMap<object, OutgoingHttpHeaders>()
  private readonly ready = new WeakMap<PreparedResponse, ReadyResponse>()
  private readonly worker: Readonly<OutgoingHttpHeaders>

  constructor(
    private readonly decoration: Decoration,
    private readonly keepAliveMs: number,
  ) {
    this.worker = Object.freeze(identityHeaders(decoration))
    this.closing = Object.freeze({Connection: 'close', ...identityHeaders(decoration)})
  }

  /** `headers` as a response of this server sends them. */
  form(headers: Readonly<OutgoingHttpHeaders>, draining: boolean): OutgoingHttpHeaders {
    const extra = draining ? this.closing : this.worker
    if (!Object.isFrozen(headers)) return headerForm(headers, extra)
    const cache = draining ? this.formedClosing : this.formed
    let out = cache.get(headers)
    if (out === undefined) {
      out = Object.freeze(headerForm(headers, extra))
      cache.set(headers, out)
      // Already in form: given again (a ready response's headers), it is sent as it is.
      if (!draining) this.formed.set(out, out)
    }

    return out
  }

  /** A prepared response as this server sends it, made once; while draining, node:http sends it with Connection: close added. */
  readyResponse(prepared: PreparedResponse): ReadyResponse {
    let out = this.ready.get(prepared)
    if (out === undefined) {
      const {body, status} = prepared
      const buffer = Buffer.from(body.buffer, body.byteOffset, body.byteLength)
      out = new ReadyResponse(status, this.form(prepared.headers, false), buffer, this.keepAliveMs)
      this.ready.set(prepared, out)
    }

    return out
  }

  /**
   * The ServerResponse class node:http makes every response with (its documented
   * ServerOptions.ServerResponse), decorating each as its head is written.
   */
  responseClass(hooks: ResponseHooks): typeof ServerResponse<IncomingMessage> {
    const {decoration} = this
    const form = (headers: OutgoingHttpHeaders, closes: boolean) => this.form(headers, closes)
    const {logger, workerId} = decoration
    const log = logger.accessEnabled

    class DecoratedResponse extends ServerResponse {
      private bodyBytes = 0
      /** Read while the server drains: the answer says Connection: close. Those read before are answered as usual. */
      private readonly closes = decoration.draining()
      private continueQueued = false
      private readonly start: number

      // node:http passes options (its highWaterMark) besides the request; they go on as they came.
      constructor(...args: ConstructorParameters<typeof ServerResponse>) {
        super(...args)
        this.start = log ? performance.now() : 0
        hooks.headRead(this.req.socket, this)
        if (log) this.once('close', this.logLine)
      }

      /**
       * node:http sends a 100 Continue at once, but for a response queued behind
       * another on the connection it holds it, and when that response's body is
       * ended as a Buffer, it puts the head before what it holds: the 100 would
       * land between the final response's head and its body (Node 20). RFC 9110
       * §15.2.1: an interim response comes before the final one. Such a head is
       * sent on its own (flushHeaders), so it queues after the 100.
       */
      override writeContinue(callback?: () => void): void {
        if (this.socket === null) this.continueQueued = true
        super.writeContinue(callback)
      }

      override writeHead(status: number, reason?: HeaderArgument | string, headers?: HeaderArgument): this {
        const message = typeof reason === 'string' ? reason : undefined
        const out = form(this.takeHeaders(typeof reason === 'string' ? headers : reason), this.closes)
        this.bodyBytes = Number(out['Content-Length'] ?? 0)
        super.writeHead(status, message, out)
        if (this.continueQueued) this.flushHeaders()
        return this
      }

      private readonly logLine = () => {
        // A request the server never answered (its connection was over first) has nothing to log.
        if (!this.headersSent) return
        const {method, url} = this.req
        // 'finish' comes even after a failed write; the socket remembers the failure.
        const sent = method !== 'HEAD' && this.writableFinished && !this.req.socket.errored
        logSent(logger, workerId, method, url, this.statusCode, sent ? this.bodyBytes : 0, this.start)
      }

      /** The headers given, with any set one by one (setHeader) before, as one object. */
      private takeHeaders(given: HeaderArgument): OutgoingHttpHeaders {
        let headers: OutgoingHttpHeaders
        if (Array.isArray(given)) {
          headers = {}
          for (let i = 0; i + 1 < given.length; i += 2) headers[String(given[i])] = given[i + 1]
        } else headers = given ?? {}
        const set = this.getHeaderNames()
        if (set.length === 0) return headers
        const merged: OutgoingHttpHeaders = {}
        for (const name of set) {
          merged[name] = this.getHeader(name)
          this.removeHeader(name)
        }

        return {...merged, ...headers}
      }
    }

    return DecoratedResponse as typeof ServerResponse<IncomingMessage>
  }
}

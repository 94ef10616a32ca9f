// One keep-alive client connection: at most one request in flight, replayed from
// pre-serialized bytes; reconnects on demand after the server closes. It knows
// nothing of statistics: outcomes go to its owner.
//
// A read is framed whole before the owner may send again, so bytes that follow
// a response in the same read came before the next request existed: they are
// an answer nobody asked for, and so is anything arriving while no request is
// out. Either way the connection is out of step and is dropped.
import {connect, type Socket} from 'node:net'

import {ParseError, ResponseFramer} from './framer.js'
import {type CompiledExpectation, ResponseCheck} from './response-check.js'

/** A request ready to send: its bytes and what its response must be. */
export interface PreparedRequest {
  bytes: Buffer
  expect: CompiledExpectation | undefined
  head: boolean
  /** "GET /path", for messages. */
  label: string
  /** The status its Expectation demands; -1: judged by the plan's status set. */
  status: number
}

export interface ConnectionOwner {
  /** Raw bytes received, for throughput. */
  onBytes(count: number): void
  onFailure(connection: Connection, kind: string): void
  /** The response to the request in flight is complete: `framer` and `check` hold what it was. */
  onResponse(connection: Connection): void
  /** Bytes arrived while no request was in flight; the socket is already dropped. */
  onUnsolicited(connection: Connection): void
}

/** Node error codes, by the name a report gives them. */
const ERROR_KINDS: Record<string, string> = {
  ECONNREFUSED: 'refused',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  ETIMEDOUT: 'timeout',
}

export function errorKind(error: NodeJS.ErrnoException): string {
  return (error.code && ERROR_KINDS[error.code]) ?? error.code?.toLowerCase() ?? 'other'
}

export class Connection {
  /** When the last response completed, performance.now() ms. */
  answeredAt = 0
  busy = false
  /** A response has completed and is not counted yet (the owner counts it before the next send). */
  held = false
  /** When the request in flight was meant to go (rate mode) or went (closed loop), performance.now() ms. */
  intendedAt = 0
  /** Whether the request in flight counts in the statistics (sent after the warm-up). */
  measured = false
  request: PreparedRequest | undefined
  /** performance.now() ms before which a connection that could not connect should not retry. */
  retryAt = 0
  sentAt = 0
  /** Whether the current socket has delivered a response yet (connections are counted per worker once). */
  socketServed = false
  /** Position in the target's request list: each connection cycles through it. */
  cursor: number

  readonly framer: ResponseFramer
  readonly check = new ResponseCheck()
  private socket: Socket | undefined
  /** Whether the current socket has received any bytes: a failure before that is a failure to connect. */
  private received = false
  /** Whether the peer ended the current socket with a FIN. */
  private ended = false
  private error: string | undefined

  constructor(
    readonly index: number,
    readonly target: number,
    private readonly host: string,
    private readonly port: number,
    private readonly readBuffer: Buffer,
    private readonly owner: ConnectionOwner,
  ) {
    this.cursor = index
    this.framer = new ResponseFramer(this.check)
  }

  send(request: PreparedRequest, intendedAt: number, sentAt: number, measured: boolean): void {
    this.request = request
    this.busy = true
    this.intendedAt = intendedAt
    this.sentAt = sentAt
    this.measured = measured
    this.check.begin(request.expect, request.head)
    this.framer.expect(request.head)
    ;(this.socket ?? this.open()).write(request.bytes)
  }

  /** Ends the request in flight as failed and drops the socket. */
  fail(kind: string): void {
    this.drop()
    if (this.busy) {
      this.busy = false
      this.owner.onFailure(this, kind)
    }
  }

  /** Closes the socket (the next send reconnects). */
  drop(): void {
    const socket = this.socket
    if (!socket) return
    this.socket = undefined
    socket.destroy()
  }

  /** Whether the last failure happened before the server sent anything on the socket. */
  get connectFailed(): boolean {
    return !this.received
  }

  private open(): Socket {
    const socket: Socket = connect({
      host: this.host,
      noDelay: true,
      // Read straight into one shared buffer: no allocation per read, no stream machinery.
      onread: {buffer: this.readBuffer, callback: (n: number, buf: Uint8Array): boolean => this.onRead(socket, n, buf as Buffer)},
      port: this.port,
    })
    this.socket = socket
    this.received = false
    this.ended = false
    this.error = undefined
    this.socketServed = false
    this.framer.reset()
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (socket === this.socket) this.error = errorKind(error)
    })
    socket.on('end', () => {
      if (socket === this.socket) this.ended = true
    })
    socket.on('close', () => this.onClose(socket))
    return socket
  }

  private onRead(socket: Socket, n: number, buf: Buffer): boolean {
    if (socket !== this.socket) return false
    this.received = true
    this.owner.onBytes(n)
    if (!this.busy) {
      this.drop()
      this.owner.onUnsolicited(this)
      return false
    }

    let done: number
    try {
      done = this.framer.execute(buf, 0, n)
    } catch (error) {
      if (!(error instanceof ParseError)) throw error
      this.fail('parse-error')
      return false
    }

    if (done < 0) return true
    // After a 101 the rest is another protocol, and the connection is dropped anyway.
    if (done < n && !this.framer.upgraded) {
      this.fail('unsolicited')
      return false
    }

    this.answered()
    return socket === this.socket
  }

  private answered(): void {
    this.check.finish()
    this.busy = false
    this.owner.onResponse(this)
  }

  private onClose(socket: Socket): void {
    if (socket !== this.socket) return
    this.socket = undefined
    if (!this.busy) return
    // A body delimited by the close is complete only if the peer sent a FIN (RFC 9112 §8).
    const state = this.framer.end(this.ended)
    if (state === 'complete') return this.answered()
    this.busy = false
    this.owner.onFailure(this, state === 'truncated' ? 'truncated' : (this.error ?? 'closed'))
  }
}

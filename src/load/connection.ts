// One keep-alive client connection: at most one request in flight, replayed from
// pre-serialized bytes; reconnects on demand after the server closes. It knows
// nothing of statistics: outcomes go to its owner.
import {connect, type Socket} from 'node:net'

import {type CompiledExpectation, ParseError, ResponseFramer} from './framer.js'

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
  onResponse(connection: Connection, framer: ResponseFramer): void
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
  busy = false
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
  private socket: Socket | undefined
  /** Whether the current socket has received any bytes: a failure before that is a failure to connect. */
  private received = false
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
    this.framer = new ResponseFramer((framer) => this.owner.onResponse(this, framer))
  }

  send(request: PreparedRequest, intendedAt: number, sentAt: number, measured: boolean): void {
    this.request = request
    this.busy = true
    this.intendedAt = intendedAt
    this.sentAt = sentAt
    this.measured = measured
    this.framer.expect = request.expect
    this.framer.headRequest = request.head
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
    this.error = undefined
    this.socketServed = false
    this.framer.reset()
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (socket === this.socket) this.error = errorKind(error)
    })
    socket.on('close', () => this.onClose(socket))
    return socket
  }

  private onRead(socket: Socket, n: number, buf: Buffer): boolean {
    if (socket !== this.socket) return false
    this.received = true
    this.owner.onBytes(n)
    try {
      this.framer.execute(buf, 0, n)
    } catch (error) {
      if (!(error instanceof ParseError)) throw error
      this.fail('parse-error')
      return false
    }

    return socket === this.socket
  }

  private onClose(socket: Socket): void {
    if (socket !== this.socket) return
    this.socket = undefined
    // A body delimited by the close completes here, and goes to the owner like any response.
    const state = this.framer.end()
    if (state === 'complete' || !this.busy) return
    this.busy = false
    this.owner.onFailure(this, this.error ?? (state === 'truncated' ? 'truncated' : 'closed'))
  }
}

// What a server is asked to do, resolved once by the caller (CLI or library)
// and passed unchanged to every worker.
import type {LogOptions} from '../log/logger.js'

export interface ServerTimeouts {
  /** Time allowed to receive a request's headers: the slowloris guard. */
  headersMs: number
  /** Idle time before a keep-alive connection is closed. */
  keepAliveMs: number
  /** Time allowed to receive a whole request. */
  requestMs: number
}

export interface ServerOptions {
  backlog: number
  /**
   * The connection fast path and the apps' shortcuts (default on). Off, every
   * request goes through node:http and the Hono app alone: the same answers, slower.
   */
  fastPath?: boolean
  host: string
  /**
   * Sent as X-Instance on every response, beside X-Worker, so that through a
   * balancer every server and each of its workers can be told apart; absent:
   * no X-Instance (the CLI's default is the host name).
   */
  instance?: string
  log: LogOptions
  /** 0 picks a free port. */
  port: number
  /** How long in-flight requests may run after a shutdown signal. */
  shutdownTimeoutMs: number
  timeouts: ServerTimeouts
  /** 1 serves from this process; more runs a node:cluster pool. */
  workers: number
}

export const DEFAULT_TIMEOUTS: Readonly<ServerTimeouts> = Object.freeze({
  headersMs: 10_000,
  keepAliveMs: 5000,
  requestMs: 30_000,
})

export const DEFAULT_BACKLOG = 100
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000

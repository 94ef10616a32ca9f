// The one entry point for running any webkit server: options in, a running
// server out ({url, close}), on a worker pool or in this process.
import type {AppSpec} from '../apps/registry.js'
import type {Logger} from '../log/logger.js'
import type {ServerOptions} from './options.js'

import {checkApp} from '../apps/spec.js'
import {listen} from './listen.js'
import {startPool} from './pool.js'
import {connectUrl} from './urls.js'

export interface RunningServer {
  /** Stops gracefully; resolves once nothing of the server is left running. */
  close(): Promise<void>
  /** Settles when the server has stopped: resolves after close(), rejects if the pool gave up. */
  done: Promise<void>
  /** Whether the fast path and the shortcuts are on (ServerOptions.fastPath). */
  fastPath: boolean
  host: string
  /** Process ids serving requests: the workers, or this process. */
  pids(): number[]
  /** The bound port, resolved when 0 was asked for. */
  port: number
  /** A URL that reaches the server from this machine. */
  url: string
  workers: number
}

export async function runServer(spec: AppSpec, options: ServerOptions, logger: Logger): Promise<RunningServer> {
  await checkApp(spec)
  if (options.workers > 1) return startPool(spec, options, logger)

  // Loaded here, not at the top: a pool's primary never serves, so it stays small.
  const {createInstance} = await import('./instance.js')
  const instance = createInstance(spec, options, '1', logger)
  const address = await listen(instance.listener, options)
  let settle!: () => void
  const done = new Promise<void>((resolve) => {
    settle = resolve
  })
  return {
    async close() {
      const {forced} = await instance.stop()
      if (forced) logger.warn('cut connections still open at the shutdown timeout')
      logger.flush()
      settle()
    },
    done,
    fastPath: options.fastPath ?? true,
    host: options.host,
    pids: () => [process.pid],
    port: address.port,
    url: connectUrl(options.host, address.port),
    workers: 1,
  }
}

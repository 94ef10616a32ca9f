// One app served from the current process: what a pool worker runs (fed the
// connections its primary accepts), and what `--workers 1` runs on its own
// listening socket.
import type {Server as NetServer, Socket} from 'node:net'

import type {Logger} from '../log/logger.js'
import type {ServerOptions} from './options.js'

import {type AppSpec, createApp} from '../apps/registry.js'
import {createHttpServer} from './http-server.js'

export interface Instance {
  /** Serves a connection accepted by a pool's primary. */
  accept(socket: Socket): void
  /** Listens for this instance alone, when there is no pool. */
  listener: NetServer
  /** Graceful stop bounded by the shutdown timeout. */
  stop(): Promise<{forced: boolean}>
}

export function createInstance(spec: AppSpec, options: ServerOptions, workerId: string, logger: Logger): Instance {
  const {app, shortcut} = createApp(spec, {warn: (message) => logger.warn(message, {worker: workerId})})
  const server = createHttpServer(
    {fetch: app.fetch, shortcut},
    {fastPath: options.fastPath ?? true, instance: options.instance, logger, timeouts: options.timeouts, workerId},
  )
  let stopping: Promise<{forced: boolean}> | undefined
  return {
    accept: server.accept,
    listener: server.listener,
    stop: () => {
      stopping ??= server.close(options.shutdownTimeoutMs)
      return stopping
    },
  }
}

// One app served from the current process: what a pool worker runs, and what
// `--workers 1` runs without a pool.
import type {Server} from 'node:http'
import type {AddressInfo} from 'node:net'

import type {Logger} from '../log/logger.js'
import type {ServerOptions} from './options.js'

import {type AppSpec, createApp} from '../apps/registry.js'
import {closeGracefully, createHttpServer} from './http-server.js'
import {listen} from './listen.js'

export interface Instance {
  address: AddressInfo
  server: Server
  /** Graceful stop bounded by the shutdown timeout. */
  stop(): Promise<{forced: boolean}>
}

export async function startInstance(
  spec: AppSpec,
  options: ServerOptions,
  workerId: string,
  logger: Logger,
): Promise<Instance> {
  const app = createApp(spec, {warn: (message) => logger.warn(message, {worker: workerId})})
  const server = createHttpServer(app.fetch, {logger, timeouts: options.timeouts, workerId})
  const address = await listen(server, options)
  let stopping: Promise<{forced: boolean}> | undefined
  return {
    address,
    server,
    stop: () => {
      stopping ??= closeGracefully(server, options.shutdownTimeoutMs)
      return stopping
    },
  }
}

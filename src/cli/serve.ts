// Runs a server in the foreground for a `serve` command: start, announce, stop on
// a signal. Returns when the server has stopped.
import type {AppSpec} from '../apps/registry.js'
import type {ServerOptions} from '../server/options.js'

import {createLogger} from '../log/logger.js'
import {announce} from '../server/banner.js'
import {runServer} from '../server/run.js'
import {stopOnSignals} from '../server/signals.js'

export async function serveForeground(name: string, spec: AppSpec, options: ServerOptions): Promise<void> {
  const logger = createLogger(options.log)
  const running = await runServer(spec, options, logger)
  announce(name, running, options.backlog, logger)
  const removeHandlers = stopOnSignals(running, logger, options.shutdownTimeoutMs)
  try {
    await running.done
    logger.info('stopped')
  } finally {
    removeHandlers()
    logger.flush()
  }
}

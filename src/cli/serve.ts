// Runs a server in the foreground for a `serve` command: start, announce, stop on
// a signal. Returns when the server has stopped.
import type {AppSpec} from '../apps/registry.js'
import type {ServerOptions} from '../server/options.js'

import {createLogger} from '../log/logger.js'
import {announce} from '../server/banner.js'
import {type RunningServer, runServer} from '../server/run.js'
import {stopOnSignals} from '../server/signals.js'

export async function serveForeground(name: string, spec: AppSpec, options: ServerOptions): Promise<void> {
  const logger = createLogger(options.log)
  let running: RunningServer | undefined
  let stopRequested = false
  const removeHandlers = stopOnSignals(logger, options.shutdownTimeoutMs, () => {
    stopRequested = true
    running?.close()
  })
  try {
    running = await runServer(spec, options, logger)
    // A signal that came during startup: stop as soon as there is something to stop.
    if (stopRequested) running.close()
    else announce(name, running, options.backlog, logger)
    await running.done
    logger.info('stopped')
  } finally {
    removeHandlers()
    logger.flush()
  }
}

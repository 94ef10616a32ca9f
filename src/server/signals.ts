// SIGINT/SIGTERM handling for a foreground server: the first signal drains, a
// second one stops at once.
import type {Logger} from '../log/logger.js'
import type {RunningServer} from './run.js'

/** Installs the handlers; returns a function that removes them. */
export function stopOnSignals(running: RunningServer, logger: Logger, shutdownTimeoutMs: number): () => void {
  let stopping = false
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn(`${signal} again: stopping now without waiting for in-flight requests`)
      logger.flush()
      // Workers exit by themselves when their IPC channel to this process closes.
      process.exit(1)
    }

    stopping = true
    logger.info(
      `${signal} received: no new connections, finishing in-flight requests ` +
        `(up to ${shutdownTimeoutMs / 1000} s; press Ctrl+C again to stop now)`,
    )
    running.close()
  }

  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  return () => {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}

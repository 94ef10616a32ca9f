// SIGINT/SIGTERM handling for a foreground server: the first signal drains, a
// second one stops at once. Install it before the server starts, so a signal
// can never find the process without a handler (and die mid-request).
import type {Logger} from '../log/logger.js'

/** Installs the handlers; `onStop` runs once, on the first signal. Returns a function that removes them. */
export function stopOnSignals(logger: Logger, shutdownTimeoutMs: number, onStop: () => void): () => void {
  let stopping = false
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn(`${signal} again: stopping now without waiting for in-flight requests`)
      logger.flush()
      // Workers exit by themselves when their IPC channel to this process closes.
      process.exit(1)
    }

    stopping = true
    // Stop first: by the time anyone reads the line below, it is true.
    onStop()
    logger.info(
      `${signal} received: no new connections, finishing in-flight requests ` +
        `(up to ${shutdownTimeoutMs / 1000} s; press Ctrl+C again to stop now)`,
    )
  }

  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  return () => {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}

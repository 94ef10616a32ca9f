// Entry point of a pool worker process (cluster.setupPrimary points here, so a
// worker never loads the CLI). It serves the connections the primary hands it
// and stops when the primary says.
import type {Socket} from 'node:net'

import cluster from 'node:cluster'

import {UserError} from '../errors.js'
import {createLogger} from '../log/logger.js'
import {createInstance} from './instance.js'
import {type PrimaryMessage, WORKER_CONFIG_ENV, type WorkerConfig, type WorkerMessage} from './protocol.js'

const config = JSON.parse(process.env[WORKER_CONFIG_ENV] ?? '') as WorkerConfig
const workerId = String(cluster.worker?.id ?? process.pid)
const logger = createLogger(config.options.log)
const send = (message: WorkerMessage, then: () => void = () => {}) => process.send?.(message, then)

process.on('uncaughtException', (error) => {
  logger.error(`worker ${workerId} crashed: ${error.stack ?? error.message}`)
  logger.flush()
  process.exit(1)
})
// Ctrl+C reaches every process in the terminal's group; the primary coordinates
// the shutdown, so a worker waits for its word instead of dying mid-request.
process.on('SIGINT', () => {})

try {
  const instance = createInstance(config.spec, config.options, workerId, logger)
  const stop = async () => {
    // The primary hands this worker no more connections.
    send({type: 'webkit:draining'})
    const {forced} = await instance.stop()
    if (forced) logger.warn(`worker ${workerId} cut connections still open at the shutdown timeout`)
    logger.flush()
    process.exit(0)
  }

  // SIGTERM sent to this worker alone: leave cleanly; the primary replaces it.
  process.on('SIGTERM', stop)
  process.on('message', (message: PrimaryMessage, socket?: Socket) => {
    if (message?.type === 'webkit:connection' && socket) instance.accept(socket)
    else if (message?.type === 'webkit:shutdown') stop()
  })
  send({type: 'webkit:ready'})
} catch (error) {
  const {message} = error as Error
  send({message, type: 'webkit:start-error', userError: error instanceof UserError}, () => process.exit(1))
}

// Messages between a pool's primary and its workers, over the cluster IPC channel.
import type {AppSpec} from '../apps/registry.js'
import type {ServerOptions} from './options.js'

/** Environment variable carrying a worker's WorkerConfig as JSON. */
export const WORKER_CONFIG_ENV = 'WEBKIT_INTERNAL_WORKER_CONFIG'

export interface WorkerConfig {
  options: ServerOptions
  spec: AppSpec
}

export type WorkerMessage =
  /** `userError`: the message is for the user (a UserError), not a crash. */
  | {message: string; type: 'webkit:start-error'; userError: boolean}
  | {type: 'webkit:draining'}
  | {type: 'webkit:ready'}

/** 'webkit:connection' comes with the socket of a connection the primary accepted. */
export type PrimaryMessage = {type: 'webkit:connection'} | {type: 'webkit:shutdown'}

export function isWorkerMessage(value: unknown): value is WorkerMessage {
  return typeof value === 'object' && value !== null && String((value as {type?: unknown}).type).startsWith('webkit:')
}

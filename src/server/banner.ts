// The startup banner: where to reach the server and how it is set up.
import type {Logger} from '../log/logger.js'
import type {RunningServer} from './run.js'

import {localUrl, networkUrls} from './urls.js'

export function announce(name: string, running: RunningServer, backlog: number, logger: Logger): void {
  const local = localUrl(running.host, running.port)
  const network = networkUrls(running.host, running.port)
  const pool = running.workers > 1 ? `${running.workers} workers (node:cluster)` : '1 worker (single process)'
  logger.info(`webkit ${name} listening on ${local}`, {
    backlog,
    // Said only when off: a server answering every request through node:http is not the usual one.
    fastPath: running.fastPath ? undefined : 'off',
    network: network.length > 0 ? network.join(' ') : undefined,
    port: running.port,
    workers: running.workers,
  })
  logger.info(`${pool}, listen backlog ${backlog}; press Ctrl+C to stop`)
}

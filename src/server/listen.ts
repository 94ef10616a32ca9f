// Binding a listening socket, with the failures a user can fix turned into
// one-line messages.
import type {AddressInfo, Server as NetServer} from 'node:net'

import {UserError} from '../errors.js'

export interface ListenTarget {
  backlog: number
  host: string
  port: number
}

export function listen(server: NetServer, target: ListenTarget): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => reject(listenError(error, target))
    server.once('error', onError)
    server.listen({backlog: target.backlog, host: target.host, port: target.port}, () => {
      server.off('error', onError)
      resolve(server.address() as AddressInfo)
    })
  })
}

/** The message a user sees when a port cannot be bound; also used for errors reported by workers. */
export function listenError(error: {code?: string; message: string}, {host, port}: ListenTarget): Error {
  switch (error.code) {
    case 'EACCES': {
      return new UserError(
        `permission denied to listen on port ${port}: ports below 1024 need privileges; use --port 1024 or higher`,
      )
    }

    case 'EADDRINUSE': {
      return new UserError(
        `port ${port} is already in use on ${host}: stop what holds it, or pick another with --port (--port 0 picks a free one)`,
      )
    }

    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN': {
      return new UserError(`cannot listen on host ${host}: it is not an address of this machine; try --host 0.0.0.0`)
    }

    default: {
      return new Error(`cannot listen on ${host}:${port}: ${error.message}`)
    }
  }
}

// Both servers run in this process as `webkit serve` runs them (one worker),
// with the fast path on or off, for tests that talk to them over sockets.
import type {AppSpec} from '../../src/apps/registry.js'
import {createLogger} from '../../src/log/logger.js'
import {createMemorySink} from '../../src/log/sink.js'
import {DEFAULT_TIMEOUTS} from '../../src/server/options.js'
import {type RunningServer, runServer} from '../../src/server/run.js'
import {rawSocket, readUntilClose} from './http.js'
import {FAST_PATH} from './http-server.js'

export const COLOR: AppSpec = {kind: 'color', options: {}}

/** The image server over `file`. */
export const image = (file: string): AppSpec => ({kind: 'image', options: {file}})

export async function serve(spec: AppSpec, fastPath = FAST_PATH): Promise<RunningServer> {
  const log = {color: false, format: 'json', quiet: true} as const
  return runServer(
    spec,
    {backlog: 100, fastPath, host: '127.0.0.1', log, port: 0, shutdownTimeoutMs: 5000, timeouts: DEFAULT_TIMEOUTS, workers: 1},
    createLogger(log, createMemorySink(), createMemorySink()),
  )
}

/** Everything a server sends back for `bytes` on a fresh connection, until it closes it. */
export async function exchange(url: string, bytes: string): Promise<Buffer> {
  const socket = await rawSocket(url)
  const reply = readUntilClose(socket)
  socket.write(Buffer.from(bytes, 'latin1'))
  return Buffer.from(await reply, 'latin1')
}

// Default mode: start webkit's own servers as real worker pools on free ports of
// 127.0.0.1, with the same code as `webkit serve`, and describe them as targets.
import type {AppSpec} from '../apps/registry.js'
import type {Logger} from '../log/logger.js'
import type {TargetPlan} from './plan.js'

import {BUNDLED_IMAGE} from '../apps/image/defaults.js'
import {DEFAULT_SHUTDOWN_TIMEOUT_MS, DEFAULT_TIMEOUTS, type ServerOptions} from '../server/options.js'
import {type RunningServer, runServer} from '../server/run.js'
import {buildMix} from './mix.js'

/** The servers default mode can start, with their default options. */
export const BUILTIN_SPECS = {
  color: {kind: 'color', options: {}},
  image: {kind: 'image', options: {file: BUNDLED_IMAGE}},
} as const satisfies Record<string, AppSpec>

export type BuiltinName = keyof typeof BUILTIN_SPECS

export const BUILTIN_NAMES = Object.keys(BUILTIN_SPECS) as BuiltinName[]

export interface BuiltinTargets {
  /** Stops every server; resolves when none is left running. */
  close(): Promise<void>
  targets: TargetPlan[]
}

export async function startBuiltinTargets(
  names: readonly BuiltinName[],
  pool: {backlog: number; workers: number},
  logger: Logger,
): Promise<BuiltinTargets> {
  const options: ServerOptions = {
    backlog: pool.backlog,
    host: '127.0.0.1',
    // The access log would cost the servers more than the requests do.
    log: {color: false, format: 'text', quiet: true},
    port: 0,
    shutdownTimeoutMs: DEFAULT_SHUTDOWN_TIMEOUT_MS,
    timeouts: {...DEFAULT_TIMEOUTS},
    workers: pool.workers,
  }
  const running: RunningServer[] = []
  const close = async () => {
    await Promise.all(running.map((server) => server.close()))
  }

  try {
    const targets: TargetPlan[] = []
    for (const name of names) {
      const spec: AppSpec = BUILTIN_SPECS[name]
      const requests = await buildMix(spec)
      const server = await runServer(spec, options, logger)
      running.push(server)
      targets.push({expectInstances: null, expectWorkers: server.workers, host: '127.0.0.1', name, port: server.port, requests, url: server.url})
    }

    return {close, targets}
  } catch (error) {
    await close()
    throw error
  }
}

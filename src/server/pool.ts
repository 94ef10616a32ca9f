// The node:cluster primary: owns the listening socket and hands each connection
// to a worker in turn (dispatch.ts), replaces workers that die, gives up on a
// crash loop, and on close stops listening at once, then drains every worker.
import cluster, {type Worker} from 'node:cluster'
import {createRequire} from 'node:module'
import {createServer as createNetServer, type Server as NetServer} from 'node:net'
import {fileURLToPath, pathToFileURL} from 'node:url'

import type {AppSpec} from '../apps/registry.js'
import type {Logger} from '../log/logger.js'
import type {ServerOptions} from './options.js'
import type {RunningServer} from './run.js'

import {workerNodeFlags} from '../apps/spec.js'
import {UserError} from '../errors.js'
import {Dispatcher} from './dispatch.js'
import {listen} from './listen.js'
import {isWorkerMessage, WORKER_CONFIG_ENV, type WorkerConfig} from './protocol.js'
import {connectUrl} from './urls.js'

/** More unexpected exits than this within CRASH_WINDOW_MS is a crash loop. */
const CRASH_LIMIT = 5
const CRASH_WINDOW_MS = 30_000
const BACKOFF_BASE_MS = 100
const BACKOFF_MAX_MS = 5000
/** Beyond the shutdown timeout, how long a worker may take to exit before SIGKILL. */
const EXIT_GRACE_MS = 3000
/** Accept errors (such as running out of descriptors) are logged at most this often. */
const ACCEPT_ERROR_LOG_MS = 10_000

// Under tsx (development and tests) the worker is TypeScript and needs the loader.
const typescript = import.meta.url.endsWith('.ts')
const WORKER_ENTRY = fileURLToPath(new URL(typescript ? './worker.ts' : './worker.js', import.meta.url))
const LOADER = typescript ? ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href] : []

/**
 * Points cluster at the worker entry with this app's node flags. cluster.settings
 * is one global, so this runs before every fork: one process may run pools of
 * different apps (load-test does).
 */
function setupPrimary(spec: AppSpec): void {
  cluster.setupPrimary({args: [], exec: WORKER_ENTRY, execArgv: [...LOADER, ...workerNodeFlags(spec)]})
}

function describeExit(code: null | number, signal: null | string): string {
  return signal ? `signal ${signal}` : `code ${code}`
}

export async function startPool(spec: AppSpec, options: ServerOptions, logger: Logger): Promise<RunningServer> {
  const config: WorkerConfig = {options, spec}
  const env = {[WORKER_CONFIG_ENV]: JSON.stringify(config)}
  // Connections waiting while no worker is ready are bounded like the listen queue.
  const dispatcher = new Dispatcher(options.backlog)
  let listener: NetServer | undefined

  const live = new Set<Worker>()
  const restarts = new Set<NodeJS.Timeout>()
  const crashes: number[] = []
  let state: 'running' | 'starting' | 'stopped' | 'stopping' = 'starting'
  let ready = 0

  let startupDone!: (error?: Error) => void
  const startup = new Promise<void>((resolve, reject) => {
    startupDone = (error) => (error ? reject(error) : resolve())
  })
  let stoppedDone!: () => void
  const stopped = new Promise<void>((resolve) => {
    stoppedDone = resolve
  })
  let settle!: (error?: Error) => void
  const done = new Promise<void>((resolve, reject) => {
    settle = (error) => (error ? reject(error) : resolve())
  })
  let killTimer: NodeJS.Timeout | undefined

  const fork = (): void => {
    setupPrimary(spec)
    const worker = cluster.fork(env)
    live.add(worker)
    worker.on('message', (message: unknown) => {
      if (!isWorkerMessage(message)) return
      if (message.type === 'webkit:ready') {
        dispatcher.add(worker)
        if (state === 'starting' && ++ready === options.workers) startupDone()
        else if (state === 'running') logger.info(`worker ${worker.id} ready`, {pid: worker.process.pid})
      } else if (message.type === 'webkit:draining') {
        dispatcher.retire(worker)
      } else if (state === 'starting') {
        startupDone(message.userError ? new UserError(message.message) : new Error(message.message))
      } else if (state === 'running') {
        logger.error(`worker ${worker.id} could not start: ${message.message}`)
      }
    })
    worker.on('exit', (code, signal) => onExit(worker, code, signal))
  }

  const onExit = (worker: Worker, code: null | number, signal: null | string): void => {
    live.delete(worker)
    dispatcher.remove(worker)
    if (state === 'stopping' || state === 'stopped') {
      if (live.size === 0) finishStop()
      return
    }

    const how = describeExit(code, signal)
    if (state === 'starting') {
      startupDone(new Error(`worker ${worker.id} exited during startup (${how}); see the errors above`))
      return
    }

    const now = Date.now()
    crashes.push(now)
    while (crashes[0] < now - CRASH_WINDOW_MS) crashes.shift()
    if (crashes.length > CRASH_LIMIT) {
      const error = new UserError(
        `workers keep crashing (${crashes.length} exits in ${CRASH_WINDOW_MS / 1000} s, the last with ${how}); ` +
          'stopping the server: see the errors above',
        1,
      )
      stop().then(() => settle(error))
      return
    }

    const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (crashes.length - 1))
    logger.warn(`worker ${worker.id} exited (${how}); starting a replacement in ${delay} ms`)
    const timer = setTimeout(() => {
      restarts.delete(timer)
      if (state === 'running') fork()
    }, delay)
    restarts.add(timer)
  }

  const finishStop = (): void => {
    clearTimeout(killTimer)
    state = 'stopped'
    stoppedDone()
  }

  const stop = (): Promise<void> => {
    if (state === 'stopping' || state === 'stopped') return stopped
    state = 'stopping'
    // New connections are refused from here on.
    listener?.close()
    dispatcher.close()
    for (const timer of restarts) clearTimeout(timer)
    for (const worker of live) {
      if (worker.isConnected()) worker.send({type: 'webkit:shutdown'})
      else worker.process.kill('SIGTERM')
    }

    killTimer = setTimeout(() => {
      for (const worker of live) worker.process.kill('SIGKILL')
    }, options.shutdownTimeoutMs + EXIT_GRACE_MS)
    if (live.size === 0) finishStop()
    return stopped
  }

  for (let i = 0; i < options.workers; i++) fork()
  try {
    await startup
  } catch (error) {
    await stop()
    throw error
  }

  state = 'running'
  // The primary never reads a connection: its bytes wait in the kernel for the worker.
  listener = createNetServer({pauseOnConnect: true}, (socket) => dispatcher.dispatch(socket))
  let port: number
  try {
    ;({port} = await listen(listener, options))
  } catch (error) {
    await stop()
    throw error
  }

  let lastAcceptError = -Infinity
  listener.on('error', (error) => {
    if (Date.now() - lastAcceptError < ACCEPT_ERROR_LOG_MS) return
    lastAcceptError = Date.now()
    logger.warn(`cannot accept connections: ${error.message}`)
  })

  return {
    close: () => stop().then(() => settle()),
    done,
    fastPath: options.fastPath ?? true,
    host: options.host,
    pids: () => [...live].map((w) => w.process.pid ?? 0),
    port,
    url: connectUrl(options.host, port),
    workers: options.workers,
  }
}

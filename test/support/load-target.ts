// Small servers for load-test tests, in the test process, on 127.0.0.1 port 0.
// close() cuts every connection, so a test can also make its target die mid-run.
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import {type AddressInfo, createServer as createNetServer, type Server as NetServer, type Socket} from 'node:net'

export interface TestTarget {
  close(): Promise<void>
  port: number
  /** Requests the server has seen. */
  requests(): number
  url: string
}

const started = new Set<TestTarget>()

/** Listens on a free port of 127.0.0.1. */
export async function listen(server: NetServer): Promise<number> {
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', resolve)
  })
  return (server.address() as AddressInfo).port
}

/** A target that closeTargets() will close, cutting its connections. */
export function track(server: NetServer, port: number, requests: () => number): TestTarget {
  const sockets = new Set<Socket>()
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  let closing: Promise<void> | undefined
  const target: TestTarget = {
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve())
        for (const socket of sockets) socket.destroy()
        started.delete(target)
      })
      return closing
    },
    port,
    requests,
    url: `http://127.0.0.1:${port}/`,
  }
  started.add(target)
  return target
}

/** An HTTP server answering every request with `handler` (which may answer later). */
export async function startHttpTarget(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<TestTarget> {
  let count = 0
  const server: Server = createServer({keepAliveTimeout: 60_000}, (req, res) => {
    count++
    handler(req, res)
  })
  const port = await listen(server)
  return track(server, port, () => count)
}

/** Answers 200 "ok" after `delayMs`, with an X-Worker header. */
export function startDelayedTarget(delayMs: number): Promise<TestTarget> {
  return startTimedTarget(delayMs).then(({target}) => target)
}

/**
 * The same, timing each answer as the server sees it (from the request to the
 * response handed over): a `delayMs` timer can fire a little early on Node's
 * cached clock, or late on a busy machine, so what a test measures is held to this.
 */
export async function startTimedTarget(delayMs: number): Promise<{served: number[]; target: TestTarget}> {
  const served: number[] = []
  const target = await startHttpTarget((_req, res) => {
    const start = performance.now()
    setTimeout(() => {
      res.writeHead(200, {'Content-Type': 'text/plain', 'X-Worker': '1'})
      res.end('ok', () => served.push(performance.now() - start))
    }, delayMs)
  })
  return {served, target}
}

/** The value `q` (0 to 1) of the way up `values`, sorted: 0.5 is the median. */
export function quantileOf(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))]
}

export const medianOf = (values: number[]) => quantileOf(values, 0.5)

/** A raw TCP server: `onData` sees every connection's bytes and writes whatever it likes. */
export async function startRawTarget(onData: (socket: Socket, data: Buffer) => void): Promise<TestTarget> {
  let count = 0
  const server = createNetServer((socket) => {
    socket.on('data', (data) => {
      count++
      onData(socket, data)
    })
    socket.on('error', () => {})
  })
  const port = await listen(server)
  return track(server, port, () => count)
}

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createNetServer()
  const port = await listen(server)
  await new Promise((resolve) => {
    server.close(resolve)
  })
  return port
}

/** Closes every target a test started; call from an after/afterEach hook. */
export async function closeTargets(): Promise<void> {
  await Promise.all([...started].map((t) => t.close()))
}

// Shared benchmark machinery: start servers as separate processes, load them
// alternately with the same client in one run, and report req/s and ratios
// against a baseline measured in the same run.
import {type ChildProcess, execFileSync, spawn} from 'node:child_process'
import {once} from 'node:events'
import {existsSync, mkdtempSync, openSync, writeFileSync} from 'node:fs'
import {type AddressInfo, connect, createServer} from 'node:net'
import {availableParallelism, tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

export const ROOT = fileURLToPath(new URL('..', import.meta.url))
export const BIN = join(ROOT, 'bin', 'run.js')
export const NODE_BIN = join(ROOT, 'node_modules', '.bin')

/**
 * WEBKIT_BENCH_OTHER=<another built checkout>: a second build of webkit that
 * the suites that support it measure this one against, to see what a change
 * costs. Its bin/run.js, or undefined when unset; a checkout that is not
 * built stops the run with one line saying so.
 */
export function otherCheckoutBin(): string | undefined {
  const other = process.env.WEBKIT_BENCH_OTHER
  if (!other) return undefined
  const bin = join(other, 'bin', 'run.js')
  if (!existsSync(bin) || !existsSync(join(other, 'dist'))) {
    console.error(`WEBKIT_BENCH_OTHER=${other} is not a built webkit checkout (no bin/run.js and dist/): run npm ci && npm run build there`)
    process.exit(2)
  }

  return bin
}

export interface Target {
  name: string
  stop(): Promise<void>
  /** Full URL to load, path included. */
  url: string
}

export interface Load {
  /** The load generator; autocannon unless told otherwise. */
  client?: Client
  connections: number
  /** Seconds per measured round. */
  duration: number
  rounds: number
  /** Seconds of unmeasured load per target before the first round. */
  warmup: number
}

// Many short rounds rather than a few long ones: this machine's speed drifts
// over tens of seconds, and only a target and its baseline measured close
// together give a ratio that drift does not distort.
export const DEFAULT_LOAD: Load = {connections: 50, duration: 2, rounds: 10, warmup: 2}

const TASKSET = '/usr/bin/taskset'
/** Servers run on this CPU and load generators on the other, so neither takes time from the other. */
export const SERVER_CPU = '1'
export const CLIENT_CPU = '0'

/** Whether processes can be pinned to CPUs here. */
export function canPin(): boolean {
  return availableParallelism() >= 2 && existsSync(TASKSET)
}

/** The command line that runs `command` on `cpu` when pinning is possible, else as it is. */
export function onCpu(cpu: string, command: string, args: string[]): [string, string[]] {
  return canPin() ? [TASKSET, ['-c', cpu, command, ...args]] : [command, args]
}

/** A fresh folder for one benchmark's files. */
export function scratchDir(): string {
  return mkdtempSync(join(tmpdir(), 'webkit-bench-'))
}

/**
 * Starts a server process and waits for it to print an http URL (the port
 * comes from its output, so every server can use port 0).
 */
export async function startProcess(
  name: string,
  command: string,
  args: string[],
  options: {path?: string; stdoutFile?: string} = {},
): Promise<Target> {
  const stdout = options.stdoutFile ? openSync(options.stdoutFile, 'w') : 'pipe'
  // taskset execs the server, so the pid is the server's.
  const proc: ChildProcess = spawn(...onCpu(SERVER_CPU, command, args), {cwd: ROOT, env: {...process.env, NO_COLOR: '1'}, stdio: ['ignore', stdout, 'pipe']})
  let seen = ''
  const port = await new Promise<number>((resolve, reject) => {
    const look = (chunk: Buffer) => {
      seen += chunk.toString()
      const match = seen.match(/https?:\/\/[^\s/]+:(\d+)/)
      if (match) resolve(Number(match[1]))
    }

    proc.stdout?.on('data', look)
    proc.stderr?.on('data', look)
    proc.once('exit', (code) => reject(new Error(`${name} exited (${code}) before listening:\n${seen}`)))
    proc.once('error', (error) => reject(new Error(`${name} did not start: ${error.message}`)))
  })
  // Keep draining output so a chatty server never blocks on a full pipe.
  proc.stdout?.resume()
  proc.stderr?.resume()
  return {name, stop: () => stopProcess(proc), url: `http://127.0.0.1:${port}${options.path ?? '/'}`}
}

/** SIGTERM, then SIGKILL if the process is still there after 5 s. */
async function stopProcess(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return
  proc.kill('SIGTERM')
  const timer = setTimeout(() => proc.kill('SIGKILL'), 5000)
  await once(proc, 'exit')
  clearTimeout(timer)
}

/** A port of 127.0.0.1 that nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const {port} = server.address() as AddressInfo
  server.close()
  await once(server, 'close')
  return port
}

/**
 * Starts a server that is told its port (`args` name it) and prints nothing
 * to go by, such as one run silent so it logs no requests; ready once the
 * port accepts a connection (polled, bounded).
 */
export async function startOnPort(name: string, command: string, args: string[], port: number, path = '/'): Promise<Target> {
  const proc = spawn(...onCpu(SERVER_CPU, command, args), {cwd: ROOT, env: {...process.env, NO_COLOR: '1'}, stdio: 'ignore'})
  for (let attempt = 0; ; attempt++) {
    if (proc.exitCode !== null) throw new Error(`${name} exited (${proc.exitCode}) before listening`)
    if (attempt === 400) {
      await stopProcess(proc)
      throw new Error(`${name} did not listen on ${port} within 10 s`)
    }

    const accepted = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1')
      socket.once('connect', () => {
        socket.destroy()
        resolve(true)
      })
      socket.once('error', () => resolve(false))
    })
    if (accepted) break
    await new Promise((resolve) => {
      setTimeout(resolve, 25)
    })
  }

  return {name, stop: () => stopProcess(proc), url: `http://127.0.0.1:${port}${path}`}
}

/** `webkit <args>` from the built CLI. */
export function startWebkit(name: string, args: string[], options: {path?: string; stdoutFile?: string} = {}) {
  return startProcess(name, process.execPath, [BIN, ...args, '--port', '0', '--host', '127.0.0.1'], options)
}

/**
 * A minimal node:http server answering every request with the same status-200
 * response: `headers` (the server under test's own, so both send the same
 * bytes) and `body`.
 */
export async function startPlain(name: string, body: Uint8Array, headers: Record<string, string>, path = '/'): Promise<Target> {
  const dir = scratchDir()
  writeFileSync(join(dir, 'body'), body)
  writeFileSync(join(dir, 'headers.json'), JSON.stringify(headers))
  const script = fileURLToPath(new URL('plain-server.mjs', import.meta.url))
  return startProcess(name, process.execPath, [script, join(dir, 'body'), join(dir, 'headers.json')], {path})
}

/** The headers a response carries that the server itself chose (not Node's Date/Connection/Keep-Alive). */
export function ownHeaders(response: Response): Record<string, string> {
  const skip = new Set(['connection', 'content-length', 'date', 'keep-alive', 'transfer-encoding'])
  return Object.fromEntries([...response.headers].filter(([name]) => !skip.has(name)))
}

export interface Measured {
  latencyP50: number
  latencyP99: number
  non2xx: number
  errors: number
  rps: number
}

/** One autocannon run in its own process, so the client never shares the bench's event loop. */
export function autocannon(url: string, connections: number, duration: number): Measured {
  const out = execFileSync(...onCpu(CLIENT_CPU, join(NODE_BIN, 'autocannon'), ['-j', '-c', String(connections), '-d', String(duration), url]), {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'ignore'],
  })
  const r = JSON.parse(out)
  return {
    errors: r.errors + r.timeouts,
    latencyP50: r.latency.p50,
    latencyP99: r.latency.p99,
    non2xx: r.non2xx,
    rps: r.requests.average,
  }
}

export interface Client {
  measure(url: string, connections: number, duration: number): Measured
  name: string
}

export const AUTOCANNON: Client = {measure: autocannon, name: 'autocannon'}

/**
 * wrk with one thread, when installed (apt-get install wrk): written in C, it
 * keeps up with servers whose responses are large, where autocannon's own
 * parsing becomes the limit and every server looks the same.
 */
export function wrk(): Client | undefined {
  const path = wrkPath()
  if (path === undefined) return undefined
  return {
    measure: (url, connections, duration) => parseWrk(execFileSync(...wrkCommand(path, url, connections, duration), {encoding: 'utf8'})),
    name: 'wrk -t1',
  }
}

/** Where wrk is installed, if it is. */
export function wrkPath(): string | undefined {
  return ['/usr/bin/wrk', '/usr/local/bin/wrk'].find((candidate) => existsSync(candidate))
}

/** One wrk run on the clients' CPU: one thread, latency percentiles on (parseWrk reads them). */
export function wrkCommand(path: string, url: string, connections: number, seconds: number): [string, string[]] {
  return onCpu(CLIENT_CPU, path, ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', url])
}

/** What one wrk run measured, from its output. */
export function parseWrk(out: string): Measured {
  const number = (pattern: RegExp) => Number(pattern.exec(out)?.[1] ?? 0)
  const ms = (pattern: RegExp) => {
    const match = pattern.exec(out)
    if (!match) return Number.NaN
    return Number(match[1]) * ({ms: 1, s: 1000, us: 0.001}[match[2]] ?? Number.NaN)
  }

  const rps = number(/Requests\/sec:\s+([\d.]+)/)
  if (rps === 0) throw new Error(`no Requests/sec in wrk's output:\n${out}`)
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out)
  return {
    errors: socketErrors ? socketErrors.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0,
    latencyP50: ms(/^\s+50%\s+([\d.]+)(us|ms|s)$/m),
    latencyP99: ms(/^\s+99%\s+([\d.]+)(us|ms|s)$/m),
    non2xx: number(/Non-2xx or 3xx responses: (\d+)/),
    rps,
  }
}

/** The q-quantile (0..1) of `values`, interpolated. */
export const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  const at = (sorted.length - 1) * q
  const low = Math.floor(at)
  return sorted[low] + (sorted[Math.ceil(at)] - sorted[low]) * (at - low)
}

export const median = (values: number[]) => quantile(values, 0.5)

export interface Row {
  name: string
  /** Against the first target: the median of the rounds' ratios, each taken within one round. */
  ratio: number
  /** The middle half of the rounds' ratios: how far one measurement can be trusted. */
  ratioQuartiles: [number, number]
  rounds: number[]
  rps: number
  problems: number
}

/**
 * Loads every target with the same client, round after round, rotating the
 * order so no target always runs first or last. The first target is the baseline.
 */
export function compareAlternating(targets: Target[], load: Load = DEFAULT_LOAD): Row[] {
  const client = load.client ?? AUTOCANNON
  for (const t of targets) client.measure(t.url, load.connections, load.warmup)
  const rounds = new Map<string, number[]>(targets.map((t) => [t.name, []]))
  const problems = new Map<string, number>(targets.map((t) => [t.name, 0]))
  for (let round = 0; round < load.rounds; round++) {
    for (let i = 0; i < targets.length; i++) {
      const t = targets[(i + round) % targets.length]
      const m = client.measure(t.url, load.connections, load.duration)
      rounds.get(t.name)!.push(m.rps)
      problems.set(t.name, problems.get(t.name)! + m.errors + m.non2xx)
    }
  }

  // A ratio per round compares runs minutes apart at most, so a slow spell of
  // the machine weighs on both sides of it rather than on one target.
  const baseline = rounds.get(targets[0].name)!
  return targets.map((t) => {
    const own = rounds.get(t.name)!
    return ratioRow(t.name, own.map((rps, round) => rps / baseline[round]), own, problems.get(t.name)!)
  })
}

/** A target's row from its per-round ratios to the baseline and its per-round req/s. */
export function ratioRow(name: string, ratios: number[], rounds: number[], problems: number): Row {
  return {name, problems, ratio: median(ratios), ratioQuartiles: [quantile(ratios, 0.25), quantile(ratios, 0.75)], rounds, rps: median(rounds)}
}

/** How compareAlternating measured, for printRows. */
export function alternatingMethod(load: Load = DEFAULT_LOAD): string {
  return (
    `${(load.client ?? AUTOCANNON).name} -c ${load.connections}, ${load.rounds} alternating rounds of ${load.duration} s, ${load.warmup} s warm-up each. ` +
    'req/s: the median round; ratio: the median of per-round ratios to the first row, with their middle half'
  )
}

export function printRows(title: string, rows: Row[], method = alternatingMethod()): void {
  console.log(`\n## ${title}`)
  console.log(method)
  const width = Math.max(...rows.map((r) => r.name.length))
  for (const r of rows) {
    const rps = Number.isNaN(r.rps) ? '-' : Math.round(r.rps).toString()
    const [low, high] = r.ratioQuartiles.map((q) => q.toFixed(2))
    const flag = r.problems > 0 ? `  (${r.problems} errors or non-2xx!)` : ''
    console.log(`${r.name.padEnd(width)}  ${rps.padStart(7)} req/s  ${r.ratio.toFixed(2)}x  (${low}-${high})${flag}`)
  }
}

/** Stops every target even when the benchmark failed half-way. */
export async function withTargets<T>(start: () => Promise<Target>[], body: (targets: Target[]) => Promise<T> | T): Promise<T> {
  const started = await Promise.allSettled(start())
  const targets = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []))
  try {
    const failed = started.find((s) => s.status === 'rejected')
    if (failed) throw (failed as PromiseRejectedResult).reason
    return await body(targets)
  } finally {
    await Promise.all(targets.map((t) => t.stop()))
  }
}

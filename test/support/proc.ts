// What a test can see of a server's processes from outside: a pool's workers
// and each process's open file descriptors (Linux /proc).
import {execFile, execFileSync} from 'node:child_process'
import {readdirSync, readFileSync} from 'node:fs'

/** Process ids of the direct children of `pid` (a pool's workers). */
export function childPids(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], {encoding: 'utf8'}).trim().split('\n').map(Number).sort((a, b) => a - b)
  } catch {
    return []
  }
}

/** How many file descriptors `pid` has open. */
export function openFds(pid: number): number {
  return readdirSync(`/proc/${pid}/fd`).length
}

/**
 * Connections on the server side of `port` not yet gone: every state but LISTEN
 * and TIME-WAIT (what is left once both sides have closed).
 */
export function serverConnections(port: number): number {
  return countConnections(execFileSync('ss', ssArgs(port), {encoding: 'utf8'}))
}

/** Whether some process listens on `port` (TCP). */
export function listening(port: number): boolean {
  return execFileSync('ss', ['-Hltn', `sport = :${port}`], {encoding: 'utf8'}).trim() !== ''
}

/** Connections on `port` not yet gone (as serverConnections), and how many of them each process holds. */
export function connectionOwners(port: number): {byPid: Map<number, number>; total: number} {
  const lines = execFileSync('ss', ['-p', ...ssArgs(port)], {encoding: 'utf8'}).split('\n')
  const open = lines.filter(isOpen)
  const byPid = new Map<number, number>()
  for (const line of open) {
    for (const pid of new Set([...line.matchAll(/pid=(\d+),/g)].map((m) => Number(m[1])))) byPid.set(pid, (byPid.get(pid) ?? 0) + 1)
  }

  return {byPid, total: open.length}
}

const ssArgs = (port: number) => ['-Htan', `sport = :${port}`]
const isOpen = (ssLine: string) => ssLine.trim() !== '' && !/^(LISTEN|TIME-WAIT)\s/.test(ssLine)
const countConnections = (ssOutput: string) => ssOutput.split('\n').filter(isOpen).length

export interface ConnectionSample {
  at: number
  connections: number
}

/** Samples serverConnections(port) every `everyMs` without blocking the event loop, until stop(). */
export function watchConnections(port: number, everyMs = 100): {stop(): ConnectionSample[]} {
  const samples: ConnectionSample[] = []
  let busy = false
  const timer = setInterval(() => {
    if (busy) return
    busy = true
    execFile('ss', ssArgs(port), {encoding: 'utf8', maxBuffer: 16 * 1024 * 1024}, (error, out) => {
      busy = false
      if (!error) samples.push({at: Date.now(), connections: countConnections(out)})
    })
  }, everyMs)
  return {
    stop() {
      clearInterval(timer)
      return samples
    },
  }
}

/** The longest stretch of consecutive samples with at least `n` connections, in milliseconds. */
export function heldMs(samples: ConnectionSample[], n: number): number {
  let best = 0
  let since: number | undefined
  for (const {at, connections} of samples) {
    if (connections < n) since = undefined
    else best = Math.max(best, at - (since ??= at))
  }

  return best
}

/** The soft limit on open files of this process (children inherit it). */
export function openFileLimit(): number {
  const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'))
  return Number(line?.split(/\s{2,}/)[1])
}

/** Polls `read` every 50 ms until it returns `want` or `timeoutMs` passes; returns the last value read. */
export async function settlesTo<T>(read: () => T, want: T, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = read()
    if (value === want || Date.now() >= deadline) return value
    await new Promise((resolve) => {
      setTimeout(resolve, 50)
    })
  }
}

/** Reads `read` every 50 ms until it gives the same value `times` times running (the process has caught up). */
export async function steadyValue<T>(read: () => T, times = 4, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last = read()
  let same = 1
  while (same < times && Date.now() < deadline) {
    await new Promise((resolve) => {
      setTimeout(resolve, 50)
    })
    const value = read()
    same = value === last ? same + 1 : 1
    last = value
  }

  return last
}

// Runs the built CLI (bin/run.js) as a user would and waits on its own readiness
// line, never on a sleep. Every process started here is stopped by stopAll().
import {strict as assert} from 'node:assert'
import {type ChildProcess, spawn} from 'node:child_process'
import {once} from 'node:events'
import {fileURLToPath} from 'node:url'

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
export const BIN = fileURLToPath(new URL('../../bin/run.js', import.meta.url))

export interface CliRun {
  /** Resolves with the exit code (or the signal name). */
  exited: Promise<number | string>
  proc: ChildProcess
  stderr(): string
  stdout(): string
  /** Resolves once `pattern` has appeared on stdout or stderr; rejects if the process exits first. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>
}

const running = new Set<ChildProcess>()

/** Where and how to run: from the repository, as the current user. */
export interface RunOptions {
  cwd?: string
  /**
   * Whether file permissions bind the CLI as they bind any user. Root reads
   * every file through two capabilities; the CLI then runs without them, as
   * root still, so it reads the checkout (and the node binary) wherever they lie.
   */
  filePermissionsApply?: boolean
}

/** The capabilities that let root read and search any file whatever its mode. */
const READ_OVERRIDES = '-dac_override,-dac_read_search'

/** The command line that runs the CLI with `args` as `options` ask. */
function cliCommand(args: string[], options: RunOptions): [string, string[]] {
  const node = [BIN, ...args]
  if (!options.filePermissionsApply || process.getuid?.() !== 0) return [process.execPath, node]
  // setpriv (util-linux) drops them from the sets the exec'd node takes its capabilities from.
  return ['setpriv', [`--inh-caps=${READ_OVERRIDES}`, `--bounding-set=${READ_OVERRIDES}`, '--', process.execPath, ...node]]
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = {}, options: RunOptions = {}): CliRun {
  const proc = spawn(...cliCommand(args, options), {
    cwd: options.cwd ?? ROOT,
    env: {...process.env, NO_COLOR: '1', ...env},
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  running.add(proc)
  let out = ''
  let err = ''
  const waiters = new Set<() => void>()
  const notify = () => {
    for (const check of waiters) check()
  }

  proc.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk
    notify()
  })
  proc.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk
    notify()
  })
  const exited = once(proc, 'exit').then(([code, signal]) => {
    running.delete(proc)
    notify()
    return (code ?? signal) as number | string
  })

  return {
    exited,
    proc,
    stderr: () => err,
    stdout: () => out,
    waitFor(pattern, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check)
          reject(new Error(`timed out waiting for ${pattern}\nstdout:\n${out}\nstderr:\n${err}`))
        }, timeoutMs)
        const check = () => {
          const match = out.match(pattern) ?? err.match(pattern)
          if (match) {
            clearTimeout(timer)
            waiters.delete(check)
            resolve(match)
          } else if (proc.exitCode !== null || proc.signalCode !== null) {
            clearTimeout(timer)
            waiters.delete(check)
            reject(new Error(`process exited before ${pattern}\nstdout:\n${out}\nstderr:\n${err}`))
          }
        }

        waiters.add(check)
        check()
      })
    },
  }
}

export interface StartedServer extends CliRun {
  port: number
  url: string
}

/** Starts `webkit serve <name>` on a free port and waits for its banner. */
export async function startServer(name: 'color' | 'image', args: string[] = [], env?: NodeJS.ProcessEnv, options?: RunOptions) {
  const run = runCli(['serve', name, '--port', '0', '--host', '127.0.0.1', ...args], env, options)
  const [, port] = await run.waitFor(/listening on http:\/\/[^:]+:(\d+)\//)
  return {...run, port: Number(port), url: `http://127.0.0.1:${port}`} satisfies StartedServer
}

/** Sends `signal` and waits for the exit code. */
export async function stop(run: CliRun, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | string> {
  if (run.proc.exitCode === null && run.proc.signalCode === null) run.proc.kill(signal)
  return run.exited
}

/** Kills whatever a test left running; call from an afterEach/after hook. */
export async function stopAll(): Promise<void> {
  await Promise.all(
    [...running].map(async (proc) => {
      proc.kill('SIGKILL')
      await once(proc, 'exit').catch(() => {})
    }),
  )
}

/** Whether a process id is still alive. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** A user error: exactly one `Error:` line on stderr matching `pattern`, no stack trace, nothing on stdout. */
export function assertOneLineError(run: CliRun, pattern: RegExp): void {
  const stderr = run.stderr()
  const lines = stderr.trimEnd().split('\n')
  assert.equal(lines.length, 1, `expected one line, got:\n${stderr}`)
  assert.match(lines[0], /^Error: /)
  assert.match(lines[0], pattern)
  assert.ok(!/\n\s+at /.test(stderr), 'no stack trace')
  assert.equal(run.stdout(), '')
}

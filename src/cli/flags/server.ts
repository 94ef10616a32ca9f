// The flags every `serve` command shares. Each can also be set through the
// environment variable named in its help.
import {Flags} from '@oclif/core'
import {availableParallelism, hostname} from 'node:os'

import type {ServerOptions} from '../../server/options.js'

import {wantsColor} from '../../log/logger.js'
import {DEFAULT_BACKLOG, DEFAULT_SHUTDOWN_TIMEOUT_MS, DEFAULT_TIMEOUTS} from '../../server/options.js'
import {numberIn, userInput} from '../parse.js'

/** A name a header can carry and load-test can tell from a worker's: letters, digits, and . _ : - */
export function parseInstance(input: string): string {
  if (!/^[A-Za-z0-9._:-]{1,253}$/.test(input)) {
    throw new Error(`--instance must be 1 to 253 letters, digits, '.', '_', ':' or '-' (a host or pod name), got "${input}"`)
  }

  return input
}

export const MAX_WORKERS = 256

/** The flags of every `serve` command; `defaultPort` differs per server. */
export function serverFlags(defaultPort: number) {
  return {
    backlog: Flags.custom<number>({
      default: DEFAULT_BACKLOG,
      description: 'Length of the listen queue of the listening socket',
      env: 'WEBKIT_BACKLOG',
      helpValue: '<n>',
      parse: numberIn('backlog', {max: 65_535, min: 1, whole: true}),
    })(),
    'fast-path': Flags.boolean({
      allowNo: true,
      default: true,
      description:
        'Answer plain requests with prepared bytes straight from the socket (--no-fast-path: every request goes through node:http and the app, with the same answers, slower)',
      env: 'WEBKIT_FAST_PATH',
    }),
    'headers-timeout': Flags.custom<number>({
      default: DEFAULT_TIMEOUTS.headersMs / 1000,
      description:
        'Seconds a client may take to send its request headers before it gets a 408 and is cut (at most the 30 s request timeout)',
      env: 'WEBKIT_HEADERS_TIMEOUT',
      helpValue: '<seconds>',
      parse: numberIn('headers-timeout', {max: DEFAULT_TIMEOUTS.requestMs / 1000, min: 1, what: 'a number of seconds'}),
    })(),
    host: Flags.string({
      default: '0.0.0.0',
      description: 'Address to listen on (0.0.0.0: every IPv4 address, so the LAN can connect)',
      env: 'WEBKIT_HOST',
      helpValue: '<address>',
    }),
    instance: Flags.string({
      default: async () => hostname(),
      defaultHelp: async () => 'the host name',
      description:
        'Name of this server, sent as X-Instance beside X-Worker on every response, so that behind a balancer every instance and worker can be told apart',
      env: 'WEBKIT_INSTANCE',
      helpValue: '<name>',
      // The host name belongs to the machine that runs the command, not the one that built it.
      noCacheDefault: true,
      parse: userInput(parseInstance),
    }),
    'log-format': Flags.option({
      default: 'text' as const,
      description: 'Access and event log format',
      env: 'WEBKIT_LOG_FORMAT',
      options: ['text', 'json'] as const,
    })(),
    port: Flags.custom<number>({
      char: 'p',
      default: defaultPort,
      description: 'Port to listen on (0 picks a free port)',
      env: 'WEBKIT_PORT',
      helpValue: '<port>',
      parse: numberIn('port', {max: 65_535, min: 0, whole: true}),
    })(),
    quiet: Flags.boolean({
      char: 'q',
      default: false,
      description: 'No access log (errors and warnings are still written)',
      env: 'WEBKIT_QUIET',
    }),
    'shutdown-timeout': Flags.custom<number>({
      default: DEFAULT_SHUTDOWN_TIMEOUT_MS / 1000,
      description: 'Seconds in-flight requests may take to finish after SIGINT/SIGTERM',
      env: 'WEBKIT_SHUTDOWN_TIMEOUT',
      helpValue: '<seconds>',
      parse: numberIn('shutdown-timeout', {max: 3600, min: 0, what: 'a number of seconds'}),
    })(),
    workers: workersFlag(),
  }
}

function workersFlag() {
  return Flags.custom<number>({
    char: 'w',
    default: async () => availableParallelism(),
    defaultHelp: async () => 'the CPU count',
    description: 'Worker processes in the pool (1: serve from a single process)',
    env: 'WEBKIT_WORKERS',
    helpValue: '<n>',
    // The CPU count belongs to the machine that runs the command, not the one that built it.
    noCacheDefault: true,
    parse: numberIn('workers', {max: MAX_WORKERS, min: 1, whole: true}),
  })()
}

export interface ServerFlagValues {
  backlog: number
  'fast-path': boolean
  'headers-timeout': number
  host: string
  instance: string
  'log-format': 'json' | 'text'
  port: number
  quiet: boolean
  'shutdown-timeout': number
  workers: number
}

export function toServerOptions(flags: ServerFlagValues): ServerOptions {
  return {
    backlog: flags.backlog,
    fastPath: flags['fast-path'],
    host: flags.host,
    instance: flags.instance,
    log: {color: wantsColor(process.stdout), format: flags['log-format'], quiet: flags.quiet},
    port: flags.port,
    shutdownTimeoutMs: Math.round(flags['shutdown-timeout'] * 1000),
    timeouts: {...DEFAULT_TIMEOUTS, headersMs: Math.round(flags['headers-timeout'] * 1000)},
    workers: flags.workers,
  }
}

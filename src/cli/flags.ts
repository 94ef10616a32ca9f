// Flag definitions, written once and shared by the commands. Every flag can also
// be set through the environment variable named in its help.
import {Flags} from '@oclif/core'
import {availableParallelism} from 'node:os'

import type {ServerOptions} from '../server/options.js'

import {wantsColor} from '../log/logger.js'
import {DEFAULT_BACKLOG, DEFAULT_SHUTDOWN_TIMEOUT_MS, DEFAULT_TIMEOUTS} from '../server/options.js'
import {parseColorFlags, type PaletteSpec} from '../apps/color/palette.js'
import {integerIn, secondsIn, userInput} from './parse.js'

export const MAX_WORKERS = 256

/** The flags of every `serve` command; `defaultPort` differs per server. */
export function serverFlags(defaultPort: number) {
  return {
    backlog: Flags.custom<number>({
      default: DEFAULT_BACKLOG,
      description: 'Length of the listen queue of the listening socket',
      env: 'WEBKIT_BACKLOG',
      helpValue: '<n>',
      parse: integerIn('backlog', 1, 65_535),
    })(),
    host: Flags.string({
      default: '0.0.0.0',
      description: 'Address to listen on (0.0.0.0: every IPv4 address, so the LAN can connect)',
      env: 'WEBKIT_HOST',
      helpValue: '<address>',
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
      parse: integerIn('port', 0, 65_535),
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
      parse: secondsIn('shutdown-timeout', 0, 3600),
    })(),
    workers: workersFlag(),
  }
}

export function workersFlag() {
  return Flags.custom<number>({
    char: 'w',
    default: async () => availableParallelism(),
    defaultHelp: async () => 'the CPU count',
    description: 'Worker processes in the pool (1: serve from a single process)',
    env: 'WEBKIT_WORKERS',
    helpValue: '<n>',
    // The CPU count belongs to the machine that runs the command, not the one that built it.
    noCacheDefault: true,
    parse: integerIn('workers', 1, MAX_WORKERS),
  })()
}

export interface ServerFlagValues {
  backlog: number
  host: string
  'log-format': 'json' | 'text'
  port: number
  quiet: boolean
  'shutdown-timeout': number
  workers: number
}

export function toServerOptions(flags: ServerFlagValues): ServerOptions {
  return {
    backlog: flags.backlog,
    host: flags.host,
    log: {color: wantsColor(process.stdout), format: flags['log-format'], quiet: flags.quiet},
    port: flags.port,
    shutdownTimeoutMs: Math.round(flags['shutdown-timeout'] * 1000),
    timeouts: {...DEFAULT_TIMEOUTS},
    workers: flags.workers,
  }
}

export const colorFlags = {
  color: Flags.string({
    // oclif's env support splits a multiple flag's value oddly: WEBKIT_COLOR is read in colorsFrom().
    description: 'Add or override a palette color as NAME=#RRGGBB (repeatable; commas separate several) [env: WEBKIT_COLOR]',
    helpValue: '<name=#rrggbb>',
    multiple: true,
    parse: userInput((input) => {
      parseColorFlags([input])
      return input
    }),
  }),
}

/** The palette overrides from --color, or from WEBKIT_COLOR when no --color is given. */
export async function colorsFrom(flags: {color?: string[]}): Promise<PaletteSpec> {
  const values = flags.color ?? (process.env.WEBKIT_COLOR ? [process.env.WEBKIT_COLOR] : [])
  return userInput((input: string) => parseColorFlags(input === '' ? [] : input.split('\u0000')))(values.join('\u0000'))
}

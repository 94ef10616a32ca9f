// Flag definitions, written once and shared by the commands. Every server flag
// can also be set through the environment variable named in its help; load-test
// flags describe one run and are given on the command line.
import {Flags} from '@oclif/core'
import {availableParallelism} from 'node:os'
import {resolve} from 'node:path'

import type {ServerOptions} from '../server/options.js'

import {wantsColor} from '../log/logger.js'
import {DEFAULT_BACKLOG, DEFAULT_SHUTDOWN_TIMEOUT_MS, DEFAULT_TIMEOUTS} from '../server/options.js'
import {parseColorFlags, type PaletteSpec} from '../apps/color/palette.js'
import {BUNDLED_IMAGE, DEFAULT_CACHE_CONTROL, type ImageAppOptions} from '../apps/image/app.js'
import {parseCacheControl} from '../apps/image/cache-control.js'
import {BUILTIN_NAMES, type BuiltinName} from '../load/builtin.js'
import type {LoadTestOptions} from '../load/load-test.js'
import {parseHeaderLine, parseMethod} from '../load/request.js'
import {parseStatusList} from '../load/status.js'
import {fractionIn, integerIn, integerListIn, numberIn, secondsIn, userInput} from './parse.js'

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
    'headers-timeout': Flags.custom<number>({
      default: DEFAULT_TIMEOUTS.headersMs / 1000,
      description:
        'Seconds a client may take to send its request headers before it gets a 408 and is cut (at most the 30 s request timeout)',
      env: 'WEBKIT_HEADERS_TIMEOUT',
      helpValue: '<seconds>',
      parse: secondsIn('headers-timeout', 1, DEFAULT_TIMEOUTS.requestMs / 1000),
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
  'headers-timeout': number
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
    timeouts: {...DEFAULT_TIMEOUTS, headersMs: Math.round(flags['headers-timeout'] * 1000)},
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

export const imageFlags = {
  'cache-control': Flags.string({
    default: DEFAULT_CACHE_CONTROL,
    description: 'Cache-Control header of the image responses',
    env: 'WEBKIT_CACHE_CONTROL',
    helpValue: '<value>',
    parse: userInput(parseCacheControl),
  }),
  file: Flags.string({
    char: 'f',
    default: async () => BUNDLED_IMAGE,
    defaultHelp: async () => 'the bundled assets/rick_roll.jpg',
    description: 'Image file to serve; changes on disk are picked up within a second',
    env: 'WEBKIT_FILE',
    helpValue: '<path>',
    // The bundled image's path belongs to the installed package, not the machine that built it.
    noCacheDefault: true,
    parse: userInput((input) => {
      if (input.trim() === '') throw new Error('--file must be the path of an image file, got an empty value')
      return input
    }),
  }),
}

export function toImageOptions(flags: {'cache-control': string; file: string}): ImageAppOptions {
  return {cacheControl: flags['cache-control'], file: resolve(flags.file)}
}

/** The flags of `load-test`. */
export const loadTestFlags = {
  backlog: Flags.custom<number>({
    default: DEFAULT_BACKLOG,
    description: 'Listen queue length of the built-in servers',
    helpValue: '<n>',
    parse: integerIn('backlog', 1, 65_535),
  })(),
  body: Flags.string({
    char: 'b',
    dependsOn: ['url'],
    description: 'Request body, sent with a Content-Length (with --url)',
    helpValue: '<text>',
  }),
  connections: Flags.custom<number>({
    char: 'c',
    default: 50,
    description: 'Concurrent keep-alive connections, dealt out over the servers',
    helpValue: '<n>',
    parse: integerIn('connections', 1, 10_000),
  })(),
  duration: Flags.custom<number>({
    char: 'd',
    default: 10,
    description: 'Seconds to measure for (after --warmup)',
    exclusive: ['requests'],
    helpValue: '<seconds>',
    parse: secondsIn('duration', 0.1, 86_400),
  })(),
  'expect-status': Flags.string({
    dependsOn: ['url'],
    description: 'Statuses that count as success, as codes or classes, comma-separated (with --url) [default: 2xx]',
    helpValue: '<codes>',
    parse: userInput((input) => {
      parseStatusList(input)
      return input
    }),
  }),
  'expect-workers': Flags.custom<number>({
    dependsOn: ['url'],
    description: 'Fail unless this many distinct X-Worker values answer (with --url; a webkit pool has one per worker)',
    helpValue: '<n>',
    parse: integerIn('expect-workers', 1, MAX_WORKERS),
  })(),
  header: Flags.string({
    char: 'H',
    dependsOn: ['url'],
    description: 'Request header as "Name: value" (repeatable; with --url)',
    helpValue: '<header>',
    multiple: true,
    parse: userInput((input) => {
      parseHeaderLine(input)
      return input
    }),
  }),
  json: Flags.boolean({
    default: false,
    description: 'Print one JSON object on stdout (and no spinner)',
  }),
  'max-error-rate': Flags.custom<number>({
    description: 'Fraction (0.01) or percentage (1%) of requests allowed to fail [default: 0]',
    helpValue: '<rate>',
    parse: fractionIn('max-error-rate'),
  })(),
  'max-p99': Flags.custom<number>({
    description: 'Fail if the p99 latency exceeds this many milliseconds',
    helpValue: '<ms>',
    parse: numberIn('max-p99', 0, 3_600_000, 'a number of milliseconds'),
  })(),
  method: Flags.string({
    char: 'm',
    dependsOn: ['url'],
    description: 'Request method (with --url) [default: GET]',
    helpValue: '<method>',
    parse: userInput(parseMethod),
  }),
  'min-rps': Flags.custom<number>({
    description: 'Fail if fewer responses per second than this arrive',
    helpValue: '<n>',
    parse: numberIn('min-rps', 0, 100_000_000),
  })(),
  rate: Flags.custom<number>({
    char: 'r',
    description: 'Constant arrival rate in requests per second for the whole run, evenly spaced (default: as fast as answered)',
    helpValue: '<n>',
    parse: numberIn('rate', 0.1, 10_000_000),
  })(),
  requests: Flags.custom<number>({
    char: 'n',
    description: 'Make exactly this many measured requests, then stop (instead of --duration)',
    helpValue: '<n>',
    parse: integerIn('requests', 1, 1_000_000_000),
  })(),
  target: Flags.option({
    default: 'both' as const,
    description: "Which built-in server to start and load (without --url)",
    options: [...BUILTIN_NAMES, 'both'] as const,
  })(),
  threads: Flags.custom<number>({
    default: 1,
    description: 'Load-generating threads sharing the connections',
    helpValue: '<n>',
    parse: integerIn('threads', 1, 64),
  })(),
  timeout: Flags.custom<number>({
    default: 10,
    description: 'Seconds a request may take before it counts as a timeout',
    helpValue: '<seconds>',
    parse: secondsIn('timeout', 0.001, 3600),
  })(),
  url: Flags.string({
    char: 'u',
    description: "Load this running HTTP/1.1 server instead of webkit's own (repeatable; a server's paths are sent in turn)",
    exclusive: ['target', 'workers', 'backlog'],
    helpValue: '<url>',
    multiple: true,
  }),
  warmup: Flags.custom<number>({
    default: 0,
    description: 'Seconds of load before measuring, left out of every statistic',
    helpValue: '<seconds>',
    parse: secondsIn('warmup', 0, 3600),
  })(),
  // An object, because oclif reads an array type as a repeatable flag.
  workers: Flags.custom<PoolSizes>({
    char: 'w',
    default: async () => ({sizes: [availableParallelism()]}),
    defaultHelp: async () => 'the CPU count',
    description: 'Pool size of the built-in servers; a list such as 1,2,4 runs once per size and prints a scaling table',
    helpValue: '<n,...>',
    noCacheDefault: true,
    parse: async (input) => ({sizes: await integerListIn('workers', 1, MAX_WORKERS)(input)}),
  })(),
}

/** --workers of load-test: one run per pool size. */
export interface PoolSizes {
  sizes: number[]
}

export interface LoadTestFlagValues {
  backlog: number
  body?: string
  connections: number
  duration: number
  'expect-status'?: string
  'expect-workers'?: number
  header?: string[]
  'max-error-rate'?: number
  'max-p99'?: number
  method?: string
  'min-rps'?: number
  rate?: number
  requests?: number
  target: 'both' | BuiltinName
  threads: number
  timeout: number
  url?: string[]
  warmup: number
  workers: PoolSizes
}

export function toLoadTestOptions(flags: LoadTestFlagValues): LoadTestOptions {
  const source: LoadTestOptions['source'] = flags.url
    ? {
        expectStatus: parseStatusList(flags['expect-status'] ?? '2xx'),
        expectWorkers: flags['expect-workers'] ?? null,
        kind: 'url',
        request: {
          body: flags.body,
          headers: Object.fromEntries((flags.header ?? []).map((line) => parseHeaderLine(line))),
          method: flags.method ?? 'GET',
        },
        urls: flags.url,
      }
    : {
        backlog: flags.backlog,
        kind: 'builtin',
        targets: flags.target === 'both' ? [...BUILTIN_NAMES] : [flags.target],
        workers: flags.workers.sizes,
      }
  return {
    limits: {
      connections: flags.connections,
      durationMs: Math.round(flags.duration * 1000),
      rate: flags.rate ?? null,
      requests: flags.requests ?? null,
      threads: flags.threads,
      timeoutMs: flags.timeout * 1000,
      warmupMs: Math.round(flags.warmup * 1000),
    },
    source,
    thresholds: {
      maxErrorRate: flags['max-error-rate'] ?? 0,
      maxP99Ms: flags['max-p99'] ?? null,
      minRps: flags['min-rps'] ?? null,
    },
  }
}

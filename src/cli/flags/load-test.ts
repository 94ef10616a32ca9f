// The flags of `load-test`: they describe one run and are given on the command line.
import {Flags, type Interfaces} from '@oclif/core'
import {availableParallelism} from 'node:os'

import type {LoadTestOptions} from '../../load/load-test.js'

import {BUILTIN_NAMES} from '../../load/builtin.js'
import {type Segment, WHOLE} from '../../load/plan.js'
import {parseSegment, parseStartAt} from '../../load/segment.js'
import {parseHeaderLine, parseMethod} from '../../load/request.js'
import {parseStatusList} from '../../load/status.js'
import {DEFAULT_BACKLOG} from '../../server/options.js'
import {fractionIn, integerListIn, numberIn, outputFile, userInput} from '../parse.js'
import {MAX_WORKERS} from './server.js'

/** The flags of `load-test`. */
export const loadTestFlags = {
  backlog: Flags.custom<number>({
    default: DEFAULT_BACKLOG,
    description: 'Listen queue length of the built-in servers',
    helpValue: '<n>',
    parse: numberIn('backlog', {max: 65_535, min: 1, whole: true}),
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
    parse: numberIn('connections', {max: 10_000, min: 1, whole: true}),
  })(),
  duration: Flags.custom<number>({
    char: 'd',
    default: 10,
    description: 'Seconds to measure for (after --warmup)',
    exclusive: ['requests'],
    helpValue: '<seconds>',
    parse: numberIn('duration', {max: 86_400, min: 0.1, what: 'a number of seconds'}),
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
  'expect-instances': Flags.custom<number>({
    dependsOn: ['url'],
    description: 'Fail unless this many distinct X-Instance values answer: servers behind a balancer (with --url)',
    helpValue: '<n>',
    parse: numberIn('expect-instances', {max: 100_000, min: 1, whole: true}),
  })(),
  'expect-workers': Flags.custom<number>({
    dependsOn: ['url'],
    description:
      'Fail unless this many distinct X-Worker values answer (with --url; a webkit pool has one per worker); with X-Instance, this many on every instance',
    helpValue: '<n>',
    parse: numberIn('expect-workers', {max: MAX_WORKERS, min: 1, whole: true}),
  })(),
  'hdr-log': Flags.custom<string>({
    description: 'Also write the per-second latency histograms as an HdrHistogram interval log (what HdrHistogram tools read)',
    helpValue: '<file>',
    parse: outputFile('hdr-log'),
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
    parse: numberIn('max-p99', {max: 3_600_000, min: 0, what: 'a number of milliseconds'}),
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
    parse: numberIn('min-rps', {max: 100_000_000, min: 0}),
  })(),
  rate: Flags.custom<number>({
    char: 'r',
    description: 'Constant arrival rate in requests per second for the whole run, evenly spaced (default: as fast as answered)',
    helpValue: '<n>',
    parse: numberIn('rate', {max: 10_000_000, min: 0.1}),
  })(),
  report: Flags.custom<string>({
    description:
      'Also write the report as one self-contained HTML page (charts included; opens offline). With a --workers list, one page for every run',
    helpValue: '<file.html>',
    parse: outputFile('report'),
  })(),
  segment: Flags.custom<Segment>({
    description:
      'Run share I of a plan that N generators run together (on one machine or many): connections, --requests and --rate sends dealt out exactly; merge the reports with `load-test merge`',
    helpValue: '<I/N>',
    parse: userInput(parseSegment),
  })(),
  'start-at': Flags.custom<number>({
    description: 'Start at this wall-clock time (an ISO 8601 time, or +SECONDS from now), so generators started apart measure the same window',
    helpValue: '<time>',
    parse: userInput((input) => parseStartAt(input, Date.now())),
  })(),
  requests: Flags.custom<number>({
    char: 'n',
    description: 'Make exactly this many measured requests, then stop (instead of --duration)',
    helpValue: '<n>',
    parse: numberIn('requests', {max: 1_000_000_000, min: 1, whole: true}),
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
    parse: numberIn('threads', {max: 64, min: 1, whole: true}),
  })(),
  timeout: Flags.custom<number>({
    default: 10,
    description: 'Seconds a request may take before it counts as a timeout',
    helpValue: '<seconds>',
    parse: numberIn('timeout', {max: 3600, min: 0.001, what: 'a number of seconds'}),
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
    parse: numberIn('warmup', {max: 3600, min: 0, what: 'a number of seconds'}),
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

/** The flags as parsed, typed from their definitions above. */
export type LoadTestFlagValues = Interfaces.InferredFlags<typeof loadTestFlags>

export function toLoadTestOptions(flags: LoadTestFlagValues): LoadTestOptions {
  const source: LoadTestOptions['source'] = flags.url
    ? {
        expectStatus: parseStatusList(flags['expect-status'] ?? '2xx'),
        expectInstances: flags['expect-instances'] ?? null,
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
      segment: flags.segment ?? WHOLE,
      threads: flags.threads,
      timeoutMs: flags.timeout * 1000,
      warmupMs: Math.round(flags.warmup * 1000),
    },
    source,
    startAt: flags['start-at'],
    thresholds: {
      maxErrorRate: flags['max-error-rate'] ?? 0,
      maxP99Ms: flags['max-p99'] ?? null,
      minRps: flags['min-rps'] ?? null,
    },
  }
}

// Access and event logging for the servers, in two shapes: readable (colored on
// a terminal) and JSON lines. Access lines go to stdout, events to stderr.
import {Chalk, type ChalkInstance} from 'chalk'

import {accessFormatter, isoNow} from './access-line.js'
import {escapeControl} from './escape.js'
import {createFdSink, type LineSink} from './sink.js'

export type LogFormat = 'json' | 'text'

export interface LogOptions {
  color: boolean
  format: LogFormat
  /** No access log; events and errors are still written. */
  quiet: boolean
}

export interface AccessEntry {
  bytes: number
  method: string
  ms: number
  path: string
  status: number
  worker: string
}

type Level = 'error' | 'info' | 'warn'
type Fields = Record<string, unknown>

export interface Logger {
  access(entry: AccessEntry): void
  readonly accessEnabled: boolean
  error(message: string, fields?: Fields): void
  flush(): void
  info(message: string, fields?: Fields): void
  warn(message: string, fields?: Fields): void
}

/** Whether to color output for a stream, honouring NO_COLOR (which chalk ignores). */
export function wantsColor(stream: {isTTY?: boolean}): boolean {
  return Boolean(stream.isTTY) && !process.env.NO_COLOR
}

export function createLogger(
  options: LogOptions,
  out: LineSink = createFdSink(1),
  err: LineSink = createFdSink(2),
): Logger {
  const chalk = new Chalk({level: options.color ? 1 : 0})
  const json = options.format === 'json'
  const formatAccess = accessFormatter(options.format, options.color ? chalk : undefined)
  const event = (level: Level) => (message: string, fields?: Fields) => {
    const line = json
      ? JSON.stringify({time: isoNow(), level, msg: message, ...fields})
      : textEvent(chalk, level, message, fields)
    err.write(line + '\n')
    // Events are rare and often the last words before exit: never keep them waiting.
    err.flushSync()
  }

  return {
    access(e) {
      out.write(formatAccess(e) + '\n')
    },
    accessEnabled: !options.quiet,
    error: event('error'),
    flush() {
      out.flushSync()
      err.flushSync()
    },
    info: event('info'),
    warn: event('warn'),
  }
}

const LEVEL_STYLE = {error: 'red', info: 'blue', warn: 'yellow'} as const

function textEvent(chalk: ChalkInstance, level: Level, message: string, fields?: Fields): string {
  const extra = fields
    ? Object.entries(fields)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => ` ${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
        .join('')
    : ''
  return `${chalk.dim(isoNow())} ${chalk[LEVEL_STYLE[level]](level)} ${escapeControl(message + extra)}`
}

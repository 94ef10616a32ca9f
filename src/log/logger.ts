// Access and event logging for the servers, in two shapes: readable (colored on
// a terminal) and JSON lines. Access lines go to stdout, events to stderr.
import {Chalk, type ChalkInstance} from 'chalk'

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

// Request paths are attacker-controlled: never let them drive the terminal.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/
const CONTROL_ALL = new RegExp(CONTROL.source, 'g')
const escapeControl = (text: string) =>
  CONTROL.test(text)
    ? text.replaceAll(CONTROL_ALL, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`)
    : text

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
  const event = (level: Level) => (message: string, fields?: Fields) => {
    const line = json
      ? JSON.stringify({time: new Date().toISOString(), level, msg: message, ...fields})
      : textEvent(chalk, level, message, fields)
    err.write(line + '\n')
    // Events are rare and often the last words before exit: never keep them waiting.
    err.flushSync()
  }

  return {
    access(e) {
      out.write((json ? jsonAccess(e) : textAccess(chalk, e)) + '\n')
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

function jsonAccess(e: AccessEntry): string {
  return JSON.stringify({
    time: new Date().toISOString(),
    type: 'access',
    worker: e.worker,
    method: e.method,
    path: e.path,
    status: e.status,
    bytes: e.bytes,
    ms: Math.round(e.ms * 1000) / 1000,
  })
}

function statusColor(chalk: ChalkInstance, status: number): ChalkInstance {
  if (status >= 500) return chalk.red
  if (status >= 400) return chalk.yellow
  if (status >= 300) return chalk.cyan
  return chalk.green
}

function textAccess(chalk: ChalkInstance, e: AccessEntry): string {
  return (
    `${chalk.dim(new Date().toISOString())} ${chalk.magenta(`w${e.worker}`)} ${e.method} ` +
    `${escapeControl(e.path)} ${statusColor(chalk, e.status)(String(e.status))} ${e.bytes}B ` +
    chalk.dim(`${e.ms.toFixed(2)}ms`)
  )
}

const LEVEL_STYLE = {error: 'red', info: 'blue', warn: 'yellow'} as const

function textEvent(chalk: ChalkInstance, level: Level, message: string, fields?: Fields): string {
  const extra = fields
    ? Object.entries(fields)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => ` ${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
        .join('')
    : ''
  return `${chalk.dim(new Date().toISOString())} ${chalk[LEVEL_STYLE[level]](level)} ${escapeControl(message + extra)}`
}

// The access-log line, the one thing logged per request: every style and the
// timestamp are settled up front so a line costs little more than its string.
import type {ChalkInstance} from 'chalk'

import type {AccessEntry, LogFormat} from './logger.js'

import {escapeControl} from './escape.js'

type Style = (text: string) => string

const plain: Style = (text) => text

let second = Number.NaN
let secondPrefix = ''

/**
 * The current time as ISO 8601. Under load the millisecond changes almost every
 * line, so only the part up to the second goes through Date; the milliseconds are appended.
 */
export function isoNow(): string {
  const now = Date.now()
  const ms = now % 1000
  if (now - ms !== second) {
    second = now - ms
    // "2026-11-26T04:19:18." of "2026-11-26T04:19:18.000Z"
    secondPrefix = new Date(second).toISOString().slice(0, -4)
  }

  return secondPrefix + (ms < 10 ? '00' : ms < 100 ? '0' : '') + ms + 'Z'
}

/**
 * `ms.toFixed(2)` for a duration, without toFixed's slow path through the
 * runtime. Halves round up, where toFixed may round down a tie that binary cannot hold exactly.
 */
export function fixed2(ms: number): string {
  if (!(ms >= 0 && ms < 1e15)) return ms.toFixed(2)
  const hundredths = Math.round(ms * 100)
  const fraction = hundredths % 100
  return `${(hundredths - fraction) / 100}${fraction < 10 ? '.0' : '.'}${fraction}`
}

/** Formats access lines; `chalk` only when the text is to be colored. */
export function accessFormatter(format: LogFormat, chalk?: ChalkInstance): (e: AccessEntry) => string {
  if (format === 'json') return jsonAccess
  const [dim, worker, ok, redirect, clientError, serverError] = chalk
    ? [chalk.dim, chalk.magenta, chalk.green, chalk.cyan, chalk.yellow, chalk.red]
    : [plain, plain, plain, plain, plain, plain]
  const statusStyle = (status: number) =>
    status >= 500 ? serverError : status >= 400 ? clientError : status >= 300 ? redirect : ok
  return (e) =>
    `${dim(isoNow())} ${worker(`w${e.worker}`)} ${e.method} ${escapeControl(e.path)} ` +
    `${statusStyle(e.status)(String(e.status))} ${e.bytes}B ${dim(`${fixed2(e.ms)}ms`)}`
}

function jsonAccess(e: AccessEntry): string {
  return JSON.stringify({
    time: isoNow(),
    type: 'access',
    worker: e.worker,
    method: e.method,
    path: e.path,
    status: e.status,
    bytes: e.bytes,
    ms: Math.round(e.ms * 1000) / 1000,
  })
}

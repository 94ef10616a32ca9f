// The access-log line, the one thing logged per request: every style and the
// timestamp are settled up front so a line costs little more than its string.
import type {ChalkInstance} from 'chalk'

import type {AccessEntry, LogFormat} from './logger.js'

import {escapeControl} from './escape.js'

type Style = (text: string) => string

const plain: Style = (text) => text

let isoMs = Number.NaN
let iso = ''

/** The current time as ISO 8601, formatted once per millisecond however many lines share it. */
export function isoNow(): string {
  const ms = Date.now()
  if (ms !== isoMs) {
    isoMs = ms
    iso = new Date(ms).toISOString()
  }

  return iso
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
    `${statusStyle(e.status)(String(e.status))} ${e.bytes}B ${dim(`${e.ms.toFixed(2)}ms`)}`
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

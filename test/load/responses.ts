// A seeded generator of HTTP/1.1 responses for the framer's differential test:
// valid ones of every framing, edge cases, and malformed ones made by
// mutating valid ones, each split into pieces as a network would split them.
import {seededRandom} from '../../src/load/bootstrap.js'

/** The same seeded generator the bootstrap uses: the same numbers on every machine. */
export const random = seededRandom

export interface GeneratedResponse {
  /** The response's bytes, latin1. */
  bytes: string
  /** Whether it answers a HEAD request. */
  head: boolean
  /** Where the bytes are cut into separate writes. */
  cuts: number[]
}

export interface ResponseCase {
  id: number
  /** What was done to it, for a failure's message. */
  notes: string[]
  /** The answers to successive requests on one connection (a new one after a close). */
  responses: GeneratedResponse[]
}

type Rng = () => number
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]
const int = (rng: Rng, min: number, max: number) => min + Math.floor(rng() * (max - min + 1))
const chance = (rng: Rng, p: number) => rng() < p

const STATUSES = [200, 200, 200, 201, 204, 206, 301, 302, 304, 400, 404, 404, 418, 500, 503, 299, 599, 600, 999] as const
const REASONS = ['OK', 'Not Found', '', 'A reason  with\tspaces', 'obs-text \u00e9', 'x'] as const
const NAMES = ['X-Worker', 'x-worker', 'Content-Type', 'content-type', 'Server', 'Date', 'Cache-Control', 'Set-Cookie', 'X-A', 'Vary', 'ETag', 'Keep-Alive', 'X-Weird!#$%&\'*+-.^_`|~'] as const
const VALUES = ['1', 'text/html; charset=utf-8', 'webkit', 'no-cache', 'a=b; Path=/', '"abc"', 'Tue, 01 Dec 2026 09:00:00 GMT', '', 'x y  z', '\u00ff\u00fe', 'a,b, c'] as const
const BODY_PIECES = ['hello', '\r\n', 'HTTP/1.1 200 OK\r\n', '0\r\n\r\n', 'x', '\u0000\u00ff', ' ', 'Content-Length: 5\r\n'] as const
const HOSTILE_BYTES = ['\u0000', '\r', '\n', ' ', '\t', ':', 'x', '0', '9', 'f', '\u007f', '\u00ff', ';', '"', ',', '=', '\u0001', '/'] as const

function body(rng: Rng, max: number): string {
  let text = ''
  const target = int(rng, 0, max)
  while (text.length < target) text += pick(rng, BODY_PIECES)
  return text.slice(0, target)
}

function fieldLine(rng: Rng, name: string, value: string): string {
  const ows = () => pick(rng, ['', '', ' ', ' ', '  ', '\t', ' \t'])
  return `${name}:${ows()}${value}${chance(rng, 0.2) ? ows() : ''}\r\n`
}

function chunkedBody(rng: Rng, notes: string[]): string {
  let text = ''
  for (let n = int(rng, 0, 4); n > 0; n--) {
    const data = body(rng, 40) || 'z'
    let size = data.length.toString(16)
    if (chance(rng, 0.2)) size = size.toUpperCase()
    if (chance(rng, 0.1)) size = '00' + size
    const ext = chance(rng, 0.15) ? pick(rng, [';a', ';a=b', ';a="q ; \\" x"', ';a=1;b=2']) : ''
    text += `${size}${ext}\r\n${data}\r\n`
  }

  text += chance(rng, 0.1) ? '0;last=1\r\n' : '0\r\n'
  if (chance(rng, 0.2)) {
    notes.push('trailers')
    text += fieldLine(rng, 'X-Trailer', pick(rng, VALUES))
  }

  return text + '\r\n'
}

/** One valid response; `last`: it may be delimited by the close. */
function validResponse(rng: Rng, last: boolean, notes: string[]): {bytes: string; head: boolean} {
  const head = chance(rng, 0.1)
  const http10 = chance(rng, 0.15)
  const status = pick(rng, STATUSES)
  const reason = pick(rng, REASONS)
  let text = ''
  if (chance(rng, 0.1)) {
    notes.push('interim')
    text += chance(rng, 0.5) ? 'HTTP/1.1 100 Continue\r\n\r\n' : 'HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n'
  }

  text += `HTTP/1.${http10 ? 0 : 1} ${status}${reason === '' && chance(rng, 0.5) ? '' : ' ' + reason}\r\n`
  for (let n = int(rng, 0, 6); n > 0; n--) text += fieldLine(rng, pick(rng, NAMES), pick(rng, VALUES))
  if (chance(rng, 0.2)) text += fieldLine(rng, pick(rng, ['Connection', 'connection']), pick(rng, ['close', 'keep-alive', 'Keep-Alive', 'upgrade, close', 'closed']))

  const noBody = head || status === 204 || status === 304
  const framing = noBody ? pick(rng, ['none', 'length']) : pick(rng, last ? ['length', 'length', 'chunked', 'close'] : ['length', 'length', 'chunked'])
  if (framing === 'length') {
    const data = noBody ? '' : body(rng, 60)
    const length = noBody && chance(rng, 0.5) ? int(rng, 1, 99) : data.length
    text += fieldLine(rng, pick(rng, ['Content-Length', 'content-length']), String(length)) + '\r\n' + data
  } else if (framing === 'chunked') {
    const coding = pick(rng, ['chunked', 'chunked', 'Chunked', 'gzip, chunked', ' , chunked'])
    text += fieldLine(rng, 'Transfer-Encoding', coding) + '\r\n' + chunkedBody(rng, notes)
  } else {
    if (framing === 'close') notes.push('close-delimited')
    text += '\r\n' + (framing === 'close' ? body(rng, 60) : '')
  }

  return {bytes: text, head}
}

/** Breaks a response in one of the ways servers (and attackers) do. */
function mutate(rng: Rng, bytes: string, notes: string[]): string {
  const headEnd = Math.max(0, bytes.lastIndexOf('\r\n\r\n', bytes.indexOf('\r\n\r\n') + 4))
  const inHead = () => int(rng, 0, Math.max(0, headEnd))
  const anywhere = () => int(rng, 0, Math.max(0, bytes.length - 1))
  const how = pick(rng, [
    'replace',
    'replace',
    'insert',
    'delete',
    'status',
    'length',
    'duplicate-length',
    'both-framings',
    'chunk-size',
    'chunk-end',
    'truncate',
    'fold',
    'lf-only',
    'version',
    'anywhere',
    'huge-head',
  ])
  notes.push(`mutated: ${how}`)
  switch (how) {
    case 'replace': {
      const at = inHead()
      return bytes.slice(0, at) + pick(rng, HOSTILE_BYTES) + bytes.slice(at + 1)
    }

    case 'insert': {
      const at = inHead()
      return bytes.slice(0, at) + pick(rng, HOSTILE_BYTES) + bytes.slice(at)
    }

    case 'delete': {
      const at = inHead()
      return bytes.slice(0, at) + bytes.slice(at + 1)
    }

    case 'status': {
      return bytes.replace(/^(HTTP\/1\.\d )\d{3}/m, (_m, v: string) => v + pick(rng, ['2000', '20', '200x', '2x0', '099', '000', ' 200', '-20', '1000']))
    }

    case 'length': {
      return bytes.replace(/(content-length:[ \t]*)\d+/i, (_m, name: string) => name + pick(rng, ['+5', '-1', '5 5', '5,5', '0x5', '', '99999999999999999999', '1', '1000']))
    }

    case 'duplicate-length': {
      return bytes.replace(/\r\n\r\n/, `\r\nContent-Length: ${pick(rng, ['0', '5', '7'])}\r\n\r\n`)
    }

    case 'both-framings': {
      return bytes.replace(/\r\n\r\n/, pick(rng, ['\r\nTransfer-Encoding: chunked\r\n\r\n', '\r\nContent-Length: 3\r\n\r\n']))
    }

    case 'chunk-size': {
      return bytes.replace(/\r\n\r\n([0-9a-fA-F]+)/, (_m, size: string) => '\r\n\r\n' + pick(rng, [size + 'zz', size + ' ', ' ' + size, '0x' + size, size + ';', size + '; a=b', 'fffffffffffffffff', size + ';a="open']))
    }

    case 'chunk-end': {
      return bytes.replace(/(\r\n[0-9a-fA-F]+\r\n[^\r]*)\r\n/, (_m, chunk: string) => chunk + pick(rng, ['\r\r\r\r\r\n', '\n', 'XX', '\r', '']))
    }

    case 'truncate': {
      return bytes.slice(0, anywhere())
    }

    case 'fold': {
      notes.push('obs-fold')
      const line = bytes.indexOf('\r\n') + 2
      const next = bytes.indexOf('\r\n', line)
      if (next < 0 || next >= headEnd - 2) return bytes
      return bytes.slice(0, next) + '\r\n' + pick(rng, [' ', '\t', '  ']) + 'folded' + bytes.slice(next)
    }

    case 'lf-only': {
      return bytes.slice(0, headEnd).replaceAll('\r\n', '\n') + bytes.slice(headEnd)
    }

    case 'version': {
      return bytes.replace(/^HTTP\/1\.\d/m, pick(rng, ['HTTP/1.2', 'HTTP/2.0', 'HTTP/0.9', 'http/1.1', 'HTTP/1.', 'HTTP/11', 'HTTP/1.1 ']))
    }

    case 'anywhere': {
      const at = anywhere()
      return bytes.slice(0, at) + pick(rng, HOSTILE_BYTES) + bytes.slice(at + 1)
    }

    default: {
      const size = pick(rng, [20_000, 70_000])
      notes.push(`a header of ${size} bytes`)
      return bytes.replace(/\r\n\r\n/, `\r\nX-Big: ${'b'.repeat(size)}\r\n\r\n`)
    }
  }
}

function cutsFor(rng: Rng, length: number): number[] {
  if (length < 2) return []
  if (length < 200 && chance(rng, 0.05)) return Array.from({length: length - 1}, (_, i) => i + 1)
  const cuts = new Set<number>()
  for (let n = int(rng, 0, 3); n > 0; n--) cuts.add(int(rng, 1, length - 1))
  return [...cuts].sort((a, b) => a - b)
}

export function generateCases(seed: number, count: number): ResponseCase[] {
  const rng = random(seed)
  return Array.from({length: count}, (_, id) => {
    const notes: string[] = []
    const n = int(rng, 1, 3)
    const malformed = chance(rng, 0.45)
    const bad = malformed ? int(rng, 0, n - 1) : -1
    const responses: GeneratedResponse[] = []
    for (let i = 0; i < n; i++) {
      // A server repeats itself: the same head again, byte for byte, then perhaps broken.
      const previous = responses.at(-1)
      const repeat = previous !== undefined && chance(rng, 0.25)
      if (repeat) notes.push('repeated')
      const made = repeat ? {bytes: previous.bytes, head: previous.head} : validResponse(rng, i === n - 1, notes)
      const bytes = i === bad ? mutate(rng, made.bytes, notes) : made.bytes
      responses.push({bytes, cuts: cutsFor(rng, bytes.length), head: made.head})
    }

    return {id, notes, responses}
  })
}

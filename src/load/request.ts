// Each request is serialized once into the exact bytes sent on the wire; the
// engine replays the same Buffer for every send.
import type {RequestSpec} from './plan.js'

const USER_AGENT = 'webkit-load-test'

/** Header names the engine writes itself; a user's value for one of these replaces it. */
const OWN = new Set(['host', 'user-agent', 'content-length'])

// Header names and values go on the wire verbatim: a CR or LF would smuggle a second request.
const UNSAFE = /[\r\n\0]/

export function serializeRequest(spec: RequestSpec, host: string): Buffer {
  const body = spec.body === undefined ? undefined : Buffer.from(spec.body, 'utf8')
  const lines = [`${spec.method} ${spec.path} HTTP/1.1`]
  const given = new Map(Object.entries(spec.headers).map(([name, value]) => [name.toLowerCase(), [name, value]]))
  lines.push(`Host: ${given.get('host')?.[1] ?? host}`, `User-Agent: ${given.get('user-agent')?.[1] ?? USER_AGENT}`)
  for (const [lower, [name, value]] of given) if (!OWN.has(lower)) lines.push(`${name}: ${value}`)
  if (body) lines.push(`Content-Length: ${body.length}`)
  for (const line of lines) {
    if (UNSAFE.test(line)) throw new Error(`a request line or header contains a line break: ${JSON.stringify(line)}`)
  }

  const head = Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1')
  return body ? Buffer.concat([head, body]) : head
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/
// Printable Latin-1 and tabs: what a header value may hold on the wire.
const FIELD_VALUE = /^[\t\u0020-\u007E\u0080-\u00FF]*$/

/** Parses a "Name: value" header as given on the command line. */
export function parseHeaderLine(line: string): [name: string, value: string] {
  const colon = line.indexOf(':')
  const name = colon === -1 ? '' : line.slice(0, colon).trim()
  const value = colon === -1 ? '' : line.slice(colon + 1).trim()
  if (!TOKEN.test(name) || !FIELD_VALUE.test(value)) {
    throw new Error(`--header "${line}" must look like "Name: value", with a name of letters, digits and dashes and a printable value`)
  }

  return [name, value]
}

/** A request method as given on the command line: a token, sent as typed (methods are case-sensitive). */
export function parseMethod(method: string): string {
  if (!TOKEN.test(method)) throw new Error(`--method "${method}" is not an HTTP method name such as GET or POST`)
  return method
}

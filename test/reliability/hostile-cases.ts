// Malformed and hostile requests, as data: what is sent and which answers are
// acceptable. Every case also has to meet the rules hostile.test.ts applies to
// all of them: no 5xx, an end within the bound, no crash, no leaked descriptor.
export interface Target {
  kind: 'color' | 'image'
  /** A path that serves the app's main document. */
  path: string
  /** A path whose handler reads the query string, if the app has one. */
  queryPath: string
}

export interface HostileCase {
  /** Acceptable statuses for every answer; [] when closing without one is the only right reply. */
  expect: number[]
  /** Also acceptable: the server closes without answering (e.g. CONNECT, which it does not serve). */
  mayCloseSilently?: boolean
  name: string
  /** Text that must never appear in the reply (echoed input, file contents). */
  never?: string[]
  /** The reply may not exceed twice the normal document plus 16 KB: no amplification. */
  bounded?: boolean
  /** Exactly this many answers (default: at most one). */
  responses?: number
  /** Per-app expectations, where the apps rightly differ (Range on an image, not on a form). */
  when?: Partial<Record<Target['kind'], number[]>>
  send(target: Target): Buffer | string
}

const CRLF = '\r\n'
/** A request head from its lines; `Connection: close` so a server that answers also ends the exchange. */
const head = (...lines: string[]) => [...lines, 'Connection: close', '', ''].join(CRLF)
const get = (path: string, ...headers: string[]) => head(`GET ${path} HTTP/1.1`, 'Host: 127.0.0.1', ...headers)
/**
 * A keep-alive request with a body, then a second request: a server that frames
 * the body differently from its parser's rules would answer twice (smuggling).
 * The only safe replies are one answer and a close.
 */
const smuggle = (t: Target, headers: string[], body: string) =>
  [`GET ${t.path} HTTP/1.1`, 'Host: 127.0.0.1', ...headers, '', ''].join(CRLF) + body + get('/smuggled')

const KB100 = 'a'.repeat(100 * 1024)
const SCRIPT = '<script>alert(1)</script>'
const PASSWD = ['root:x:0:0', 'root:*:0:0']
const thousandRanges = Array.from({length: 1000}, (_, i) => `${i * 2}-${i * 2}`).join(',')

export const hostileCases: HostileCase[] = [
  // The request line
  {expect: [400], name: 'no Host header', send: (t) => head(`GET ${t.path} HTTP/1.1`)},
  {expect: [400], name: 'garbage request line (TLS handshake bytes)', send: () => Buffer.from('16030100a5010000a10303', 'hex')},
  {expect: [400], name: 'request line of three spaces', send: () => head('   ', 'Host: 127.0.0.1')},
  {expect: [400], name: 'HTTP/0.9 request line without a version', send: (t) => `GET ${t.path}\r\n\r\n`},
  {expect: [400], name: 'bad version HTTP/9.9', send: (t) => head(`GET ${t.path} HTTP/9.9`, 'Host: 127.0.0.1')},
  {expect: [400], name: 'version HTTP/1.1.1', send: (t) => head(`GET ${t.path} HTTP/1.1.1`, 'Host: 127.0.0.1')},
  {expect: [400], name: 'lowercase method', send: (t) => head(`get ${t.path} HTTP/1.1`, 'Host: 127.0.0.1')},
  {expect: [400], name: '5,000-character method', send: (t) => head(`${'A'.repeat(5000)} ${t.path} HTTP/1.1`, 'Host: 127.0.0.1')},
  {expect: [400, 405, 501], name: 'unknown method', send: (t) => head(`BREW ${t.path} HTTP/1.1`, 'Host: 127.0.0.1')},
  {expect: [400, 405], mayCloseSilently: true, name: 'CONNECT', send: () => head('CONNECT 127.0.0.1:22 HTTP/1.1', 'Host: 127.0.0.1:22')},
  {expect: [405], name: 'TRACE', never: ['X-Secret'], send: (t) => get(t.path, 'X-Secret: s3cr3t').replace('GET', 'TRACE')},
  // RFC 9110 §9.3.7: a question about the server as a whole, answered as a server of GET and HEAD.
  {expect: [200], name: 'OPTIONS *', send: () => head('OPTIONS * HTTP/1.1', 'Host: 127.0.0.1')},
  {expect: [405], name: 'POST with a 1 MB body', send: (t) => head(`POST ${t.path} HTTP/1.1`, 'Host: 127.0.0.1', `Content-Length: ${1024 * 1024}`) + 'x'.repeat(1024 * 1024)},
  // Bytes that must never appear in a request
  {expect: [400], name: 'NUL in the path', send: () => get('/\0')},
  {expect: [400], name: 'NUL in a header value', send: (t) => get(t.path, 'X-A: a\0b')},
  {expect: [400], name: 'control character in the path', send: () => get('/\u0001x')},
  {expect: [400], name: 'control characters in a header value', send: (t) => get(t.path, 'X-A: a\u0001\u001b[31mb')},
  {expect: [400], name: 'bare CR inside a header line', send: (t) => get(t.path, 'X-A: a\rInjected: b')},
  {expect: [400], name: 'invalid header name (space)', send: (t) => get(t.path, 'Bad Name: x')},
  {expect: [400], name: 'invalid header name (brackets and quotes)', send: (t) => get(t.path, '<x>"y": z')},
  {expect: [400], name: 'empty header name', send: (t) => get(t.path, ': no-name')},
  {expect: [400], name: 'space before the colon', send: (t) => get(t.path, 'Host : evil.example')},
  {expect: [400], name: 'obs-fold continuation line', send: (t) => get(t.path, 'X-A: a', ' folded')},
  {expect: [200, 400], name: 'bare LF line endings', send: (t) => `GET ${t.path} HTTP/1.1\nHost: 127.0.0.1\nConnection: close\n\n`},
  // Sizes
  {expect: [431], name: '100 KB header value', send: (t) => get(t.path, `X-Big: ${KB100}`)},
  {expect: [414, 431], name: '100 KB URL', send: () => get(`/${KB100}`)},
  {expect: [431], name: '5,000 headers', send: (t) => get(t.path, ...Array.from({length: 5000}, (_, i) => `X-H${i}: ${i}`))},
  {expect: [200, 431], name: '2,500 tiny headers under the size limit', send: (t) => get(t.path, ...Array.from({length: 2500}, () => 'a:b'))},
  // Body framing (request smuggling)
  {expect: [400], name: 'Content-Length with Transfer-Encoding', send: (t) => smuggle(t, ['Content-Length: 4', 'Transfer-Encoding: chunked'], '0\r\n\r\n')},
  {expect: [400], name: 'two different Content-Lengths', send: (t) => smuggle(t, ['Content-Length: 1', 'Content-Length: 2'], 'xx')},
  {expect: [400], name: 'Content-Length list "1, 2"', send: (t) => smuggle(t, ['Content-Length: 1, 2'], 'xx')},
  {expect: [400], name: 'negative Content-Length', send: (t) => smuggle(t, ['Content-Length: -1'], '')},
  {expect: [400], name: 'Content-Length beyond 2^64', send: (t) => smuggle(t, ['Content-Length: 99999999999999999999999'], '')},
  {expect: [400], name: 'Content-Length not a number', send: (t) => smuggle(t, ['Content-Length: 1e3'], '')},
  // The head is valid, so the server may answer before it reads the broken body; it must then close.
  {expect: [200, 400], name: 'chunk size not hex', send: (t) => smuggle(t, ['Transfer-Encoding: chunked'], 'zz\r\nhello\r\n0\r\n\r\n')},
  {expect: [200, 400], name: 'chunk size overflowing 64 bits', send: (t) => smuggle(t, ['Transfer-Encoding: chunked'], 'fffffffffffffffffff\r\nx\r\n0\r\n\r\n')},
  {expect: [200, 400], name: 'negative chunk size', send: (t) => smuggle(t, ['Transfer-Encoding: chunked'], '-1\r\nx\r\n0\r\n\r\n')},
  {expect: [400], name: 'Transfer-Encoding not ending in chunked', send: (t) => smuggle(t, ['Transfer-Encoding: chunked, gzip'], '0\r\n\r\n')},
  {expect: [400], name: 'Transfer-Encoding twice, once obfuscated', send: (t) => smuggle(t, ['Transfer-Encoding: chunked', 'Transfer-Encoding: x'], '0\r\n\r\n')},
  // URLs
  {expect: [400, 404], name: 'invalid percent-encoding in the path', send: () => get('/%zz%')},
  {expect: [400, 404], name: 'invalid percent-encoding in the query', send: (t) => get(`${t.queryPath}?color=%zz%&x=%`), when: {image: [200]}},
  {expect: [400, 404], name: 'invalid UTF-8 in the query', send: (t) => get(`${t.queryPath}?color=%C3%28%FF%FE%ED%A0%80`), when: {image: [200]}},
  {expect: [400], name: 'raw bytes above 0x7F in the path', send: () => Buffer.from(get('/\u00ff\u00fe'), 'latin1')},
  {expect: [400, 404], name: 'absolute-form URL for another host', send: () => get('http://evil.example/etc/passwd')},
  {expect: [400], name: 'Host header that is not a host', send: (t) => head(`GET ${t.path} HTTP/1.1`, 'Host: a b/c?d')},
  {expect: [400], name: 'two Host headers', send: (t) => head(`GET ${t.path} HTTP/1.1`, 'Host: 127.0.0.1', 'Host: evil.example')},
  // Path traversal
  {expect: [400, 404], name: 'traversal ../../etc/passwd', never: PASSWD, send: () => get('/../../../../etc/passwd')},
  {expect: [400, 404], name: 'traversal %2e%2e%2f', never: PASSWD, send: () => get('/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd')},
  {expect: [400, 404], name: 'traversal double-encoded %252e%252e', never: PASSWD, send: () => get('/%252e%252e%252f%252e%252e%252fetc%252fpasswd')},
  {expect: [400, 404], name: 'traversal with backslashes', never: PASSWD, send: () => get('/..%5c..%5c..%5cetc%5cpasswd')},
  {expect: [400, 404], name: 'traversal with an encoded NUL', never: PASSWD, send: () => get('/..%00/..%00/etc/passwd%00.jpg')},
  {expect: [400, 404], name: 'traversal with overlong UTF-8 dots', never: PASSWD, send: () => get('/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd')},
  {expect: [400, 404], name: 'absolute path after a double slash', never: PASSWD, send: () => get('//etc/passwd')},
  {expect: [400, 404], name: "traversal from the document's own path", never: PASSWD, send: (t) => get(`${t.path}/../../../../etc/passwd`)},
  {expect: [400, 404], name: "encoded NUL after the document's name", send: (t) => get(`${t.path}%00.html`)},
  {expect: [400, 404], name: 'encoded slash in a parent segment', never: PASSWD, send: (t) => get(`/..%2f..%2f${t.path.slice(1)}`)},
  // Script injection
  {expect: [404], name: 'script in the path', never: [SCRIPT], send: () => get(`/${SCRIPT}`)},
  {expect: [404], name: 'percent-encoded script in the path', never: [SCRIPT], send: () => get(`/${encodeURIComponent(SCRIPT)}`)},
  {expect: [404], name: 'script in the query', never: [SCRIPT], send: (t) => get(`${t.queryPath}?color=${encodeURIComponent(SCRIPT)}`), when: {image: [200]}},
  // Ranges and conditional requests
  {bounded: true, expect: [200], name: 'huge Range header', send: (t) => get(t.path, `Range: bytes=${'0-1,'.repeat(3000)}0-1`), when: {image: [200, 206, 416]}},
  {bounded: true, expect: [200], name: 'thousand-part Range', send: (t) => get(t.path, `Range: bytes=${thousandRanges}`), when: {image: [200, 206, 416]}},
  {bounded: true, expect: [200], name: 'thousand overlapping whole-document Ranges', send: (t) => get(t.path, `Range: bytes=${'0-,'.repeat(999)}0-`), when: {image: [200, 206, 416]}},
  {bounded: true, expect: [200], name: 'Range of garbage', send: (t) => get(t.path, 'Range: bytes=-0,zz-,--,1-0'), when: {image: [200, 416]}},
  {bounded: true, expect: [200], name: 'Range beyond 2^64', send: (t) => get(t.path, 'Range: bytes=99999999999999999999999-'), when: {image: [200, 416]}},
  {expect: [200], name: 'garbage If-None-Match', send: (t) => get(t.path, 'If-None-Match: "unterminated, W/, ,,,*"x')},
  {expect: [200], name: 'garbage If-Modified-Since', send: (t) => get(t.path, 'If-Modified-Since: Sat, 99 Foo 99999 99:99:99 GMT')},
  {expect: [200], name: 'If-Modified-Since out of the date range', send: (t) => get(t.path, 'If-Modified-Since: Tue, 01 Jan 275761 00:00:00 GMT')},
  {expect: [200], name: 'garbage If-Range with a Range', send: (t) => get(t.path, 'If-Range: W/garbage"', 'Range: bytes=0-0')},
  // RFC 9110 §13.1.1: an If-Match that is not a list of tags does not hold, so the image answers 412.
  {expect: [200], name: 'garbage If-Match', send: (t) => get(t.path, 'If-Match: "unterminated, W/, ,,,*"x'), when: {image: [412]}},
  {expect: [200], name: 'garbage If-Unmodified-Since', send: (t) => get(t.path, 'If-Unmodified-Since: Sat, 99 Foo 99999 99:99:99 GMT')},
  {expect: [200, 417], name: 'unknown Expect', send: (t) => get(t.path, 'Expect: the-unexpected')},
  // Many requests at once
  {
    expect: [200],
    name: '100 pipelined requests in one write',
    responses: 100,
    send: (t) => `GET ${t.path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`.repeat(99) + get(t.path),
  },
]

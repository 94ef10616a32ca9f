// A response computed once and replayed for every request. Handing node-server a
// Uint8Array body and a plain header object keeps it on its fast path (one
// writeHead and one end), and HEAD keeps Content-Length because it is explicit.
export type HeaderRecord = Record<string, string>

export interface PreparedResponse {
  readonly body: Uint8Array<ArrayBuffer>
  readonly headers: Readonly<HeaderRecord>
  readonly status: number
}

const encoder = new TextEncoder()

/** Headers every webkit response carries, whatever the app. */
export const BASE_HEADERS: Readonly<HeaderRecord> = Object.freeze({
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
})

export function prepare(status: number, body: string | Uint8Array<ArrayBuffer>, headers: HeaderRecord): PreparedResponse {
  const bytes = typeof body === 'string' ? encoder.encode(body) : body
  return Object.freeze({
    body: bytes,
    headers: Object.freeze({...BASE_HEADERS, ...headers, 'Content-Length': String(bytes.byteLength)}),
    status,
  })
}

/** A fresh Response for one request; the bytes and headers are shared, never copied. */
export function toResponse(prepared: PreparedResponse): Response {
  return new Response(prepared.body as Uint8Array<ArrayBuffer>, {headers: prepared.headers as HeaderRecord, status: prepared.status})
}

export const HTML_TYPE = 'text/html; charset=utf-8'

/** The only methods webkit's servers answer, as an Allow header says them; everything else is 405. */
export const ALLOWED_METHODS = 'GET, HEAD'

export function methodNotAllowed(): PreparedResponse {
  return prepare(405, 'Method Not Allowed\n', {
    Allow: ALLOWED_METHODS,
    'Content-Security-Policy': "default-src 'none'",
    'Content-Type': 'text/plain; charset=utf-8',
  })
}

/** Whether `method` is one of ALLOWED_METHODS. */
export function isReadMethod(method: string): boolean {
  return method === 'GET' || method === 'HEAD'
}

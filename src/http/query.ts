// Query parsing that never throws: malformed percent-encoding and invalid UTF-8
// decode leniently (WHATWG rules) instead of failing the request.

/** The first value of `key` in the URL's query, or undefined. */
export function firstQueryValue(url: string, key: string): string | undefined {
  const start = url.indexOf('?')
  if (start === -1) return undefined
  const hash = url.indexOf('#', start)
  const query = hash === -1 ? url.slice(start + 1) : url.slice(start + 1, hash)
  return new URLSearchParams(query).get(key) ?? undefined
}

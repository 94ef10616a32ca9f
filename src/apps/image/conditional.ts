// Conditional requests (RFC 9110 §13): If-None-Match, If-Modified-Since and
// If-Range, judged against the file's validators. Every header here comes from
// the client, so parsing never throws: a value that cannot be read is ignored.

export interface Validators {
  /** A strong entity tag, quotes included: "abc". */
  etag: string
  /** Last-Modified as an HTTP-date. */
  lastModified: string
  /** The modification time in whole seconds since the epoch (HTTP-dates have no finer grain). */
  modifiedSeconds: number
}

/** Longer than any HTTP-date in any of its three formats: don't bother parsing. */
const MAX_DATE_LENGTH = 40
const HTTP_DATE =
  /^(?:[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT|[A-Z][a-z]+, \d{2}-[A-Z][a-z]{2}-\d{2} \d{2}:\d{2}:\d{2} GMT|[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} \d{4})$/

/**
 * Seconds since the epoch of an HTTP-date (IMF-fixdate, RFC 850 or asctime), or
 * undefined for anything else.
 */
export function parseHttpDate(value: string | undefined): number | undefined {
  if (value === undefined || value.length > MAX_DATE_LENGTH) return undefined
  const text = value.trim()
  if (!HTTP_DATE.test(text)) return undefined
  // asctime has no zone; HTTP-dates are always UTC.
  const ms = Date.parse(text.endsWith('GMT') ? text : `${text} GMT`)
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000)
}

export function httpDate(seconds: number): string {
  return new Date(seconds * 1000).toUTCString()
}

/** The opaque tags of an If-None-Match / If-Match list, weakness dropped; `*` stays `*`. */
export function parseEntityTags(value: string): string[] | undefined {
  if (value.trim() === '*') return ['*']
  const tags: string[] = []
  // W/ is case-sensitive; an entity tag is quoted and holds no quote.
  const item = /\s*(?:W\/)?("[^"]*")\s*(?:,|$)/y
  while (item.lastIndex < value.length) {
    const match = item.exec(value)
    if (!match) return undefined
    tags.push(match[1])
  }

  return tags
}

/** If-None-Match with weak comparison: does any listed tag (or `*`) match? */
export function noneMatchHits(header: string, etag: string): boolean {
  const tags = parseEntityTags(header)
  return tags !== undefined && tags.some((tag) => tag === '*' || tag === etag)
}

/**
 * Whether a GET or HEAD can be answered 304 Not Modified. If-None-Match wins
 * over If-Modified-Since when both are present; a malformed date is ignored.
 */
export function isNotModified(
  ifNoneMatch: string | undefined,
  ifModifiedSince: string | undefined,
  validators: Validators,
): boolean {
  if (ifNoneMatch !== undefined) return noneMatchHits(ifNoneMatch, validators.etag)
  const since = parseHttpDate(ifModifiedSince)
  return since !== undefined && validators.modifiedSeconds <= since
}

/**
 * Whether a Range may be honoured under If-Range: only when the validator is
 * the current one, compared strongly (a weak tag never matches). No If-Range: yes.
 */
export function ifRangeAllows(ifRange: string | undefined, validators: Validators): boolean {
  if (ifRange === undefined) return true
  const value = ifRange.trim()
  if (value.startsWith('"')) return value === validators.etag
  if (value.startsWith('W/')) return false
  // A date validates only when it is exactly the Last-Modified we send.
  const seconds = parseHttpDate(value)
  return seconds !== undefined && seconds === validators.modifiedSeconds
}

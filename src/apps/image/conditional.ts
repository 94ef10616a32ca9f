// Conditional requests (RFC 9110 §13): If-Match, If-Unmodified-Since,
// If-None-Match, If-Modified-Since and If-Range, judged against the file's
// validators. Every field here comes from the client, so parsing never throws:
// a value that cannot be read counts as the RFC says for that field.

export interface Validators {
  /** A strong entity tag, quotes included ("abc"); absent until the file's bytes are hashed. */
  etag?: string
  /** Last-Modified as an HTTP-date. */
  lastModified: string
  /** The modification time in whole seconds since the epoch (HTTP-dates have no finer grain). */
  modifiedSeconds: number
}

/** The precondition fields of a request (RFC 9110 §13.1), as received. */
export interface Preconditions {
  ifMatch?: string
  ifModifiedSince?: string
  ifNoneMatch?: string
  ifUnmodifiedSince?: string
}

/** Longer than any HTTP-date in any of its three formats: don't bother parsing. */
const MAX_DATE_LENGTH = 40
const HTTP_DATE =
  /^(?:[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT|[A-Z][a-z]+, \d{2}-[A-Z][a-z]{2}-\d{2} \d{2}:\d{2}:\d{2} GMT|[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} \d{4})$/

/**
 * Seconds since the epoch of an HTTP-date (IMF-fixdate, RFC 850 or asctime), or
 * undefined for anything else, a list of dates included.
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

export interface EntityTag {
  /** The quoted tag, quotes included. */
  opaque: string
  weak: boolean
}

/** `*`, or a list of entity tags (possibly empty). */
export type EntityTagList = '*' | EntityTag[]

const SPACE = /[ \t]*/y
// entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE, etagc = %x21 / %x23-7E / obs-text (RFC 9110 §8.8.3); W/ is case-sensitive.
const ENTITY_TAG = /(W\/)?("[\x21\x23-\x7E\x80-\xFF]*")/y
const STAR = /^[ \t]*\*[ \t]*$/

/**
 * The field value of If-Match or If-None-Match (`"*" / #entity-tag`), or
 * undefined when it is neither. As the list rule says (RFC 9110 §5.6.1),
 * empty elements and whitespace around commas are accepted and ignored.
 */
export function parseEntityTags(value: string): EntityTagList | undefined {
  if (STAR.test(value)) return '*'
  const tags: EntityTag[] = []
  let at = 0
  const skipSpace = () => {
    SPACE.lastIndex = at
    SPACE.exec(value)
    at = SPACE.lastIndex
  }

  for (;;) {
    skipSpace()
    if (at === value.length) return tags
    if (value[at] !== ',') {
      ENTITY_TAG.lastIndex = at
      const match = ENTITY_TAG.exec(value)
      if (!match) return undefined
      tags.push({opaque: match[2], weak: match[1] !== undefined})
      at = ENTITY_TAG.lastIndex
      skipSpace()
      if (at === value.length) return tags
      if (value[at] !== ',') return undefined
    }

    at++
  }
}

/** Strong comparison (RFC 9110 §8.8.3.2): both tags strong and the same. Ours are always strong. */
function strongMatch(tag: EntityTag, etag: string | undefined): boolean {
  return !tag.weak && tag.opaque === etag
}

/** Weak comparison: the same opaque tag, weak or not. */
function weakMatch(tag: EntityTag, etag: string | undefined): boolean {
  return tag.opaque === etag
}

/**
 * If-Match (RFC 9110 §13.1.1): `*` holds, as the file exists; a list holds when
 * a tag matches strongly; anything else does not hold. A file not yet tagged
 * matches no tag.
 */
export function ifMatchHolds(value: string, etag: string | undefined): boolean {
  const tags = parseEntityTags(value)
  if (tags === '*') return true
  return tags !== undefined && tags.some((tag) => strongMatch(tag, etag))
}

/**
 * If-None-Match (RFC 9110 §13.1.2): false for `*` (the file exists) and for a
 * list with a tag that matches weakly; true otherwise, a value that cannot be
 * read included.
 */
export function ifNoneMatchHolds(value: string, etag: string | undefined): boolean {
  const tags = parseEntityTags(value)
  if (tags === '*') return false
  return tags === undefined || !tags.some((tag) => weakMatch(tag, etag))
}

/**
 * The preconditions of a GET or HEAD of the file, in the order of RFC 9110
 * §13.2.2: 'failed' (412) when If-Match, or else If-Unmodified-Since, does not
 * hold; 'not-modified' (304) when If-None-Match, or else If-Modified-Since,
 * does not hold; undefined to go on to If-Range and Range.
 */
export function evaluatePreconditions(fields: Preconditions, validators: Validators): 'failed' | 'not-modified' | undefined {
  const {etag, modifiedSeconds} = validators
  if (fields.ifMatch === undefined) {
    // Ignored when it is not one valid HTTP-date (§13.1.4).
    const since = parseHttpDate(fields.ifUnmodifiedSince)
    if (since !== undefined && modifiedSeconds > since) return 'failed'
  } else if (!ifMatchHolds(fields.ifMatch, etag)) return 'failed'

  if (fields.ifNoneMatch === undefined) {
    // Ignored when it is not one valid HTTP-date (§13.1.3).
    const since = parseHttpDate(fields.ifModifiedSince)
    if (since !== undefined && modifiedSeconds <= since) return 'not-modified'
  } else if (!ifNoneMatchHolds(fields.ifNoneMatch, etag)) return 'not-modified'

  return undefined
}

/**
 * Whether a Range may be honoured under If-Range (RFC 9110 §13.1.5): only for
 * an entity tag matching the current one strongly. A date never does: it is a
 * strong validator only if the server knows the file did not change twice
 * within that second (§8.8.2.2), and a file rewritten with its mtime put back
 * (cp -p, rsync -t) keeps the very same date with other bytes; a resuming
 * client would append those to the ones it has. No If-Range: yes.
 */
export function ifRangeAllows(ifRange: string | undefined, validators: Validators): boolean {
  if (ifRange === undefined) return true
  const match = /^[ \t]*(W\/)?("[\x21\x23-\x7E\x80-\xFF]*")[ \t]*$/.exec(ifRange)
  return match !== null && strongMatch({opaque: match[2], weak: match[1] !== undefined}, validators.etag)
}

// The --cache-control value: sent as a header verbatim, so it must be one
// line of visible ASCII (no CR/LF to split the response with).
const MAX_LENGTH = 1024
const HEADER_VALUE = /^[\x21-\x7E](?:[\x20-\x7E]*[\x21-\x7E])?$/

/** The trimmed value, or throws with a message that says what is wrong. */
export function parseCacheControl(input: string): string {
  const value = input.trim()
  if (value === '') throw new Error('--cache-control must not be empty; try "no-cache" or "public, max-age=3600"')
  if (value.length > MAX_LENGTH) throw new Error(`--cache-control must be at most ${MAX_LENGTH} characters`)
  if (!HEADER_VALUE.test(value)) {
    throw new Error(`--cache-control must be printable ASCII on one line, such as "public, max-age=3600", got ${JSON.stringify(input)}`)
  }

  return value
}

// Which status codes count as success: exact codes ("204") or classes ("2xx").
const PATTERN = /^(?:[1-5]\d\d|[1-5]xx)$/i

/** The message for a pattern that is neither a code nor a class, or undefined when valid. */
export function invalidStatusPattern(pattern: string): string | undefined {
  return PATTERN.test(pattern) ? undefined : `"${pattern}" is not a status code (e.g. 200) or class (e.g. 2xx)`
}

/** A lookup table indexed by status code: 1 for success. */
export function statusTable(patterns: readonly string[]): Uint8Array {
  const table = new Uint8Array(1000)
  for (const pattern of patterns) {
    if (invalidStatusPattern(pattern)) throw new Error(invalidStatusPattern(pattern))
    if (/xx$/i.test(pattern)) {
      const base = Number(pattern[0]) * 100
      table.fill(1, base, base + 100)
    } else {
      table[Number(pattern)] = 1
    }
  }

  return table
}

/** "2xx", "200, 404": for messages. */
export function describeStatuses(patterns: readonly string[]): string {
  return patterns.map((p) => p.toLowerCase()).join(', ')
}

/** "200,404" or "2xx" as given on the command line. Throws with the reason. */
export function parseStatusList(input: string): string[] {
  const patterns = input.split(',').map((p) => p.trim().toLowerCase())
  for (const pattern of patterns) {
    const problem = invalidStatusPattern(pattern)
    if (problem) throw new Error(`--expect-status: ${problem}`)
  }

  return patterns
}

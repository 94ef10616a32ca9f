// Parsing what lets several generators run one plan together: which share a
// generator runs (--segment I/N) and when they all start (--start-at).
import type {Segment} from './plan.js'

/** The most generators one plan can be split over. */
export const MAX_SEGMENTS = 10_000

/** "I/N", 1 <= I <= N: share I of N (index I - 1). */
export function parseSegment(input: string): Segment {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(input)
  const index = Number(match?.[1])
  const count = Number(match?.[2])
  if (!match || index < 1 || count < 1 || index > count || count > MAX_SEGMENTS) {
    throw new Error(`--segment must be I/N with 1 <= I <= N <= ${MAX_SEGMENTS}, such as 1/4, got "${input}"`)
  }

  return {count, index: index - 1}
}

/** An ISO 8601 time with a date, or +SECONDS from `now`: epoch ms. */
export function parseStartAt(input: string, now: number): number {
  const text = input.trim()
  const relative = /^\+(\d+(?:\.\d+)?)$/.exec(text)
  if (relative) return now + Math.round(Number(relative[1]) * 1000)
  // A time without a zone would mean a different instant on each machine.
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text) || Number.isNaN(Date.parse(text))) {
    throw new Error(`--start-at must be an ISO 8601 time with its zone (2026-12-01T10:00:00Z) or +SECONDS from now, got "${input}"`)
  }

  return Date.parse(text)
}

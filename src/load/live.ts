// What a run looks like while it goes, for the terminal view: responses and
// failures so far, a coarse latency histogram of every response (8 buckets
// per doubling, about 12% wide: enough to read a p50 and a p99 off the last
// second, and one increment per response), and the responses per worker. The
// report's figures come from the exact histograms, not from these.

/** Buckets: 0..7 µs exactly, then 8 per power of two up to 2^32 µs. */
export const LATENCY_BUCKETS = 240

export function bucketOf(us: number): number {
  if (us < 8) return us < 0 ? 0 : us
  const exponent = 31 - Math.clz32(us)
  return (exponent - 2) * 8 + ((us >>> (exponent - 3)) & 7)
}

/** The smallest µs value of a bucket. */
export function bucketFloor(bucket: number): number {
  if (bucket < 8) return bucket
  const exponent = Math.floor(bucket / 8) + 2
  return (8 + (bucket % 8)) * 2 ** (exponent - 3)
}

export interface LiveSnapshot {
  failures: number
  /** Responses per latency bucket since the start, warm-up included. */
  latency: Float64Array
  responses: number
  /** Responses per worker since measuring began, keyed as the report's `workers`. */
  workers: Record<string, number>
}

export function emptySnapshot(): LiveSnapshot {
  return {failures: 0, latency: new Float64Array(LATENCY_BUCKETS), responses: 0, workers: {}}
}

/** The sum of several threads' snapshots. */
export function addSnapshots(parts: LiveSnapshot[]): LiveSnapshot {
  const sum = emptySnapshot()
  for (const part of parts) {
    sum.failures += part.failures
    sum.responses += part.responses
    for (let i = 0; i < LATENCY_BUCKETS; i++) sum.latency[i] += part.latency[i]
    for (const [key, n] of Object.entries(part.workers)) sum.workers[key] = (sum.workers[key] ?? 0) + n
  }

  return sum
}

/** The latency (ms) at `percentile` of the responses between two snapshots; null when there were none. */
export function percentileBetween(before: LiveSnapshot, after: LiveSnapshot, percentile: number): null | number {
  let total = 0
  for (let i = 0; i < LATENCY_BUCKETS; i++) total += after.latency[i] - before.latency[i]
  if (total <= 0) return null
  const rank = (percentile / 100) * total
  let seen = 0
  for (let i = 0; i < LATENCY_BUCKETS; i++) {
    seen += after.latency[i] - before.latency[i]
    if (seen >= rank) return bucketFloor(i + 1) / 1000
  }

  return bucketFloor(LATENCY_BUCKETS) / 1000
}

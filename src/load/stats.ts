// Pure statistics over a run's counts: latency percentiles in milliseconds, rates,
// and how evenly a pool's workers shared the load.
import type {Histogram} from 'hdr-histogram-js'

export interface LatencySummary {
  max: number
  mean: number
  p50: number
  p90: number
  p99: number
  p999: number
}

/** ms with µs precision, from a histogram of µs; null when nothing was recorded. */
export function summarizeLatency(histogram: Histogram): LatencySummary | null {
  if (histogram.totalCount === 0) return null
  const max = histogram.maxValue
  const ms = (us: number) => Math.round(us) / 1000
  // A percentile is the top of its bucket, which can lie just above the largest value recorded.
  const at = (percentile: number) => ms(Math.min(max, histogram.getValueAtPercentile(percentile)))
  return {max: ms(max), mean: ms(histogram.mean), p50: at(50), p90: at(90), p99: at(99), p999: at(99.9)}
}

export function perSecond(count: number, ms: number): number {
  return ms > 0 ? Math.round((count / ms) * 1000 * 10) / 10 : 0
}

export interface WorkerShare {
  /** Sockets whose responses came from this worker. */
  connections: number
  /** The X-Worker value. */
  id: string
  requests: number
  /** Of the target's requests, 0..1. */
  share: number
}

export interface WorkerBalance {
  /**
   * Busiest worker's requests over the idlest's: 1 is perfectly even. Infinity
   * when a worker the pool should have served nothing; null when no worker was seen.
   */
  imbalance: null | number
  workers: WorkerShare[]
}

/** Shares of the load per worker, in X-Worker order (numeric when the ids are numbers). */
export function workerBalance(
  requests: Record<string, number>,
  connections: Record<string, number>,
  expectWorkers: null | number,
): WorkerBalance {
  const ids = [...new Set([...Object.keys(requests), ...Object.keys(connections)])].sort(compareIds)
  const total = ids.reduce((sum, id) => sum + (requests[id] ?? 0), 0)
  const workers = ids.map((id) => ({
    connections: connections[id] ?? 0,
    id,
    requests: requests[id] ?? 0,
    share: total > 0 ? (requests[id] ?? 0) / total : 0,
  }))
  if (workers.length === 0) return {imbalance: null, workers}
  const counts = workers.map((w) => w.requests)
  const idle = expectWorkers !== null && workers.length < expectWorkers
  const min = idle ? 0 : Math.min(...counts)
  const max = Math.max(...counts)
  return {imbalance: min === 0 ? (max === 0 ? null : Number.POSITIVE_INFINITY) : max / min, workers}
}

function compareIds(a: string, b: string): number {
  const na = Number(a)
  const nb = Number(b)
  return Number.isFinite(na) && Number.isFinite(nb) ? na - nb : a.localeCompare(b)
}

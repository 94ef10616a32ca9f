// The counts of a run, as plain data: what the engine hands back (also across
// threads), merged when several threads ran, and read by the statistics.
import {decodeFromCompressedBase64, encodeIntoCompressedBase64, type Histogram} from 'hdr-histogram-js'

import {createHistogram} from './histogram.js'
import {mergeIntervals, type RecordedInterval} from './intervals.js'

export interface TargetTally {
  /** Sockets that got a response, by the X-Worker value of their first response. */
  connections: Record<string, number>
  /** The first response that differed from its route's, described. */
  firstMismatch: null | string
  /** Responses by X-Instance value, when the server names its instance (several servers behind a balancer). */
  instances: Record<string, number>
  /** Responses that differed from their route's expected status, type or body. */
  mismatches: number
  responses: number
  /** Responses by X-Worker value. */
  workers: Record<string, number>
}

export interface Tally {
  /** Bytes received while measuring, heads included. */
  bytes: number
  /** One per second of the measured run. */
  intervals: RecordedInterval[]
  /** When measuring began, epoch ms; 0 if it never did. */
  startedAtMs: number
  /** Failures by kind; they add up to `failed`. */
  errors: Record<string, number>
  failed: number
  /** Stopped early on request (Ctrl+C). */
  interrupted: boolean
  /** Measured requests sent and still unanswered when the run stopped. */
  inFlight: number
  /** Measured time, ms. */
  measuredMs: number
  ok: number
  /** Rate mode: sends that fell due but found no free connection before the end. */
  queued: number
  responses: number
  /** Measured requests sent: ok + failed + inFlight. */
  sent: number
  statuses: Record<string, number>
  targets: TargetTally[]
}

export interface Latencies {
  /** µs from each request's intended send time (its send time in a closed loop). */
  corrected: Histogram
  /** Rate mode: µs from each request's actual send time; null in a closed loop. */
  uncorrected: Histogram | null
}

export function emptyTargetTally(): TargetTally {
  return {connections: {}, firstMismatch: null, instances: {}, mismatches: 0, responses: 0, workers: {}}
}

export function emptyTally(targets: number): Tally {
  return {
    bytes: 0,
    errors: {},
    intervals: [],
    startedAtMs: 0,
    failed: 0,
    inFlight: 0,
    interrupted: false,
    measuredMs: 0,
    ok: 0,
    queued: 0,
    responses: 0,
    sent: 0,
    statuses: {},
    targets: Array.from({length: targets}, emptyTargetTally),
  }
}

function addCounts(into: Record<string, number>, from: Record<string, number>): void {
  for (const [key, n] of Object.entries(from)) into[key] = (into[key] ?? 0) + n
}

/** Sums the tallies of threads that ran side by side (their measured time is the longest). */
export function mergeTallies(tallies: Tally[]): Tally {
  const merged = emptyTally(tallies[0]?.targets.length ?? 0)
  for (const t of tallies) {
    for (const key of ['bytes', 'failed', 'inFlight', 'ok', 'queued', 'responses', 'sent'] as const) merged[key] += t[key]
    merged.measuredMs = Math.max(merged.measuredMs, t.measuredMs)
    if (t.startedAtMs > 0) merged.startedAtMs = merged.startedAtMs === 0 ? t.startedAtMs : Math.min(merged.startedAtMs, t.startedAtMs)
    merged.interrupted ||= t.interrupted
    addCounts(merged.errors, t.errors)
    addCounts(merged.statuses, t.statuses)
    for (const [i, target] of t.targets.entries()) {
      const into = merged.targets[i]
      into.responses += target.responses
      into.mismatches += target.mismatches
      into.firstMismatch ??= target.firstMismatch
      addCounts(into.workers, target.workers)
      addCounts(into.instances, target.instances)
      addCounts(into.connections, target.connections)
    }
  }

  merged.intervals = mergeIntervals(tallies.map((t) => t.intervals))
  return merged
}

/** Latencies as strings, to cross a thread boundary. */
export interface EncodedLatencies {
  corrected: string
  uncorrected: null | string
}

export function encodeLatencies(l: Latencies): EncodedLatencies {
  return {
    corrected: encodeIntoCompressedBase64(l.corrected),
    uncorrected: l.uncorrected ? encodeIntoCompressedBase64(l.uncorrected) : null,
  }
}

/** Decodes and adds up the latencies of several threads. */
export function mergeLatencies(parts: EncodedLatencies[]): Latencies {
  const corrected = createHistogram()
  const uncorrected = parts.some((p) => p.uncorrected) ? createHistogram() : null
  for (const part of parts) {
    corrected.add(decodeFromCompressedBase64(part.corrected))
    if (uncorrected && part.uncorrected) uncorrected.add(decodeFromCompressedBase64(part.uncorrected))
  }

  return {corrected, uncorrected}
}

// The parts of a load-test report that make it data rather than a summary:
// the full latency histograms, one interval per second, and what was asked
// for, so that runs can be kept, plotted, merged and compared. Histograms are
// in HdrHistogram's standard interchange form (compressed V2, base64), in µs.
import type {LatencySummary} from './stats.js'

/** Report schema version; 1 had no histograms, intervals, plan or command. */
export const SCHEMA_VERSION = 2

/** Each run's histograms, as hdr-histogram-js's encodeIntoCompressedBase64 writes them (values in µs). */
export interface EncodedHistograms {
  /** Latency from each request's intended send time (its send time in a closed loop). */
  corrected: string
  /** --rate: from each request's actual send time; null in a closed loop. */
  uncorrected: null | string
}

/** One second of the measured run. */
export interface Interval {
  /** Bytes received in this second, heads included. */
  bytes: number
  /** Failures in this second, by kind; they add up to the run's `errors`. */
  failed: Record<string, number>
  /** Corrected latency of the responses that completed in this second (µs, compressed V2 base64). */
  histogram: string
  /** That histogram's percentiles, in ms; null when nothing completed. */
  latencyMs: null | Pick<LatencySummary, 'max' | 'p50' | 'p90' | 'p99'>
  ok: number
  /** Responses completed in this second, whatever their status. */
  responses: number
  /** This second is [second, second + 1) from the start of measurement. */
  second: number
  /** Wall-clock start of the second, ms since the epoch. */
  startMs: number
  /** Responses per worker in this second, keyed as the report's `workers`. */
  workers: Record<string, number>
}

/**
 * What the run was asked to do, as far as it decides whether two runs can be
 * merged: the same targets and paths, method, connections, rate, length and
 * thresholds. With --segment, the whole plan (not the segment's share).
 */
export interface PlanSummary {
  connections: number
  /** Seconds asked for with --duration; null with --requests. */
  durationSeconds: null | number
  expectStatus: string[]
  method: string
  rate: null | number
  /** --requests; null with --duration. */
  requests: null | number
  /** Each server: its paths, and how many instances and workers must answer (null: not checked). */
  targets: {
    /** Whether each response was checked against its route's expected one (the built-in servers), not only its status. */
    checkedByRoute: boolean
    expectInstances: null | number
    expectWorkers: null | number
    name: string
    paths: string[]
    url: string
  }[]
  timeoutSeconds: number
  warmupSeconds: number
}

// One interval per second of the measured run, recorded as the run goes with
// memory that stays flat: two live seconds at a time (a response is counted
// in the second it completed, up to a second after it), each encoded to a
// compact histogram once it can change no more.
import {decodeFromCompressedBase64, encodeIntoCompressedBase64, type Histogram} from 'hdr-histogram-js'

import type {Interval} from './results.js'

import {createHistogram} from './histogram.js'
import {summarizeLatency} from './stats.js'

/** A second as the engine hands it over: an Interval without its percentiles, which come from its histogram. */
export type RecordedInterval = Omit<Interval, 'latencyMs'>

/** Per worker, its responses in each of the two live seconds (by the second's parity). */
export interface IntervalWorker {
  interval: [number, number]
  key: string
}

interface LiveSecond {
  bytes: number
  failed: Map<string, number>
  histogram: Histogram
  ok: number
  responses: number
  second: number
}

const SECOND_MS = 1000
/** How far into a new second a run may end and still count that sliver in the second before. */
const TAIL_MS = 50

const emptySecond = (second: number, histogram: Histogram): LiveSecond => ({bytes: 0, failed: new Map(), histogram, ok: 0, responses: 0, second})

export class IntervalRecorder {
  readonly done: RecordedInterval[] = []
  /** Live seconds, by parity: the current one and the one before it. */
  private readonly live: [LiveSecond, LiveSecond]
  /** The newest live second. */
  private current = 0
  /** Bytes received, as counted when each second ended. */
  private bytesAtBoundary = 0
  private readonly workers: IntervalWorker[] = []

  /** `start`: performance.now() ms when measuring began; `epochStart`: the same instant in epoch ms. */
  constructor(
    private readonly start: number,
    private readonly epochStart: number,
  ) {
    this.live = [emptySecond(0, createHistogram()), emptySecond(-1, createHistogram())]
  }

  /** A worker whose responses are counted per second (the engine's own counter object). */
  addWorker(worker: IntervalWorker): void {
    this.workers.push(worker)
  }

  /** The second `time` falls in (clamped to the live ones: nothing is counted in a second already encoded). */
  secondOf(time: number): number {
    const second = Math.floor((time - this.start) / SECOND_MS)
    return Math.max(this.current - 1, Math.min(second, this.current))
  }

  /** A response that completed at `time`: its latency (µs) and whether it was right (`failure` names why not). */
  response(time: number, latencyUs: number, failure: string | undefined, worker: IntervalWorker | undefined): void {
    const slot = this.slot(time)
    slot.responses++
    slot.histogram.recordValue(latencyUs)
    if (failure === undefined) slot.ok++
    else slot.failed.set(failure, (slot.failed.get(failure) ?? 0) + 1)
    if (worker) worker.interval[slot.second & 1]++
  }

  /** A request that failed at `time` without a response to judge (a connection error, a timeout). */
  failure(time: number, kind: string): void {
    const slot = this.slot(time)
    slot.failed.set(kind, (slot.failed.get(kind) ?? 0) + 1)
  }

  /**
   * Moves the live seconds on to `now`. `settleBefore(time)` is called first
   * with the end of every second about to be encoded, so responses held
   * until then are counted in it. `bytes`: the run's bytes so far.
   */
  advance(now: number, bytes: number, settleBefore: (time: number) => void): void {
    const second = Math.floor((now - this.start) / SECOND_MS)
    while (this.current < second) {
      // The current second has ended: its bytes are known now.
      const ending = this.live[this.current & 1]
      ending.bytes = bytes - this.bytesAtBoundary
      this.bytesAtBoundary = bytes
      // The one before it can change no more.
      const older = this.live[(this.current - 1) & 1]
      if (older.second >= 0) {
        settleBefore(this.start + (older.second + 1) * SECOND_MS)
        this.encode(older)
      }

      this.current++
      this.live[this.current & 1] = emptySecond(this.current, older.histogram)
    }
  }

  /** The run ended at `end`: every second up to it, encoded. */
  finish(end: number, bytes: number): RecordedInterval[] {
    this.advance(end, bytes, () => {})
    const last = this.live[this.current & 1]
    const older = this.live[(this.current - 1) & 1]
    last.bytes = bytes - this.bytesAtBoundary
    // A run of whole seconds ends a little after its last one (timers are late, never early):
    // that sliver is part of the last second, not one of its own.
    if (older.second >= 0 && end - (this.start + this.current * SECOND_MS) < TAIL_MS) {
      this.absorb(older, last)
      this.encode(older)
    } else {
      if (older.second >= 0) this.encode(older)
      this.encode(last)
    }

    return this.done
  }

  /** Adds the counts of `from` to `into`, workers' too. */
  private absorb(into: LiveSecond, from: LiveSecond): void {
    into.bytes += from.bytes
    into.ok += from.ok
    into.responses += from.responses
    into.histogram.add(from.histogram)
    for (const [kind, n] of from.failed) into.failed.set(kind, (into.failed.get(kind) ?? 0) + n)
    for (const worker of this.workers) {
      worker.interval[into.second & 1] += worker.interval[from.second & 1]
      worker.interval[from.second & 1] = 0
    }
  }

  private slot(time: number): LiveSecond {
    return this.live[this.secondOf(time) & 1]
  }

  private encode(live: LiveSecond): void {
    const parity = live.second & 1
    const workers: Record<string, number> = {}
    for (const worker of this.workers) {
      const n = worker.interval[parity]
      if (n > 0) workers[worker.key] = (workers[worker.key] ?? 0) + n
      worker.interval[parity] = 0
    }

    this.done.push({
      bytes: live.bytes,
      failed: Object.fromEntries(live.failed),
      histogram: encodeIntoCompressedBase64(live.histogram),
      ok: live.ok,
      responses: live.responses,
      second: live.second,
      startMs: this.epochStart + live.second * SECOND_MS,
      workers,
    })
    live.histogram.reset()
  }
}

/** Adds up the intervals of runs side by side (threads, or generators on several machines), second by second. */
export function mergeIntervals(parts: RecordedInterval[][], key: (interval: RecordedInterval) => number = (i) => i.second): RecordedInterval[] {
  const bySecond = new Map<number, {histogram: Histogram; interval: RecordedInterval}>()
  for (const part of parts) {
    for (const interval of part) {
      const at = key(interval)
      let merged = bySecond.get(at)
      if (!merged) {
        merged = {
          histogram: createHistogram(),
          interval: {bytes: 0, failed: {}, histogram: '', ok: 0, responses: 0, second: interval.second, startMs: interval.startMs, workers: {}},
        }
        bySecond.set(at, merged)
      }

      const into = merged.interval
      into.bytes += interval.bytes
      into.ok += interval.ok
      into.responses += interval.responses
      into.startMs = Math.min(into.startMs, interval.startMs)
      for (const [kind, n] of Object.entries(interval.failed)) into.failed[kind] = (into.failed[kind] ?? 0) + n
      for (const [worker, n] of Object.entries(interval.workers)) into.workers[worker] = (into.workers[worker] ?? 0) + n
      merged.histogram.add(decodeFromCompressedBase64(interval.histogram))
    }
  }

  return [...bySecond.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([, {histogram, interval}]) => ({...interval, histogram: encodeIntoCompressedBase64(histogram)}))
}

/** An interval with its percentiles read from its histogram. */
export function withPercentiles(interval: RecordedInterval): Interval {
  const summary = summarizeLatency(decodeFromCompressedBase64(interval.histogram))
  const latencyMs = summary === null ? null : {max: summary.max, p50: summary.p50, p90: summary.p90, p99: summary.p99}
  return {...interval, latencyMs}
}

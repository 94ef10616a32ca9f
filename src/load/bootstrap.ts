// A bootstrap over a run's seconds: how far its throughput and latency
// percentiles would move if the run had been made of other seconds like its
// own. Each resample draws the run's seconds (or blocks of consecutive
// seconds) with replacement; a statistic's interval is the middle of its
// resampled values. Seeded, so the same runs always give the same intervals.
import type {Buckets} from './histogram-buckets.js'

/** What is drawn as a whole: one second of a run, or a block of consecutive seconds. */
export interface SampleUnit {
  /** The corrected latency (µs) of its responses. */
  latency: Buckets
  responses: number
  /** How long it lasted, in seconds. */
  seconds: number
}

/** mulberry32: small, fast and seeded, which is all a bootstrap needs. Returns numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d_2b_79_f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

function addBuckets(a: Buckets, b: Buckets): Buckets {
  const counts: number[] = []
  const values: number[] = []
  let i = 0
  let j = 0
  while (i < a.values.length || j < b.values.length) {
    if (j >= b.values.length || (i < a.values.length && a.values[i] < b.values[j])) {
      values.push(a.values[i])
      counts.push(a.counts[i++])
    } else if (i >= a.values.length || b.values[j] < a.values[i]) {
      values.push(b.values[j])
      counts.push(b.counts[j++])
    } else {
      values.push(a.values[i])
      counts.push(a.counts[i++] + b.counts[j++])
    }
  }

  return {counts, values}
}

/**
 * At most `max` units, each made of consecutive ones (a block bootstrap): it
 * bounds the cost of a long run, and keeps together seconds that resemble
 * their neighbours.
 */
export function toBlocks(units: SampleUnit[], max: number): SampleUnit[] {
  if (units.length <= max) return units
  const blocks: SampleUnit[] = []
  for (let b = 0; b < max; b++) {
    const from = Math.floor((b * units.length) / max)
    const to = Math.floor(((b + 1) * units.length) / max)
    let block: SampleUnit = {latency: {counts: [], values: []}, responses: 0, seconds: 0}
    for (const unit of units.slice(from, to)) {
      block = {latency: addBuckets(block.latency, unit.latency), responses: block.responses + unit.responses, seconds: block.seconds + unit.seconds}
    }

    blocks.push(block)
  }

  return blocks
}

/** hdr-histogram-js's ulp, so a percentile's rank is rounded exactly as getValueAtPercentile rounds it. */
const ulp = (x: number) => 2 ** (Math.floor(Math.log2(x)) - 52)

/** A run's units laid out so that a weighted resample's statistics cost little: a cumulative count per unit and value. */
export class Resampler {
  readonly size: number
  private readonly seconds: Float64Array
  private readonly responses: Float64Array
  /** Every latency value any unit holds, ascending. */
  private readonly values: Float64Array
  /** cumulative[u * values.length + k]: unit u's responses with a latency of at most values[k]. */
  private readonly cumulative: Float64Array

  constructor(units: SampleUnit[]) {
    this.size = units.length
    this.seconds = Float64Array.from(units, (u) => u.seconds)
    this.responses = Float64Array.from(units, (u) => u.responses)
    this.values = Float64Array.from(new Set(units.flatMap((u) => u.latency.values))).sort()
    const width = this.values.length
    const index = new Map([...this.values].map((v, k) => [v, k]))
    this.cumulative = new Float64Array(this.size * width)
    for (const [u, unit] of units.entries()) {
      const row = this.cumulative.subarray(u * width, (u + 1) * width)
      for (const [i, value] of unit.latency.values.entries()) row[index.get(value)!] = unit.latency.counts[i]
      for (let k = 1; k < width; k++) row[k] += row[k - 1]
    }
  }

  /** Unit i drawn weights[i] times, `size` draws in all. */
  draw(random: () => number, weights: Uint32Array): Uint32Array {
    weights.fill(0)
    for (let n = 0; n < this.size; n++) weights[Math.floor(random() * this.size)]++
    return weights
  }

  /** Responses per second of the resample; NaN when it lasted no time. */
  throughput(weights: Uint32Array): number {
    let responses = 0
    let seconds = 0
    for (let u = 0; u < this.size; u++) {
      responses += weights[u] * this.responses[u]
      seconds += weights[u] * this.seconds[u]
    }

    return seconds > 0 ? responses / seconds : Number.NaN
  }

  /** The latency (µs) at `percentile` of the resample, as getValueAtPercentile reads it; NaN when it holds none. */
  percentile(weights: Uint32Array, percentile: number): number {
    const width = this.values.length
    if (width === 0) return Number.NaN
    const countAt = (k: number) => {
      let count = 0
      for (let u = 0; u < this.size; u++) if (weights[u] > 0) count += weights[u] * this.cumulative[u * width + k]
      return count
    }

    const total = countAt(width - 1)
    if (total === 0) return Number.NaN
    const exact = (percentile / 100) * total
    const rank = Math.max(Math.ceil(exact - ulp(exact)), 1)
    let low = 0
    let high = width - 1
    while (low < high) {
      const mid = (low + high) >>> 1
      if (countAt(mid) >= rank) high = mid
      else low = mid + 1
    }

    return this.values[low]
  }
}

export interface BootstrapOptions {
  /** Share of the resampled ratios an interval holds, such as 0.95. */
  confidence: number
  resamples: number
  seed: number
}

export interface RatioInterval {
  high: number
  low: number
}

/** A statistic of a weighted resample; NaN when it has none. */
export type Statistic = (run: Resampler, weights: Uint32Array) => number

/**
 * For each statistic, the interval of new / base that holds `confidence` of
 * the resampled ratios (base and new drawn independently); null when too few
 * resamples had the statistic on both sides.
 */
export function bootstrapRatios(base: Resampler, next: Resampler, statistics: Statistic[], options: BootstrapOptions): (null | RatioInterval)[] {
  const random = seededRandom(options.seed)
  const ratios = statistics.map(() => [] as number[])
  const baseWeights = new Uint32Array(base.size)
  const nextWeights = new Uint32Array(next.size)
  for (let r = 0; r < options.resamples; r++) {
    base.draw(random, baseWeights)
    next.draw(random, nextWeights)
    for (const [s, statistic] of statistics.entries()) {
      const ratio = statistic(next, nextWeights) / statistic(base, baseWeights)
      if (!Number.isNaN(ratio)) ratios[s].push(ratio)
    }
  }

  const tail = (1 - options.confidence) / 2
  return ratios.map((values) => {
    if (values.length < options.resamples / 2) return null
    values.sort((a, b) => a - b)
    const at = (q: number) => values[Math.min(values.length - 1, Math.max(0, Math.round(q * (values.length - 1))))]
    return {high: at(1 - tail), low: at(tail)}
  })
}

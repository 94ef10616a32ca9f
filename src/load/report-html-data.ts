// What the HTML report's charts draw, computed from a report's own data: the
// latency percentile distribution decoded from its histograms, and per-second
// series from its intervals. Plain arrays, so the page only has to plot them.
import {decodeFromCompressedBase64, type Histogram} from 'hdr-histogram-js'

import type {Interval} from './results.js'

/** One line of a chart: values aligned with the chart's x, null where there is nothing to draw. */
export interface Series {
  color: string
  /** Drawn dashed. */
  dash?: boolean
  label: string
  /** Hidden until its legend entry is clicked. */
  hidden?: boolean
  values: (null | number)[]
}

/**
 * A chart for the page's script. `percentile`: x is log10(1/(1-p)), so x = 0, 1,
 * 2, 3 are the 0%, 90%, 99% and 99.9% percentiles (as HdrHistogram's plotter
 * draws them). `seconds`: x is the second of the measured run.
 */
export interface ChartData {
  /** `seconds`: where the last interval ends; each value holds from its x to the next (drawn as steps). */
  end?: number
  kind: 'percentile' | 'seconds'
  series: Series[]
  /** What y is: its unit as the axis and legend show it. */
  unit: string
  x: number[]
}

/** Points per decade of 1/(1-p): smooth enough for any tail, small enough to embed. */
const STEPS_PER_DECADE = 20

export function decodeHistogram(encoded: string): Histogram {
  return decodeFromCompressedBase64(encoded)
}

/**
 * ms with µs precision at a percentile (0..100), the way the report's summary
 * takes it: a percentile is the top of its bucket, never above the largest
 * value. A decoded histogram knows its largest value only to its bucket, so the
 * report's exact maximum (in ms) is passed when there is one.
 */
export function latencyAt(histogram: Histogram, percentile: number, maxMs = histogram.maxValue / 1000): number {
  return Math.round(Math.min(maxMs * 1000, histogram.getValueAtPercentile(percentile))) / 1000
}

/** The percentile (0..100) at x = log10(1/(1-p)). */
export function percentileAt(x: number): number {
  return 100 * (1 - 10 ** -x)
}

/**
 * x of the distribution's last point: the percentile of the slowest response,
 * 1 - 1/count, beyond which a run of `count` responses says nothing.
 */
export function tailX(count: number): number {
  return count > 1 ? Math.log10(count) : 0
}

/** x from 0 to the longest tail, in even steps, ending exactly on it. */
function percentileXs(counts: number[]): number[] {
  const end = Math.max(0, ...counts.map((n) => tailX(n)))
  const xs: number[] = []
  for (let i = 0; i / STEPS_PER_DECADE < end; i++) xs.push(i / STEPS_PER_DECADE)
  xs.push(end)
  return xs
}

export interface PercentileLine {
  color: string
  dash?: boolean
  histogram: Histogram
  label: string
  /** The exact largest latency, ms, when the report has it. */
  maxMs?: number
}

/** Latency against percentile for each histogram, on one x; a histogram's line ends at its own tail. */
export function percentileChart(lines: PercentileLine[]): ChartData {
  const drawn = lines.filter((line) => line.histogram.totalCount > 0)
  const x = percentileXs(drawn.map((line) => line.histogram.totalCount))
  return {
    kind: 'percentile',
    series: drawn.map(({color, dash, histogram, label, maxMs = histogram.maxValue / 1000}) => {
      const tail = tailX(histogram.totalCount)
      const values = x.map((at) => (at <= tail + 1e-9 ? latencyAt(histogram, percentileAt(at), maxMs) : null))
      // The last point of a line is its slowest response, exactly.
      let last = values.length - 1
      while (last >= 0 && values[last] === null) last--
      if (last >= 0) values[last] = Math.round(maxMs * 1000) / 1000
      return {color, dash, label, values}
    }),
    unit: 'ms',
    x,
  }
}

/**
 * Seconds each interval covers: 1, except a last one cut short by the end of
 * the run (a run of 2.5 s has a last interval of 0.5 s), so its rate is not
 * halved.
 */
export function intervalLengths(intervals: Interval[], durationSeconds: number): number[] {
  return intervals.map((interval) => {
    const length = Math.min(1, durationSeconds - interval.second)
    return length > 0.001 ? length : 1
  })
}

const rate = (n: number, seconds: number) => Math.round((n / seconds) * 10) / 10

export const COLORS = {
  corrected: '#2563eb',
  failed: '#dc2626',
  max: '#64748b',
  ok: '#16a34a',
  p50: '#2563eb',
  p90: '#9333ea',
  p99: '#ea580c',
  responses: '#2563eb',
  uncorrected: '#d97706',
}

/** Responses per second, and failures per second when there were any. */
export function throughputChart(intervals: Interval[], durationSeconds: number): ChartData {
  const lengths = intervalLengths(intervals, durationSeconds)
  const failed = intervals.map((interval, i) => rate(sum(Object.values(interval.failed)), lengths[i]))
  const series: Series[] = [
    {color: COLORS.responses, label: 'responses', values: intervals.map((interval, i) => rate(interval.responses, lengths[i]))},
  ]
  if (failed.some((n) => n > 0)) series.push({color: COLORS.failed, label: 'failed', values: failed})
  return {end: endOf(intervals, lengths), kind: 'seconds', series, unit: 'req/s', x: intervals.map((interval) => interval.second)}
}

function endOf(intervals: Interval[], lengths: number[]): number {
  return intervals.length === 0 ? 0 : intervals.at(-1)!.second + lengths.at(-1)!
}

/** Each second's p50, p90, p99 and max (max hidden until asked for). */
export function latencyOverTimeChart(intervals: Interval[], durationSeconds: number): ChartData {
  const take = (key: 'max' | 'p50' | 'p90' | 'p99') => intervals.map((interval) => interval.latencyMs?.[key] ?? null)
  return {
    kind: 'seconds',
    series: [
      {color: COLORS.p50, label: 'p50', values: take('p50')},
      {color: COLORS.p90, label: 'p90', values: take('p90')},
      {color: COLORS.p99, label: 'p99', values: take('p99')},
      {color: COLORS.max, dash: true, hidden: true, label: 'max', values: take('max')},
    ],
    end: endOf(intervals, intervalLengths(intervals, durationSeconds)),
    unit: 'ms',
    x: intervals.map((interval) => interval.second),
  }
}

/** A palette that tells a dozen workers apart on a light or dark page. */
export const WORKER_COLORS = [
  '#2563eb', '#ea580c', '#16a34a', '#9333ea', '#db2777', '#0891b2',
  '#ca8a04', '#4f46e5', '#dc2626', '#059669', '#7c3aed', '#64748b',
]

/** Responses per second of each of these workers (keys as the report's `workers`), labelled by id. */
export function workersOverTimeChart(
  intervals: Interval[],
  durationSeconds: number,
  workers: {id: string; key: string}[],
): ChartData {
  const lengths = intervalLengths(intervals, durationSeconds)
  return {
    end: endOf(intervals, lengths),
    kind: 'seconds',
    series: workers.map(({id, key}, i) => ({
      color: WORKER_COLORS[i % WORKER_COLORS.length],
      label: `worker ${id}`,
      values: intervals.map((interval, s) => rate(interval.workers[key] ?? 0, lengths[s])),
    })),
    unit: 'req/s',
    x: intervals.map((interval) => interval.second),
  }
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0)
}

// `load-test compare`: a run against a base run, metric by metric (throughput
// and each latency percentile), with the ratio new / base and a verdict that
// accounts for run-to-run noise. The noise is estimated by a bootstrap over
// each run's seconds: the interval of ratios that 95% of resampled pairs of
// runs give. A change is a regression only when it is beyond the limit and
// its interval lies wholly on the worse side of "no change".
import {decodeFromCompressedBase64} from 'hdr-histogram-js'

import type {ReportFile} from './read-report.js'
import type {LoadReport} from './report.js'

import {UserError} from '../errors.js'
import {bootstrapRatios, type RatioInterval, Resampler, type SampleUnit, type Statistic, toBlocks} from './bootstrap.js'
import {differences, showValue} from './differences.js'
import {bucketsOf} from './histogram-buckets.js'
import {SCHEMA_VERSION} from './results.js'

export const DEFAULT_MAX_REGRESSION = 0.1

/** How the noise is estimated; fixed, so the same two reports always get the same verdict. */
export const BOOTSTRAP = {confidence: 0.95, resamples: 2000, seed: 1} as const

/** Fewer seconds than this in either run and there is no telling noise from change: the ratios alone decide. */
export const MIN_SECONDS = 5

/** A long run is resampled in at most this many blocks of consecutive seconds. */
const MAX_UNITS = 100

export type MetricName = 'max' | 'p50' | 'p90' | 'p99' | 'p99.9' | 'throughput'

/**
 * regression / improvement: beyond the limit, and beyond the noise;
 * noise: beyond the limit, but its interval holds no change;
 * unchanged: within the limit; not judged: the maximum (a single response), or a figure missing.
 */
export type Verdict = 'improvement' | 'noise' | 'not judged' | 'regression' | 'unchanged'

export interface MetricComparison {
  base: null | number
  /** Which way is better. */
  better: 'higher' | 'lower'
  /** The interval of new / base that holds `confidence` of the resampled ratios; null without a bootstrap. */
  interval: null | RatioInterval
  name: MetricName
  new: null | number
  /** new / base; null when either is missing or the base is 0. */
  ratio: null | number
  unit: 'ms' | 'req/s'
  verdict: Verdict
}

export interface RunSide {
  durationSeconds: number
  file: string
  /** The one-second intervals it holds. */
  intervals: number
  responses: number
  startedAt: string
}

export interface Comparison {
  base: RunSide
  /** How the noise was estimated; null when a run has fewer than MIN_SECONDS seconds. */
  bootstrap: null | {confidence: number; resamples: number; seed: number; units: {base: number; new: number}}
  /** The largest change allowed, as a fraction (0.1: 10%). */
  maxRegression: number
  metrics: MetricComparison[]
  new: RunSide
  passed: boolean
  /** Where the two runs' plans differ, such as "connections: 50 → 100". */
  planDifferences: string[]
  /** The metrics that regressed. */
  regressions: MetricName[]
  schemaVersion: typeof SCHEMA_VERSION
}

export interface CompareOptions {
  maxRegression: number
}

interface MetricSpec {
  better: 'higher' | 'lower'
  judged: boolean
  name: MetricName
  unit: 'ms' | 'req/s'
  /** The figure as the report states it. */
  value(report: LoadReport): null | number
}

const percentile = (name: MetricName, key: 'p50' | 'p90' | 'p99' | 'p999', judged = true): MetricSpec => ({
  better: 'lower',
  judged,
  name,
  unit: 'ms',
  value: (report) => report.latencyMs?.[key] ?? null,
})

const METRICS: MetricSpec[] = [
  {better: 'higher', judged: true, name: 'throughput', unit: 'req/s', value: (report) => report.requests.perSecond},
  percentile('p50', 'p50'),
  percentile('p90', 'p90'),
  percentile('p99', 'p99'),
  percentile('p99.9', 'p999'),
  {better: 'lower', judged: false, name: 'max', unit: 'ms', value: (report) => report.latencyMs?.max ?? null},
]

/** What each judged metric is in a resample. */
const STATISTICS: Record<string, Statistic> = {
  p50: (run, w) => run.percentile(w, 50),
  p90: (run, w) => run.percentile(w, 90),
  p99: (run, w) => run.percentile(w, 99),
  'p99.9': (run, w) => run.percentile(w, 99.9),
  throughput: (run, w) => run.throughput(w),
}

export function compareReports(base: ReportFile, next: ReportFile, options: CompareOptions): Comparison {
  const responses = (r: LoadReport) => Object.values(r.statusCodes).reduce((a, b) => a + b, 0)
  if (responses(base.report) === 0) throw new UserError(`${base.file} has no responses: there is nothing to compare against`)
  const baseUnits = unitsOf(base.report)
  const nextUnits = unitsOf(next.report)
  const enough = baseUnits.length >= MIN_SECONDS && nextUnits.length >= MIN_SECONDS
  const judged = METRICS.filter((m) => m.judged)
  const intervals = enough
    ? bootstrapRatios(new Resampler(baseUnits), new Resampler(nextUnits), judged.map((m) => STATISTICS[m.name]), BOOTSTRAP)
    : judged.map(() => null)
  const metrics = METRICS.map((spec): MetricComparison => {
    const baseValue = spec.value(base.report)
    const newValue = spec.value(next.report)
    const ratio = baseValue === null || newValue === null || baseValue === 0 ? null : newValue / baseValue
    const interval = spec.judged ? intervals[judged.indexOf(spec)] : null
    return {
      base: baseValue,
      better: spec.better,
      interval: interval && {high: round(interval.high), low: round(interval.low)},
      name: spec.name,
      new: newValue,
      ratio: ratio === null ? null : round(ratio),
      unit: spec.unit,
      verdict: spec.judged ? judge(spec.better, ratio, interval, options.maxRegression) : 'not judged',
    }
  })
  const regressions = metrics.filter((m) => m.verdict === 'regression').map((m) => m.name)
  return {
    schemaVersion: SCHEMA_VERSION,
    base: sideOf(base),
    new: sideOf(next),
    maxRegression: options.maxRegression,
    bootstrap: enough ? {...BOOTSTRAP, units: {base: baseUnits.length, new: nextUnits.length}} : null,
    metrics,
    planDifferences: differences(base.report.plan, next.report.plan).map((d) => `${d.path}: ${showValue(d.a)} → ${showValue(d.b)}`),
    regressions,
    passed: regressions.length === 0,
  }
}

/** Ratios to four decimals: finer than any run measures. */
const round = (x: number) => (Number.isFinite(x) ? Math.round(x * 10_000) / 10_000 : x)

function sideOf({file, report}: ReportFile): RunSide {
  return {
    durationSeconds: report.durationSeconds,
    file,
    intervals: report.intervals.length,
    responses: Object.values(report.statusCodes).reduce((a, b) => a + b, 0),
    startedAt: report.startedAt,
  }
}

export function judge(better: 'higher' | 'lower', ratio: null | number, interval: null | RatioInterval, limit: number): Verdict {
  if (ratio === null) return 'not judged'
  const worse = better === 'higher' ? ratio < 1 - limit : ratio > 1 + limit
  const improved = better === 'higher' ? ratio > 1 + limit : ratio < 1 - limit
  if (!worse && !improved) return 'unchanged'
  // Too few seconds to estimate the noise: the ratio alone decides.
  if (interval === null) return worse ? 'regression' : 'improvement'
  const higher = interval.low > 1
  const lower = interval.high < 1
  if (worse) return (better === 'higher' ? lower : higher) ? 'regression' : 'noise'
  return (better === 'higher' ? higher : lower) ? 'improvement' : 'noise'
}

/**
 * A run's seconds as bootstrap units. A last second cut short is drawn
 * together with the one before it, so that a sliver does not weigh as much
 * as a whole second; a long run is cut into blocks of consecutive seconds.
 */
export function unitsOf(report: LoadReport): SampleUnit[] {
  const last = report.intervals.length - 1
  const units = report.intervals.map((interval, i): SampleUnit => ({
    latency: bucketsOf(decodeFromCompressedBase64(interval.histogram)),
    responses: interval.responses,
    seconds: i < last ? 1 : Math.max(0, report.durationSeconds - interval.second),
  }))
  if (units.length >= 2 && units[last].seconds < 1) {
    const [joined] = toBlocks(units.slice(-2), 1)
    units.splice(-2, 2, joined)
  }

  return toBlocks(units, MAX_UNITS)
}

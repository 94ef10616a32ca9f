// Reads a `load-test --json` report back from a file for merge and compare,
// and refuses anything they cannot trust in one line that names the file and
// what is wrong: a missing file, not JSON, another schema version, a field of
// the wrong type, or a histogram that does not decode or does not hold what
// the report counts (a truncated or corrupted file).
import {decodeFromCompressedBase64, type Histogram} from 'hdr-histogram-js'
import {readFile} from 'node:fs/promises'

import type {LoadReport} from './report.js'

import {UserError} from '../errors.js'
import {SCHEMA_VERSION} from './results.js'

/** A report and the file it came from, which messages name. */
export interface ReportFile {
  file: string
  report: LoadReport
}

/** The precision webkit records at (see createHistogram): adding histograms is exact only between equal ones. */
const SIGNIFICANT_DIGITS = 3

const FS_REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EISDIR: 'it is a directory',
  ENOENT: 'no such file',
  ENOTDIR: 'a part of the path is not a directory',
}

export async function readReport(file: string): Promise<ReportFile> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? ''
    throw new UserError(`cannot read ${file}: ${FS_REASONS[code] ?? (code || (error as Error).message)}`)
  }

  if (text.trim() === '') throw new UserError(`${file} is empty: expected the JSON that load-test --json prints`)
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    const reason = (error as Error).message.replaceAll(/\s+/g, ' ').slice(0, 120)
    throw new UserError(`${file} is not JSON (${reason}): expected what load-test --json prints`)
  }

  return {file, report: validateReport(json, file)}
}

/** Checks `json` is a single-run report of this schema version whose histograms hold what it counts. */
export function validateReport(json: unknown, file: string): LoadReport {
  const v = new Validator(file)
  if (!isObject(json) || !('schemaVersion' in json)) {
    throw new UserError(`${file} is not a webkit load-test report (no schemaVersion): expected what load-test --json prints`)
  }

  const version = json.schemaVersion
  if (version === 1) {
    throw new UserError(
      `${file} is a schemaVersion 1 report, which has no histograms or intervals: merge and compare need schemaVersion ${SCHEMA_VERSION} (run the load test again with this webkit)`,
    )
  }

  if (version !== SCHEMA_VERSION) {
    throw new UserError(`${file} has schemaVersion ${JSON.stringify(version)}; this webkit reads schemaVersion ${SCHEMA_VERSION}`)
  }

  if (Array.isArray(json.runs)) {
    throw new UserError(`${file} holds ${json.runs.length} runs of a --workers list: merge and compare take one run per file`)
  }

  v.shape(json, '', {
    bytes: count,
    bytesPerSecond: number,
    checks: list(shapeOf({detail: string, name: string, passed: boolean})),
    command: list(string),
    connections: count,
    durationSeconds: number,
    errors: counts,
    histograms: shapeOf({corrected: string, uncorrected: nullable(string)}),
    interrupted: boolean,
    intervals: list(
      shapeOf({
        bytes: count,
        failed: counts,
        histogram: string,
        ok: count,
        responses: count,
        second: count,
        startMs: number,
        workers: counts,
      }),
    ),
    latencyMs: nullable(latency),
    passed: boolean,
    plan: shapeOf({
      connections: count,
      durationSeconds: nullable(number),
      expectStatus: list(string),
      method: string,
      rate: nullable(number),
      requests: nullable(count),
      targets: list(
        shapeOf({checkedByRoute: boolean, expectInstances: nullable(count), expectWorkers: nullable(count), name: string, paths: list(string), url: string}),
      ),
      timeoutSeconds: number,
      warmupSeconds: number,
    }),
    rate: nullable(number),
    requests: shapeOf({failed: count, inFlight: count, ok: count, perSecond: number, queued: count, total: count}),
    startedAt: date,
    statusCodes: counts,
    targets: list(
      shapeOf({
        firstMismatch: nullable(string),
        imbalance: nullable(number),
        instances: counts,
        mismatches: count,
        name: string,
        paths: list(string),
        poolWorkers: nullable(count),
        requests: count,
        url: string,
        workers: list(shapeOf({connections: count, id: string, requests: count, share: number})),
      }),
    ),
    threads: count,
    thresholds: shapeOf({maxErrorRate: number, maxP99Ms: nullable(number), minRps: nullable(number)}),
    warmupSeconds: number,
    workers: counts,
  })
  const report = json as unknown as LoadReport
  if (report.targets.length !== report.plan.targets.length) v.fail('targets', `lists ${report.targets.length} targets but plan.targets ${report.plan.targets.length}`)
  const responses = Object.values(report.statusCodes).reduce((a, b) => a + b, 0)
  v.histogram(report.histograms.corrected, 'histograms.corrected', responses, 'responses')
  if (report.histograms.uncorrected !== null) v.histogram(report.histograms.uncorrected, 'histograms.uncorrected', responses, 'responses')
  for (const [i, interval] of report.intervals.entries()) {
    v.histogram(interval.histogram, `intervals[${i}].histogram`, interval.responses, "of that second's responses")
  }

  const inIntervals = report.intervals.reduce((sum, interval) => sum + interval.responses, 0)
  if (inIntervals !== responses) v.fail('intervals', `add up to ${inIntervals} responses but the report counts ${responses}`)
  return report
}

type Check = (value: unknown, path: string, v: Validator) => string | undefined

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)
const number: Check = (value) => (typeof value === 'number' && Number.isFinite(value) ? undefined : 'must be a number')
const count: Check = (value) => (Number.isInteger(value) && (value as number) >= 0 ? undefined : 'must be a whole number of at least 0')
const string: Check = (value) => (typeof value === 'string' ? undefined : 'must be a string')
const boolean: Check = (value) => (typeof value === 'boolean' ? undefined : 'must be true or false')
const date: Check = (value) => (typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? undefined : 'must be an ISO 8601 date')
const nullable =
  (check: Check): Check =>
  (value, path, v) =>
    value === null ? undefined : check(value, path, v)
const list =
  (check: Check): Check =>
  (value, path, v) => {
    if (!Array.isArray(value)) return 'must be a list'
    for (const [i, item] of value.entries()) v.check(item, `${path}[${i}]`, check)
    return undefined
  }

const shapeOf =
  (fields: Record<string, Check>): Check =>
  (value, path, v) => {
    if (!isObject(value)) return 'must be an object'
    v.shape(value, path, fields)
    return undefined
  }

const counts: Check = (value, path, v) => {
  if (!isObject(value)) return 'must be an object of counts'
  for (const [key, n] of Object.entries(value)) v.check(n, `${path}.${key}`, count)
  return undefined
}

const latency = shapeOf({max: number, mean: number, p50: number, p90: number, p99: number, p999: number})

class Validator {
  constructor(private readonly file: string) {}

  fail(path: string, problem: string): never {
    throw new UserError(`${this.file}: ${path} ${problem} (a truncated or edited report?)`)
  }

  check(value: unknown, path: string, check: Check): void {
    if (value === undefined) this.fail(path, 'is missing')
    const problem = check(value, path, this)
    if (problem !== undefined) this.fail(path, problem)
  }

  shape(value: Record<string, unknown>, path: string, fields: Record<string, Check>): void {
    for (const [key, check] of Object.entries(fields)) this.check(value[key], path === '' ? key : `${path}.${key}`, check)
  }

  /** `encoded` decodes as one of webkit's histograms and holds `expected` values. */
  histogram(encoded: string, path: string, expected: number, what: string): void {
    let histogram: Histogram
    try {
      histogram = decodeFromCompressedBase64(encoded)
    } catch (error) {
      this.fail(path, `is not an HdrHistogram in compressed V2 base64 (${(error as Error).message})`)
    }

    if (histogram.numberOfSignificantValueDigits !== SIGNIFICANT_DIGITS) {
      this.fail(path, `has ${histogram.numberOfSignificantValueDigits} significant digits, not webkit's ${SIGNIFICANT_DIGITS}`)
    }

    if (histogram.totalCount !== expected) this.fail(path, `holds ${histogram.totalCount} latencies for ${expected} ${what}`)
  }
}

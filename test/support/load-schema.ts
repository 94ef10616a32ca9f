// The --json schema of `webkit load-test` (schemaVersion 2), as an assertion.
import {decodeFromCompressedBase64} from 'hdr-histogram-js'
import {strict as assert} from 'node:assert'

const isCount = (v: unknown) => Number.isInteger(v) && (v as number) >= 0
const isNumber = (v: unknown) => typeof v === 'number' && Number.isFinite(v)

function assertCounts(value: unknown, what: string): void {
  assert.equal(typeof value, 'object', what)
  for (const [key, n] of Object.entries(value as object)) assert.ok(isCount(n), `${what}.${key} = ${n}`)
}

function assertLatency(value: unknown, what: string): void {
  if (value === null) return
  const l = value as Record<string, unknown>
  assert.deepEqual(Object.keys(l).sort(), ['max', 'mean', 'p50', 'p90', 'p99', 'p999'], what)
  for (const key of Object.keys(l)) assert.ok(isNumber(l[key]) && (l[key] as number) >= 0, `${what}.${key}`)
  assert.ok((l.p50 as number) <= (l.p90 as number) && (l.p90 as number) <= (l.p99 as number), `${what} percentiles in order`)
  assert.ok((l.p99 as number) <= (l.p999 as number) && (l.p999 as number) <= (l.max as number), `${what} p99.9 <= max`)
}

/** Asserts `report` is one load-test report with the documented fields and types, and that its counts add up. */
export function assertLoadReport(report: Record<string, unknown>): void {
  assert.equal(report.schemaVersion, 2)
  assert.ok(!Number.isNaN(Date.parse(report.startedAt as string)) && (report.startedAt as string).endsWith('Z'), 'startedAt')
  assert.ok(Array.isArray(report.command) && (report.command as unknown[]).every((a) => typeof a === 'string'), 'command')
  assert.equal(typeof report.plan, 'object', 'plan')
  assert.equal(typeof report.thresholds, 'object', 'thresholds')
  assert.ok(Array.isArray(report.targets) && report.targets.length > 0, 'targets')
  for (const t of report.targets as Record<string, unknown>[]) {
    assert.equal(typeof t.name, 'string')
    assert.match(t.url as string, /^http:\/\//)
    assert.ok(Array.isArray(t.paths))
    assert.ok(Array.isArray(t.workers))
  }

  assert.ok(isCount(report.connections), 'connections')
  assert.ok(isNumber(report.durationSeconds), 'durationSeconds')
  const r = report.requests as Record<string, number>
  for (const key of ['total', 'ok', 'failed', 'inFlight', 'queued']) assert.ok(isCount(r[key]), `requests.${key}`)
  assert.ok(isNumber(r.perSecond), 'requests.perSecond')
  assert.equal(r.total, r.ok + r.failed + r.inFlight, 'sent = ok + failed + in flight')
  assert.ok(isNumber(report.bytesPerSecond), 'bytesPerSecond')
  assert.equal(typeof report.interrupted, 'boolean', 'interrupted')
  assertLatency(report.latencyMs, 'latencyMs')
  if (report.rate === null) assert.ok(!('uncorrectedLatencyMs' in report), 'uncorrectedLatencyMs only with --rate')
  else assertLatency(report.uncorrectedLatencyMs, 'uncorrectedLatencyMs')
  assertCounts(report.statusCodes, 'statusCodes')
  assertCounts(report.errors, 'errors')
  assert.equal(
    Object.values(report.errors as Record<string, number>).reduce((a, b) => a + b, 0),
    r.failed,
    'errors add up to failed',
  )
  assertCounts(report.workers, 'workers')
  assert.ok(Array.isArray(report.checks) && report.checks.length > 0, 'checks')
  for (const c of report.checks as Record<string, unknown>[]) {
    assert.equal(typeof c.name, 'string')
    assert.equal(typeof c.passed, 'boolean')
    assert.equal(typeof c.detail, 'string')
  }

  assert.equal(report.passed, (report.checks as {passed: boolean}[]).every((c) => c.passed), 'passed = every check passed')
  assertResultsAddUp(report)
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0)

/** The histograms hold every response, and the intervals add up to the totals. */
function assertResultsAddUp(report: Record<string, unknown>): void {
  const responses = sum(Object.values(report.statusCodes as Record<string, number>))
  const histograms = report.histograms as {corrected: string; uncorrected: null | string}
  assert.equal(decodeFromCompressedBase64(histograms.corrected).totalCount, responses, 'the histogram holds every response')
  if (report.rate === null) assert.equal(histograms.uncorrected, null)
  else assert.equal(decodeFromCompressedBase64(histograms.uncorrected!).totalCount, responses, 'uncorrected too')

  type Interval = {bytes: number; failed: Record<string, number>; histogram: string; ok: number; responses: number; second: number; startMs: number; workers: Record<string, number>}
  const intervals = report.intervals as Interval[]
  assert.ok(Array.isArray(intervals), 'intervals')
  assert.deepEqual(
    intervals.map((i) => i.second),
    intervals.map((_, n) => n),
    'one interval per second, in order',
  )
  for (const i of intervals) {
    assert.equal(decodeFromCompressedBase64(i.histogram).totalCount, i.responses, `second ${i.second}: its histogram holds its responses`)
    assert.equal(i.startMs, intervals[0].startMs + i.second * 1000)
  }

  const r = report.requests as Record<string, number>
  assert.equal(sum(intervals.map((i) => i.ok)), r.ok, 'intervals add up to ok')
  assert.equal(sum(intervals.map((i) => i.responses)), responses, 'intervals add up to the responses')
  assert.equal(sum(intervals.map((i) => i.bytes)), report.bytes, 'intervals add up to the bytes')
  const failed: Record<string, number> = {}
  const workers: Record<string, number> = {}
  for (const i of intervals) {
    for (const [kind, n] of Object.entries(i.failed)) failed[kind] = (failed[kind] ?? 0) + n
    for (const [worker, n] of Object.entries(i.workers)) workers[worker] = (workers[worker] ?? 0) + n
  }

  assert.deepEqual(failed, report.errors, 'intervals add up to the errors by kind')
  assert.deepEqual(workers, report.workers, 'intervals add up to the workers')
}

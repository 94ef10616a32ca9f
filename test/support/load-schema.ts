// The --json schema of `webkit load-test` (schemaVersion 1), as an assertion.
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
  assert.equal(report.schemaVersion, 1)
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
}

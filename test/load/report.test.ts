import {strict as assert} from 'node:assert'

import {Chalk} from 'chalk'

import type {EngineResult} from '../../src/load/engine.js'
import {type LoadPlan, type TargetPlan, WHOLE} from '../../src/load/plan.js'

import {buildReport, buildScalingReport} from '../../src/load/report.js'
import {renderReport, renderScaling} from '../../src/load/report-text.js'
import {createHistogram} from '../../src/load/histogram.js'
import {emptyTally} from '../../src/load/tally.js'
import {encodeIntoCompressedBase64} from 'hdr-histogram-js'
import {assertLoadReport} from '../support/load-schema.js'

const plain = new Chalk({level: 0})
const thresholds = {maxErrorRate: 0, maxP99Ms: null, minRps: null}

function target(name: string, expectWorkers: null | number, withExpectation = false): TargetPlan {
  const expect = withExpectation ? {body: new Uint8Array(2), contentType: 'text/plain', status: 200} : undefined
  return {expectInstances: null, expectWorkers, host: '127.0.0.1', name, port: 1, requests: [{expect, headers: {}, method: 'GET', path: '/'}], url: 'http://127.0.0.1:1'}
}

function plan(targets: TargetPlan[], rate: null | number = null): LoadPlan {
  return {
    expectStatus: ['2xx'],
    limits: {connections: 4, durationMs: 2000, rate, requests: null, segment: WHOLE, threads: 1, timeoutMs: 1000, warmupMs: 0},
    targets,
  }
}

/** A run where each target got `perWorker` responses from each of its workers. */
function result(workers: string[][], perWorker = 100, rate = false): EngineResult {
  const tally = emptyTally(workers.length)
  const corrected = createHistogram()
  for (const [i, ids] of workers.entries()) {
    for (const id of ids) {
      tally.targets[i].workers[id] = perWorker
      tally.targets[i].connections[id] = 1
    }

    tally.targets[i].responses = perWorker * ids.length
  }

  const total = perWorker * workers.flat().length
  Object.assign(tally, {bytes: total * 100, measuredMs: 2000, ok: total, responses: total, sent: total + 2, inFlight: 2, statuses: {'200': total}})
  for (let i = 0; i < total; i++) corrected.recordValue(1000 + i)
  return {latencies: {corrected, uncorrected: rate ? createHistogram() : null}, tally}
}

/** The run's counts as one interval, as the engine would hand them over for a run of under a second. */
function settled(run: EngineResult, names: string[] = []): EngineResult {
  const {tally} = run
  const workers: Record<string, number> = {}
  for (const [i, target] of tally.targets.entries()) {
    for (const [id, n] of Object.entries(target.workers)) workers[names.length > 1 ? `${names[i]}:${id}` : id] = n
  }

  const responses = Object.values(tally.statuses).reduce((a, b) => a + b, 0)
  tally.startedAtMs = Date.UTC(2026, 11, 1, 9)
  tally.intervals = [
    {bytes: tally.bytes, failed: {...tally.errors}, histogram: encodeIntoCompressedBase64(run.latencies.corrected), ok: tally.ok, responses, second: 0, startMs: tally.startedAtMs, workers},
  ]
  return run
}

describe('load/report', () => {
  it('builds the documented JSON object, with counts that add up', () => {
    const report = buildReport(plan([target('color', 2, true)]), settled(result([['1', '2']])), thresholds, ['load-test', '-d', '2'])
    assertLoadReport(JSON.parse(JSON.stringify(report)))
    assert.equal(report.startedAt, '2026-12-01T09:00:00.000Z')
    assert.deepEqual(report.command, ['load-test', '-d', '2'])
    assert.deepEqual(report.plan, {
      connections: 4,
      durationSeconds: 2,
      expectStatus: ['2xx'],
      method: 'GET',
      rate: null,
      requests: null,
      targets: [{checkedByRoute: true, expectInstances: null, expectWorkers: 2, name: 'color', paths: ['/'], url: 'http://127.0.0.1:1'}],
      timeoutSeconds: 1,
      warmupSeconds: 0,
    })
    assert.deepEqual(report.thresholds, thresholds)
    assert.deepEqual(report.intervals[0].latencyMs, {max: 1.199, p50: 1.099, p90: 1.179, p99: 1.197})
    assert.equal(report.requests.perSecond, 100)
    assert.equal(report.bytesPerSecond, 10_000)
    assert.deepEqual(report.workers, {'1': 100, '2': 100})
    assert.deepEqual(
      report.checks.map((c) => [c.name, c.passed]),
      [
        ['responses', true],
        ['workers', true],
        ['errors', true],
      ],
    )
    assert.match(report.checks[0].detail, /all 200 right for their routes/)
    assert.equal(report.passed, true)
  })

  it('names workers by target when several servers were loaded, and checks each pool', () => {
    const report = buildReport(plan([target('color', 2, true), target('image', 2, true)]), result([['1', '2'], ['1']]), thresholds)
    assert.deepEqual(report.workers, {'color:1': 100, 'color:2': 100, 'image:1': 100})
    const image = report.checks.find((c) => c.name === 'workers (image)')!
    assert.equal(image.passed, false)
    assert.match(image.detail, /1 of 2 workers served/)
    assert.equal(report.targets[1].imbalance, null)
    assert.equal(report.passed, false)
  })

  it('hints at the cause when a pool had fewer connections than workers', () => {
    const report = buildReport(plan([target('color', 8, true)]), result([['1', '2', '3', '4']]), thresholds)
    assert.match(report.checks[1].detail, /4 of 8 workers served.*only 4 connections: use at least 8/)
  })

  it('fails on failures, bad responses and thresholds, and passes within an allowed error rate', () => {
    const run = result([['1']])
    Object.assign(run.tally, {errors: {'bad-status': 3, refused: 2}, failed: 5, ok: 95, sent: 102})
    run.tally.targets[0].mismatches = 3
    run.tally.targets[0].firstMismatch = 'GET /: status 500, expected 2xx'
    const failing = buildReport(plan([target('x', null)]), settled(run), {maxErrorRate: 0, maxP99Ms: 0.5, minRps: 1000})
    assertLoadReport(JSON.parse(JSON.stringify(failing)))
    const byName = Object.fromEntries(failing.checks.map((c) => [c.name, c]))
    assert.equal(byName.responses.passed, false)
    assert.match(byName.responses.detail, /3 of 100 had an unexpected status; first: GET \/: status 500/)
    assert.equal(byName.errors.passed, false)
    assert.match(byName.errors.detail, /5 of 100 requests failed \(5\.00%: bad-status 3, refused 2\)/)
    assert.equal(byName['p99 latency'].passed, false)
    assert.equal(byName.throughput.passed, false)
    assert.ok(!('workers' in byName), 'no worker check without an expected pool size')

    const tolerant = buildReport(plan([target('x', null)]), run, {maxErrorRate: 0.05, maxP99Ms: 1000, minRps: 10})
    const tolerated = Object.fromEntries(tolerant.checks.map((c) => [c.name, c]))
    assert.equal(tolerated['error rate'].passed, true)
    assert.equal(tolerated['p99 latency'].passed, true)
    assert.equal(tolerated.throughput.passed, true)
  })

  it('fails a run that got no responses at all', () => {
    const run = result([[]], 0)
    Object.assign(run.tally, {inFlight: 4, sent: 4})
    const report = buildReport(plan([target('x', null)]), run, thresholds)
    assert.equal(report.latencyMs, null)
    assert.equal(report.checks[0].detail, 'no responses received')
    assert.equal(report.passed, false)
  })

  it('reports uncorrected latency only for a constant-rate run', () => {
    assert.ok(!('uncorrectedLatencyMs' in buildReport(plan([target('x', null)]), result([['1']]), thresholds)))
    const rated = buildReport(plan([target('x', null)], 100), result([['1']], 100, true), thresholds)
    assert.equal(rated.uncorrectedLatencyMs, null)
    assert.match(renderReport(rated, plain), /Uncorrected/)
  })

  it('renders the text report with every aspect and the verdict', () => {
    const text = renderReport(buildReport(plan([target('color', 2, true)]), result([['1', '2']]), thresholds), plain)
    for (const line of [/^Requests +202 sent · 200 ok · 0 failed · 2 in flight at the end$/m, /^Throughput +100\.0 req\/s · 10\.0 kB\/s$/m, /^Latency +mean/m, /^Status +200 × 200$/m, /^Errors +none$/m, /^Workers +1 → 100 \(50\.0%, 1 conn\) · 2 → 100 \(50\.0%, 1 conn\) · imbalance 1\.00$/m, /✔ workers: 2 of 2 workers served/, /^PASS$/m]) {
      assert.match(text, line)
    }

    assert.doesNotMatch(text, /\u001B\[/, 'no color codes at level 0')
  })

  it('tabulates req/s and latency against pool sizes', () => {
    const one = buildReport(plan([target('color', 1, true)]), result([['1']], 100), thresholds)
    const two = buildReport(plan([target('color', 2, true)]), result([['1', '2']], 100), thresholds)
    const scaling = buildScalingReport([
      {report: one, workers: 1},
      {report: two, workers: 2},
    ])
    assert.deepEqual(
      scaling.scaling.map((r) => [r.workers, r.requestsPerSecond, r.speedup]),
      [
        [1, 50, 1],
        [2, 100, 2],
      ],
    )
    assert.equal(scaling.passed, true)
    const text = renderScaling(scaling, plain)
    assert.match(text, /## 1 worker\n/)
    assert.match(text, /Scaling: req\/s and latency against workers/)
    assert.match(text, /^ +2 +100\.0 +[\d.]+ +[\d.]+ +2\.00x$/m)
  })
})

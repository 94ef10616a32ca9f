import {strict as assert} from 'node:assert'

import {decodeFromCompressedBase64, encodeIntoCompressedBase64, type Histogram} from 'hdr-histogram-js'

import type {LoadReport} from '../../src/load/report.js'

import {seededRandom} from '../../src/load/bootstrap.js'
import {mergeReports} from '../../src/load/merge.js'
import {summarizeLatency} from '../../src/load/stats.js'
import {createHistogram} from '../../src/load/histogram.js'
import {buildRun, latencies, RESPONSE_BYTES, type RunSpec} from '../support/load-runs.js'
import {assertLoadReport} from '../support/load-schema.js'

const T0 = Date.UTC(2026, 11, 1, 9)

const files = (...reports: LoadReport[]) => reports.map((report, i) => ({file: `run-${i + 1}.json`, report}))
const merge = (reports: LoadReport[], thresholds = {}) => mergeReports(files(...reports), {command: ['load-test', 'merge'], thresholds})

function union(...runs: number[][][]): Histogram {
  const h = createHistogram()
  for (const value of runs.flat(2)) h.recordValue(value)
  return h
}

/** The union as a report carries it: encoded, so its maximum is read at the histogram's precision (three significant digits). */
const carried = (h: Histogram) => decodeFromCompressedBase64(encodeIntoCompressedBase64(h))

/** Seconds of seeded latencies: `perSecond` responses a second around `medianUs`. */
function seconds(seed: number, count: number, perSecond: number, medianUs: number): number[][] {
  const random = seededRandom(seed)
  return Array.from({length: count}, () => latencies(random, perSecond, medianUs))
}

/** Who cannot merge with whom, and why: the one line the user reads. */
async function refusal(reports: LoadReport[], thresholds = {}): Promise<string> {
  const error = await merge(reports, thresholds).then(
    () => assert.fail('expected the merge to be refused'),
    (error: Error) => error,
  )
  assert.equal(error.name, 'UserError')
  assert.doesNotMatch(error.message, /\n/, 'one line')
  return error.message
}

describe('load/merge', () => {
  it('gives exactly the histogram of the union of the runs, and percentiles read from it, never averaged', async () => {
    // Three generators with very different latencies, starting within the same second.
    const runs = [seconds(1, 3, 400, 2000), seconds(2, 3, 300, 9000), seconds(3, 3, 50, 40_000)]
    const reports = await Promise.all(runs.map((s, i) => buildRun({seconds: s, startMs: T0 + i * 150})))
    const merged = await merge(reports)
    const all = union(...runs)
    const decoded = decodeFromCompressedBase64(merged.histograms.corrected)
    assert.equal(decoded.totalCount, 3 * 400 + 3 * 300 + 3 * 50)
    assert.equal(merged.histograms.corrected, encodeIntoCompressedBase64(all), 'the same buckets, the same counts')
    assert.deepEqual(merged.latencyMs, summarizeLatency(carried(all)))
    const exact = summarizeLatency(all)!
    assert.ok(merged.latencyMs!.max >= exact.max && merged.latencyMs!.max <= exact.max * 1.001, `max ${merged.latencyMs!.max} for ${exact.max}`)
    const averaged = reports.reduce((sum, r) => sum + r.latencyMs!.p99, 0) / reports.length
    assert.ok(Math.abs(merged.latencyMs!.p99 - averaged) > 1, `p99 ${merged.latencyMs!.p99} is not the runs' average ${averaged}`)
    assertLoadReport(JSON.parse(JSON.stringify(merged)))
  })

  it('adds up every count, sums the load and takes the longest duration', async () => {
    const a = await buildRun({connections: 10, failures: [2, 0, 1], seconds: seconds(4, 3, 100, 1000), startMs: T0, threads: 2, workers: ['1', '2']})
    const b = await buildRun({badStatusEvery: 50, connections: 10, durationSeconds: 3, measuredSeconds: 3.5, seconds: seconds(5, 3, 80, 1000).concat([latencies(seededRandom(50), 80, 1000)]), startMs: T0 + 200, workers: ['2', '3']})
    const merged = await merge([a, b])
    assertLoadReport(JSON.parse(JSON.stringify(merged)))
    assert.deepEqual(merged.requests, {
      failed: a.requests.failed + b.requests.failed,
      inFlight: 0,
      ok: a.requests.ok + b.requests.ok,
      perSecond: Math.round(((300 + 320) / 3.5) * 10) / 10,
      queued: 0,
      total: a.requests.total + b.requests.total,
    })
    assert.deepEqual(merged.errors, {'bad-status': 6, timeout: 3})
    assert.deepEqual(merged.statusCodes, {'200': 614, '500': 6})
    assert.equal(merged.bytes, 620 * RESPONSE_BYTES)
    assert.deepEqual(merged.workers, {'1': a.workers['1'], '2': a.workers['2'] + b.workers['2'], '3': b.workers['3']})
    assert.deepEqual(
      merged.targets[0].workers.map((w) => [w.id, w.requests, w.connections]),
      [
        ['1', a.workers['1'], 1],
        ['2', a.workers['2'] + b.workers['2'], 2],
        ['3', b.workers['3'], 1],
      ],
    )
    assert.equal(merged.durationSeconds, 3.5)
    assert.equal(merged.connections, 20, 'the load the server saw')
    assert.equal(merged.threads, 3)
    assert.deepEqual(merged.plan, a.plan, 'the plan each run was given')
    assert.deepEqual(merged.command, ['load-test', 'merge'])
    assert.equal(merged.startedAt, a.startedAt, 'the earliest start')
    assert.equal(merged.targets[0].firstMismatch, 'GET /: status 500, expected 2xx')
  })

  it('aligns seconds by the wall clock: a run that started later adds to the seconds it ran in', async () => {
    const early = seconds(6, 3, 60, 1000)
    const late = seconds(7, 3, 40, 5000)
    // 1.6 s later: its second 0 is nearest to the early run's second 2.
    const merged = await merge([await buildRun({seconds: early, startMs: T0}), await buildRun({seconds: late, startMs: T0 + 1600})])
    assert.deepEqual(
      merged.intervals.map((i) => [i.second, i.startMs - T0, i.responses]),
      [
        [0, 0, 60],
        [1, 1000, 60],
        [2, 2000, 100],
        [3, 3000, 40],
        [4, 4000, 40],
      ],
    )
    const expected = [[early[0]], [early[1]], [early[2], late[0]], [late[1]], [late[2]]]
    for (const [second, values] of expected.entries()) {
      assert.equal(merged.intervals[second].histogram, encodeIntoCompressedBase64(union(values)), `second ${second}`)
      const {max, p50, p90, p99} = summarizeLatency(carried(union(values)))!
      assert.deepEqual(merged.intervals[second].latencyMs, {max, p50, p90, p99}, `second ${second}: percentiles of its merged histogram`)
    }

    // Within half a second, the runs share their seconds.
    const close = await merge([await buildRun({seconds: early, startMs: T0}), await buildRun({seconds: late, startMs: T0 + 400})])
    assert.deepEqual(
      close.intervals.map((i) => i.responses),
      [100, 100, 100],
    )
    const apart = await merge([await buildRun({seconds: early, startMs: T0}), await buildRun({seconds: late, startMs: T0 + 600})])
    assert.deepEqual(
      apart.intervals.map((i) => i.responses),
      [60, 100, 100, 40],
    )
  })

  it('judges the merged run by the thresholds again: what each generator missed, together they reach', async () => {
    const thresholds = {minRps: 150}
    const a = await buildRun({seconds: seconds(8, 3, 100, 1000), startMs: T0, thresholds})
    const b = await buildRun({seconds: seconds(9, 3, 100, 1000), startMs: T0 + 100, thresholds})
    assert.equal(a.passed, false)
    assert.equal(b.passed, false)
    const merged = await merge([a, b])
    assert.equal(merged.passed, true)
    assert.deepEqual(merged.thresholds, {maxErrorRate: 0, maxP99Ms: null, minRps: 150})
    assert.deepEqual(merged.checks.find((c) => c.name === 'throughput'), {detail: '200 req/s, at least 150 required', name: 'throughput', passed: true})

    // The p99 of the sum, not of either run: one fast run and one slow one.
    const fast = await buildRun({seconds: seconds(10, 3, 100, 1000), startMs: T0})
    const slow = await buildRun({seconds: seconds(11, 3, 100, 30_000), startMs: T0})
    const judged = await merge([fast, slow], {maxP99Ms: 40})
    const p99 = judged.checks.find((c) => c.name === 'p99 latency')!
    assert.equal(p99.detail, `p99 ${judged.latencyMs!.p99} ms, at most 40 ms allowed`)
    assert.equal(p99.passed, judged.latencyMs!.p99 <= 40)
    assert.ok(judged.latencyMs!.p99 > fast.latencyMs!.p99 && judged.latencyMs!.p99 < slow.latencyMs!.p99 * 1.5)
  })

  it('fails the merged run when any run had failures or was interrupted, as a run would', async () => {
    const good = await buildRun({seconds: seconds(12, 3, 100, 1000), startMs: T0})
    const bad = await buildRun({badStatusEvery: 10, seconds: seconds(13, 3, 100, 1000), startMs: T0})
    const merged = await merge([good, bad])
    assert.equal(merged.passed, false)
    assert.deepEqual(merged.checks.find((c) => c.name === 'responses'), {
      detail: '30 of 600 had an unexpected status; first: GET /: status 500, expected 2xx',
      name: 'responses',
      passed: false,
    })
    assert.match(merged.checks.find((c) => c.name === 'errors')!.detail, /^30 of 600 requests failed \(5\.00%: bad-status 30\)$/)
    const allowed = await merge([good, bad], {maxErrorRate: 0.1})
    assert.equal(allowed.checks.find((c) => c.name === 'error rate')!.passed, true)

    const interrupted = {...good, interrupted: true}
    const stopped = await merge([interrupted, bad])
    assert.equal(stopped.interrupted, true)
    assert.equal(stopped.checks[0].name, 'completed')
  })

  it('describes responses of a built-in server as checked by route, and of a --url one by status', async () => {
    const builtin = (seed: number) => buildRun({builtin: true, seconds: seconds(seed, 3, 50, 1000), startMs: T0, url: 'http://127.0.0.1:41921'})
    const merged = await merge([await builtin(14), await builtin(16)])
    assert.equal(merged.checks[0].detail, 'all 300 right for their routes (status, Content-Type and body)')
    assert.deepEqual(merged.targets[0].paths, (await builtin(14)).targets[0].paths)
    // A --url target is named by its host, even one named like a built-in server.
    const url = (seed: number) => buildRun({seconds: seconds(seed, 3, 50, 1000), startMs: T0, url: 'http://color/'})
    assert.equal((await url(15)).targets[0].name, 'color')
    assert.equal((await merge([await url(15), await url(17)])).checks[0].detail, 'all 300 had status 2xx')
  })

  it('merges a merged report again exactly as if all runs had been merged at once', async () => {
    const specs: RunSpec[] = [0, 1, 2].map((i) => ({seconds: seconds(20 + i, 3, 50 + i * 30, 1000 * (i + 1)), startMs: T0 + i * 300}))
    const [a, b, c] = await Promise.all(specs.map((s) => buildRun(s)))
    const twice = await merge([JSON.parse(JSON.stringify(await merge([a, b]))), c])
    const once = await merge([a, b, c])
    assert.deepEqual(twice, once)
    const alone = await merge([a])
    assert.deepEqual({...alone, command: a.command, latencyMs: {...alone.latencyMs, max: a.latencyMs!.max}}, a, 'one run merged is that run')
  })

  it('makes the one run of a plan from its segments, and judges the workers, which no segment could', async () => {
    const spec = (index: number, worker: string): RunSpec => ({
      connections: 10,
      expectWorkers: 2,
      rate: 100,
      seconds: seconds(40 + index, 3, 50, 1000),
      segment: {count: 2, index},
      startMs: T0 + index * 3,
      workers: [worker],
    })
    const one = await buildRun(spec(0, '1'))
    const two = await buildRun(spec(1, '2'))
    assert.deepEqual(one.segment, {count: 2, index: 1})
    assert.ok(!one.checks.some((c) => c.name === 'workers'), 'a segment leaves the workers to the merge')
    const merged = await merge([one, two])
    assert.equal(merged.segment, null)
    assert.equal(merged.connections, 10, "the plan's connections, which the two segments shared")
    assert.equal(merged.rate, 100)
    assert.deepEqual(merged.checks.find((c) => c.name === 'workers'), {detail: '2 of 2 workers served; imbalance 1.00', name: 'workers', passed: true})
    assert.deepEqual(merged.plan, one.plan)
    // With a run of the whole plan beside them, the servers saw twice the plan.
    const whole = await buildRun({...spec(0, '1'), seconds: seconds(60, 3, 50, 1000), segment: undefined, workers: ['1', '2']})
    assert.equal((await merge([one, whole, two])).connections, 20)

    assert.equal(await refusal([one, one]), 'cannot merge run-2.json with run-1.json: both ran segment 1/2 of the plan')
    assert.equal(await refusal([two]), 'cannot merge run-1.json: segment 1/2 of the plan is missing; give the report of every segment')
  })

  it('adds up the instances behind a balancer, and judges every instance and its workers again', async () => {
    const spec = (seed: number, instance: string): RunSpec => ({
      expectInstances: 2,
      expectWorkers: 2,
      seconds: seconds(seed, 3, 40, 1000),
      startMs: T0,
      workers: [`${instance}/1`, `${instance}/2`],
    })
    // The balancer sent each generator to one instance only.
    const a = await buildRun(spec(50, 'a'))
    const b = await buildRun(spec(51, 'b'))
    assert.deepEqual(a.checks.find((c) => c.name === 'instances'), {detail: '1 of 2 instances served (a 120)', name: 'instances', passed: false})
    const merged = await merge([a, b])
    assert.deepEqual(merged.targets[0].instances, {a: 120, b: 120})
    assert.deepEqual(
      merged.checks.filter((c) => c.name === 'instances' || c.name === 'workers'),
      [
        {detail: '2 of 2 instances served (a 120, b 120)', name: 'instances', passed: true},
        {detail: '2 of 2 workers served on each of 2 instances', name: 'workers', passed: true},
      ],
    )
    assert.equal(merged.passed, true)
  })

  it('refuses runs of different plans, naming the field that differs', async () => {
    const base: RunSpec = {seconds: seconds(30, 3, 10, 1000), startMs: T0}
    const a = await buildRun(base)
    assert.equal(
      await refusal([a, await buildRun({...base, connections: 20})]),
      'cannot merge run-2.json with run-1.json: they ran different plans (plan.connections: 10 in run-1.json, 20 in run-2.json); merge adds up runs of one plan',
    )
    assert.match(
      await refusal([a, await buildRun({...base, url: 'http://127.0.0.1:9090'})]),
      /they ran different plans \(plan\.targets\[0\]\.name: "127\.0\.0\.1:8080" in run-1\.json, "127\.0\.0\.1:9090" in run-2\.json and 1 more\)/,
    )
    assert.match(await refusal([a, a, await buildRun({...base, seconds: seconds(30, 4, 10, 1000)})]), /^cannot merge run-3\.json with run-1\.json: .*plan\.durationSeconds: 3 in run-1\.json, 4 in run-3\.json/)
    assert.equal(
      await refusal([a, await buildRun({...base, seconds: seconds(32, 3, 10, 1000)}), a]),
      'cannot merge run-3.json with run-1.json: they are the same run (measured from 2026-12-01T09:00:00.000Z, with the same latencies)',
    )
    assert.match(await refusal([a, await buildRun({...base, expectWorkers: 2})]), /plan\.targets\[0\]\.expectWorkers: null in run-1\.json, 2 in run-2\.json/)
    assert.match(await refusal([a, await buildRun({...base, rate: 100})]), /plan\.rate: null in run-1\.json, 100 in run-2\.json/)
  })

  it('refuses runs with other thresholds unless the merge is given its own, and runs that did not run side by side', async () => {
    const base: RunSpec = {seconds: seconds(31, 3, 10, 1000), startMs: T0}
    const a = await buildRun(base)
    const strict = await buildRun({...base, seconds: seconds(33, 3, 10, 1000), thresholds: {maxP99Ms: 5}})
    assert.equal(
      await refusal([a, strict]),
      'cannot merge run-2.json with run-1.json: their thresholds differ (maxP99Ms none in run-1.json, 5 in run-2.json); give the merged run\'s with --max-p99',
    )
    assert.equal((await merge([a, strict], {maxP99Ms: 50})).thresholds.maxP99Ms, 50)

    const later = await buildRun({...base, startMs: T0 + 3600_000})
    assert.equal(
      await refusal([a, later]),
      'cannot merge run-2.json with run-1.json: they did not run at the same time (run-1.json measured until 2026-12-01T09:00:03.000Z, run-2.json from 2026-12-01T10:00:00.000Z); merge adds up runs that ran side by side',
    )
    // One right after the other leaves no gap in the seconds: that is allowed.
    const next = await buildRun({...base, startMs: T0 + 3000})
    assert.equal((await merge([a, next])).intervals.length, 6)
  })
})

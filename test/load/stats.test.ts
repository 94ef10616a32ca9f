import {strict as assert} from 'node:assert'

import {perSecond, summarizeLatency, workerBalance} from '../../src/load/stats.js'
import {createHistogram} from '../../src/load/histogram.js'
import {emptyTally, encodeLatencies, mergeLatencies, mergeTallies} from '../../src/load/tally.js'

describe('load/stats', () => {
  it('summarizes microseconds as milliseconds, from an HDR histogram', () => {
    const h = createHistogram()
    for (let us = 1; us <= 100_000; us++) h.recordValue(us)
    const s = summarizeLatency(h)!
    const near = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) <= expected * 0.001 + 0.001, `${actual} ≈ ${expected}`)
    near(s.p50, 50)
    near(s.p90, 90)
    near(s.p99, 99)
    near(s.p999, 99.9)
    near(s.max, 100)
    near(s.mean, 50)
    assert.equal(summarizeLatency(createHistogram()), null)

    // Every value in the top bucket: the percentiles still never exceed the maximum.
    const top = createHistogram()
    for (let i = 0; i < 1000; i++) top.recordValue(50_123)
    const clamped = summarizeLatency(top)!
    assert.equal(clamped.max, 50.123)
    assert.equal(clamped.p999, 50.123)
  })

  it('keeps a histogram the same size however many values it holds', () => {
    const h = createHistogram()
    h.recordValue(1)
    const before = h.estimatedFootprintInBytes
    for (let i = 0; i < 1_000_000; i++) h.recordValue((i * 7919) % 3_000_000)
    assert.equal(h.estimatedFootprintInBytes, before)
  })

  it('computes rates', () => {
    assert.equal(perSecond(300, 1500), 200)
    assert.equal(perSecond(1, 3000), 0.3)
    assert.equal(perSecond(10, 0), 0)
  })

  it('gives each worker its share and the imbalance, idle workers included', () => {
    const even = workerBalance({'1': 50, '2': 50}, {'1': 2, '2': 2}, 2)
    assert.equal(even.imbalance, 1)
    assert.deepEqual(
      even.workers.map((w) => [w.id, w.share, w.connections]),
      [
        ['1', 0.5, 2],
        ['2', 0.5, 2],
      ],
    )
    assert.equal(workerBalance({'10': 30, '9': 10}, {}, null).imbalance, 3)
    assert.deepEqual(
      workerBalance({'10': 30, '9': 10}, {}, null).workers.map((w) => w.id),
      ['9', '10'],
    )
    assert.equal(workerBalance({'1': 30}, {'1': 1}, 2).imbalance, Number.POSITIVE_INFINITY)
    assert.equal(workerBalance({}, {}, 2).imbalance, null)
  })

  it('merges the tallies and histograms of threads', () => {
    const a = emptyTally(1)
    Object.assign(a, {errors: {reset: 1}, failed: 1, measuredMs: 1000, ok: 5, responses: 5, sent: 7, inFlight: 1, statuses: {'200': 5}})
    a.targets[0] = {connections: {'1': 1}, firstMismatch: null, instances: {a: 5}, mismatches: 0, responses: 5, workers: {'a/1': 5}}
    const b = emptyTally(1)
    Object.assign(b, {errors: {reset: 2, timeout: 1}, failed: 4, measuredMs: 1010, ok: 3, responses: 4, sent: 7, statuses: {'200': 3, '500': 1}})
    b.targets[0] = {connections: {'2': 1}, firstMismatch: 'GET /: status 500', instances: {a: 1, b: 3}, mismatches: 1, responses: 4, workers: {'a/1': 1, 'b/2': 3}}
    const m = mergeTallies([a, b])
    assert.equal(m.sent, 14)
    assert.equal(m.sent, m.ok + m.failed + m.inFlight)
    assert.equal(m.measuredMs, 1010)
    assert.deepEqual(m.errors, {reset: 3, timeout: 1})
    assert.deepEqual(m.statuses, {'200': 8, '500': 1})
    assert.deepEqual(m.targets[0].workers, {'a/1': 6, 'b/2': 3})
    assert.deepEqual(m.targets[0].instances, {a: 6, b: 3})
    assert.equal(m.targets[0].firstMismatch, 'GET /: status 500')

    const h1 = createHistogram()
    const h2 = createHistogram()
    h1.recordValue(1000)
    h2.recordValue(3000)
    const merged = mergeLatencies([encodeLatencies({corrected: h1, uncorrected: null}), encodeLatencies({corrected: h2, uncorrected: null})])
    assert.equal(merged.corrected.totalCount, 2)
    assert.equal(merged.uncorrected, null)
    // Decoding keeps values to the histogram's resolution (three significant digits).
    assert.ok(Math.abs(merged.corrected.maxValue - 3000) <= 3)
    assert.ok(Math.abs(merged.corrected.getValueAtPercentile(50) - 1000) <= 1)
  })
})

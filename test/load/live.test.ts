import {strict as assert} from 'node:assert'

import {Chalk} from 'chalk'

import {type LoadPlan, WHOLE} from '../../src/load/plan.js'

import {addSnapshots, bucketFloor, bucketOf, emptySnapshot, LATENCY_BUCKETS, type LiveSnapshot, percentileBetween} from '../../src/load/live.js'
import {renderLive} from '../../src/load/progress.js'

function snapshot(latenciesUs: number[], workers: Record<string, number> = {}, failures = 0): LiveSnapshot {
  const s = emptySnapshot()
  for (const us of latenciesUs) s.latency[bucketOf(us)]++
  return {...s, failures, responses: latenciesUs.length, workers}
}

function plan(names: string[]): LoadPlan {
  return {
    expectStatus: ['2xx'],
    limits: {connections: 8, durationMs: 10_000, rate: null, requests: null, segment: WHOLE, threads: 1, timeoutMs: 1000, warmupMs: 0},
    targets: names.map((name) => ({expectInstances: null, expectWorkers: null, host: '127.0.0.1', name, port: 1, requests: [], url: 'http://127.0.0.1:1'})),
  }
}

describe('load/live', () => {
  it('puts every latency in a bucket no more than an eighth wide, in order', () => {
    let previous = -1
    for (let us = 0; us < 5_000_000; us = us < 64 ? us + 1 : Math.ceil(us * 1.01)) {
      const bucket = bucketOf(us)
      assert.ok(bucket >= previous && bucket < LATENCY_BUCKETS, `${us} µs`)
      assert.ok(bucketFloor(bucket) <= us && us < bucketFloor(bucket + 1), `${us} µs in [${bucketFloor(bucket)}, ${bucketFloor(bucket + 1)})`)
      if (us >= 8) assert.ok(bucketFloor(bucket + 1) - bucketFloor(bucket) <= bucketFloor(bucket) / 8)
      previous = bucket
    }

    assert.equal(bucketOf(2 ** 32 - 1), LATENCY_BUCKETS - 1)
  })

  it("reads the last second's percentiles from two snapshots, and adds threads up", () => {
    const before = snapshot(Array.from({length: 1000}, () => 100_000))
    const fast = Array.from({length: 100}, (_, i) => (i < 98 ? 1000 : 50_000))
    const after = addSnapshots([before, snapshot(fast)])
    assert.equal(after.responses, 1100)
    const p50 = percentileBetween(before, after, 50)!
    const p99 = percentileBetween(before, after, 99)!
    assert.ok(p50 >= 1 && p50 <= 1.125, `p50 ${p50} ms: the new responses only`)
    assert.ok(p99 >= 50 && p99 <= 56.25, `p99 ${p99} ms`)
    assert.equal(percentileBetween(after, after, 50), null)
  })

  it("draws the last second, the run so far and each worker's share of its own pool", () => {
    const chalk = new Chalk({level: 0})
    const t0 = 1_000_000
    const first = {at: t0 + 2000, snapshot: snapshot([500, 500], {'color:1': 10, 'color:2': 10, 'image:3': 5}, 1)}
    const last = {at: t0 + 3000, snapshot: snapshot([500, 500, ...Array.from({length: 4000}, () => 800)], {'color:1': 3000, 'color:2': 1000, 'image:3': 2000}, 3)}
    const text = renderLive(plan(['color', 'image']), undefined, t0, [first, last], chalk)
    const lines = text.split('\n')
    assert.equal(lines[0], 'color, image · 3.0 of 10 s · 8 connections')
    assert.match(lines[1], /^ {2}last second {2}4,000 req\/s · p50 0\.83 ms · p99 0\.83 ms · 2 failed$/)
    assert.equal(lines[2], '  so far       4,002 responses · 3 failed')
    assert.match(lines[3], /^ {2}workers {2}color:1 {2}█{18}░{6} {2}75\.0% {2}3,000$/)
    assert.match(lines[4], /^ {11}color:2 {2}█{6}░{18} {2}25\.0% {2}1,000$/)
    assert.match(lines[5], /^ {11}image:3 {2}█{24} 100\.0% {2}2,000$/)
  })
})

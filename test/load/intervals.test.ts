import {strict as assert} from 'node:assert'

import {decodeFromCompressedBase64} from 'hdr-histogram-js'

import {type IntervalWorker, IntervalRecorder, mergeIntervals, withPercentiles} from '../../src/load/intervals.js'
import {random} from './responses.js'

const START = 5000
const EPOCH = Date.UTC(2026, 11, 1, 9)

describe('load/intervals', () => {
  it('counts each response, failure, byte and worker in the second it happened', () => {
    const recorder = new IntervalRecorder(START, EPOCH)
    const a: IntervalWorker = {interval: [0, 0], key: 'a'}
    const b: IntervalWorker = {interval: [0, 0], key: 'b'}
    recorder.addWorker(a)
    recorder.addWorker(b)
    let bytes = 0
    const settled: number[] = []
    for (let t = START; t < START + 3500; t += 10) {
      recorder.advance(t, bytes, (before) => settled.push(before))
      recorder.response(t, 1000 + (t - START), (t - START) % 500 === 0 ? 'bad-status' : undefined, (t - START) % 20 === 0 ? a : b)
      if ((t - START) % 100 === 0) recorder.failure(t, 'timeout')
      bytes += 7
    }

    const intervals = recorder.finish(START + 3500, bytes).map((i) => withPercentiles(i))
    assert.deepEqual(
      intervals.map((i) => [i.second, i.startMs - EPOCH, i.responses, i.ok, i.failed, i.workers, i.bytes]),
      [
        [0, 0, 100, 98, {'bad-status': 2, timeout: 10}, {a: 50, b: 50}, 700],
        [1, 1000, 100, 98, {'bad-status': 2, timeout: 10}, {a: 50, b: 50}, 700],
        [2, 2000, 100, 98, {'bad-status': 2, timeout: 10}, {a: 50, b: 50}, 700],
        [3, 3000, 50, 49, {'bad-status': 1, timeout: 5}, {a: 25, b: 25}, 350],
      ],
    )
    assert.deepEqual(intervals[1].latencyMs, {max: 2.991, p50: 2.491, p90: 2.891, p99: 2.981}, 'three significant digits')
    // Each second is closed a second after it ends, once what was held for it is counted.
    assert.deepEqual(settled, [START + 1000, START + 2000])
  })

  it('counts a late-settled response in its own second while that is open, else in the oldest open one', () => {
    const recorder = new IntervalRecorder(START, EPOCH)
    recorder.advance(START + 1500, 0, () => {})
    recorder.response(START + 900, 1, undefined, undefined)
    recorder.advance(START + 2500, 0, () => {})
    // Second 0 is encoded now: a response from it lands in second 1, the oldest still open.
    recorder.response(START + 100, 1, undefined, undefined)
    const intervals = recorder.finish(START + 2600, 0)
    assert.deepEqual(
      intervals.map((i) => i.responses),
      [1, 1, 0],
    )
  })

  it('keeps a run that ends just past a second in that second, and a run shorter than a second as one', () => {
    const whole = new IntervalRecorder(START, EPOCH)
    whole.response(START + 999, 1, undefined, undefined)
    assert.deepEqual(
      whole.finish(START + 1003, 40).map((i) => [i.second, i.responses, i.bytes]),
      [[0, 1, 40]],
    )
    const short = new IntervalRecorder(START, EPOCH)
    short.response(START + 10, 1, undefined, undefined)
    assert.equal(short.finish(START + 20, 5).length, 1)
  })

  it('adds intervals of runs side by side exactly: counts, workers, bytes and histograms', () => {
    const rng = random(7)
    const raw: number[][] = [[], []]
    const parts = [0, 1].map((part) => {
      const recorder = new IntervalRecorder(START, EPOCH + part)
      for (let t = START; t < START + 2000; t += 1) {
        if (rng() < 0.5) continue
        const us = 1 + Math.floor(rng() * 50_000)
        raw[part].push(us)
        recorder.response(t, us, undefined, undefined)
        recorder.advance(t, 0, () => {})
      }

      return recorder.finish(START + 2000, 100 * (part + 1))
    })
    const merged = mergeIntervals(parts)
    assert.equal(merged.length, 2)
    assert.equal(merged[0].startMs, EPOCH)
    const total = merged.reduce((n, i) => n + decodeFromCompressedBase64(i.histogram).totalCount, 0)
    assert.equal(total, raw[0].length + raw[1].length)
    assert.equal(
      merged.reduce((n, i) => n + i.bytes, 0),
      300,
    )
    const union = decodeFromCompressedBase64(parts[0][0].histogram)
    union.add(decodeFromCompressedBase64(parts[1][0].histogram))
    assert.equal(decodeFromCompressedBase64(merged[0].histogram).getValueAtPercentile(99), union.getValueAtPercentile(99))
  })

  it('holds two seconds at a time, so memory stays flat for any length of run', () => {
    const recorder = new IntervalRecorder(0, EPOCH)
    const before = process.memoryUsage().heapUsed
    for (let second = 0; second < 2000; second++) {
      for (let k = 0; k < 20; k++) recorder.response(second * 1000 + k * 50, 1000 + k * 997, undefined, undefined)
      recorder.advance(second * 1000 + 999, 0, () => {})
    }

    const intervals = recorder.finish(2_000_000, 0)
    assert.equal(intervals.length, 2000)
    const grown = process.memoryUsage().heapUsed - before
    // 2,000 encoded seconds, a few hundred bytes each; a histogram per second would be ~200 MB.
    assert.ok(grown < 20 * 1024 * 1024, `heap grew ${Math.round(grown / 1024)} KB`)
  })
})

import {strict as assert} from 'node:assert'

import {decodeFromCompressedBase64, encodeIntoCompressedBase64} from 'hdr-histogram-js'

import {bootstrapRatios, Resampler, type SampleUnit, seededRandom, toBlocks} from '../../src/load/bootstrap.js'
import {bucketsOf} from '../../src/load/histogram-buckets.js'
import {createHistogram} from '../../src/load/histogram.js'
import {latencies} from '../support/load-runs.js'

const OPTIONS = {confidence: 0.95, resamples: 1000, seed: 1}

/** A second as compare makes it: its latencies through an encoded histogram, as a report carries them. */
function unit(values: number[], seconds = 1): SampleUnit {
  const h = createHistogram()
  for (const v of values) h.recordValue(v)
  return {latency: bucketsOf(decodeFromCompressedBase64(encodeIntoCompressedBase64(h))), responses: values.length, seconds}
}

/** `count` seconds of a run: about `rate` responses each (varying), latencies around `medianUs`. */
function run(random: () => number, count: number, rate: number, medianUs: number): number[][] {
  return Array.from({length: count}, () => latencies(random, Math.round(rate * (0.8 + 0.4 * random())), medianUs))
}

const throughput = (r: Resampler, w: Uint32Array) => r.throughput(w)
const p99 = (r: Resampler, w: Uint32Array) => r.percentile(w, 99)

describe('load/bootstrap', () => {
  it('draws the same numbers from the same seed, spread evenly over [0, 1)', () => {
    const a = seededRandom(42)
    const b = seededRandom(42)
    const c = seededRandom(43)
    const draws = Array.from({length: 20_000}, () => a())
    assert.deepEqual(draws.slice(0, 5), Array.from({length: 5}, () => b()))
    assert.notEqual(draws[0], c())
    assert.ok(draws.every((x) => x >= 0 && x < 1))
    const deciles = Array.from({length: 10}, (_, d) => draws.filter((x) => Math.floor(x * 10) === d).length)
    for (const n of deciles) assert.ok(n > 1800 && n < 2200, `deciles ${deciles}`)
  })

  it('reads the whole run (every unit once) exactly as the histogram of all its seconds reads', () => {
    const random = seededRandom(3)
    const seconds = [...run(random, 12, 300, 2000), latencies(random, 40, 9000)]
    // The last second lasted a quarter of one.
    const resampler = new Resampler(seconds.map((s, i) => unit(s, i === 12 ? 0.25 : 1)))
    const all = createHistogram()
    for (const v of seconds.flat()) all.recordValue(v)
    const decoded = decodeFromCompressedBase64(encodeIntoCompressedBase64(all))
    const ones = new Uint32Array(resampler.size).fill(1)
    assert.equal(resampler.throughput(ones), seconds.flat().length / 12.25)
    for (const p of [0.1, 1, 50, 90, 99, 99.9, 100]) assert.equal(resampler.percentile(ones, p), decoded.getValueAtPercentile(p), `p${p}`)

    // A weight of 2 counts a unit twice: the same percentiles, the same throughput.
    const once = new Uint32Array(resampler.size)
    once[0] = 1
    const twice = Uint32Array.from(once, (w) => w * 2)
    assert.equal(resampler.throughput(twice), seconds[0].length)
    for (const p of [50, 99]) assert.equal(resampler.percentile(twice, p), resampler.percentile(once, p))
    assert.ok(Number.isNaN(resampler.percentile(new Uint32Array(resampler.size), 50)), 'nothing drawn, no percentile')
    assert.ok(Number.isNaN(new Resampler([]).percentile(new Uint32Array(0), 50)))
  })

  it('groups a long run into blocks of consecutive seconds that add up to it', () => {
    const random = seededRandom(4)
    const units = run(random, 250, 20, 1000).map((s) => unit(s))
    const blocks = toBlocks(units, 100)
    assert.equal(blocks.length, 100)
    const sum = (list: SampleUnit[], f: (u: SampleUnit) => number) => list.reduce((a, u) => a + f(u), 0)
    assert.equal(sum(blocks, (u) => u.seconds), 250)
    assert.equal(sum(blocks, (u) => u.responses), sum(units, (u) => u.responses))
    assert.equal(blocks[0].seconds, 2)
    assert.equal(blocks[1].seconds, 3)
    const ones = (n: number) => new Uint32Array(n).fill(1)
    const whole = new Resampler(units)
    const blocked = new Resampler(blocks)
    for (const p of [50, 99, 100]) assert.equal(blocked.percentile(ones(100), p), whole.percentile(ones(250), p))
    assert.equal(toBlocks(units.slice(0, 10), 100).length, 10, 'a short run keeps its seconds')
  })

  it('gives an interval around 1 for a run against itself, and around the change for a slower run', () => {
    const random = seededRandom(5)
    const base = new Resampler(run(random, 20, 400, 2000).map((s) => unit(s)))
    const [same, sameP99] = bootstrapRatios(base, base, [throughput, p99], OPTIONS)
    for (const interval of [same, sameP99]) assert.ok(interval!.low < 1 && interval!.high > 1, JSON.stringify(interval))
    assert.deepEqual(bootstrapRatios(base, base, [throughput, p99], OPTIONS), [same, sameP99], 'seeded: the same every time')
    assert.notDeepEqual(bootstrapRatios(base, base, [throughput], {...OPTIONS, seed: 2})[0], same)

    // Half the throughput, latencies 1.5 times as long.
    const slow = new Resampler(run(random, 20, 200, 3000).map((s) => unit(s)))
    const [rate, latency] = bootstrapRatios(base, slow, [throughput, p99], OPTIONS)
    assert.ok(rate!.low > 0.4 && rate!.high < 0.6, JSON.stringify(rate))
    assert.ok(latency!.low > 1.2 && latency!.high < 1.9, JSON.stringify(latency))
    const nothing = () => Number.NaN
    assert.deepEqual(bootstrapRatios(base, slow, [nothing], OPTIONS), [null], 'no interval for a statistic no resample has')
  })

  it("holds the true ratio at about its stated confidence for runs of the same server (their seconds' noise only)", () => {
    const random = seededRandom(6)
    let held = 0
    const trials = 60
    for (let t = 0; t < trials; t++) {
      const a = new Resampler(run(random, 10, 200, 2000).map((s) => unit(s)))
      const b = new Resampler(run(random, 10, 200, 2000).map((s) => unit(s)))
      const [interval] = bootstrapRatios(a, b, [throughput], {...OPTIONS, resamples: 400, seed: t})
      if (interval!.low <= 1 && interval!.high >= 1) held++
    }

    // 95% intervals from 10 seconds a run: a bootstrap this small runs a little narrow.
    assert.ok(held >= trials * 0.8, `${held} of ${trials} intervals held 1`)
  })
})

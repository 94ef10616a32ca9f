import {strict as assert} from 'node:assert'

import {decodeFromCompressedBase64, encodeIntoCompressedBase64} from 'hdr-histogram-js'

import {seededRandom} from '../../src/load/bootstrap.js'
import {bucketsOf} from '../../src/load/histogram-buckets.js'
import {createHistogram} from '../../src/load/histogram.js'
import {latencies} from '../support/load-runs.js'

describe('load/histogram-buckets', () => {
  it("reads a histogram's buckets so that they give back its counts and the library's own percentiles", () => {
    const random = seededRandom(7)
    const h = createHistogram()
    for (const value of [...latencies(random, 5000, 800), ...latencies(random, 500, 120_000), 1, 3_599_999_999]) h.recordValue(value)
    // As merge and compare see it: decoded from a report.
    const decoded = decodeFromCompressedBase64(encodeIntoCompressedBase64(h))
    const {counts, values} = bucketsOf(decoded)
    assert.equal(counts.reduce((a, b) => a + b, 0), decoded.totalCount)
    assert.ok(values.every((v, i) => i === 0 || v > values[i - 1]), 'ascending')
    assert.equal(values.at(-1), decoded.maxValue)
    // The buckets recorded again make the very same histogram.
    const again = createHistogram()
    for (const [i, value] of values.entries()) again.recordValueWithCount(value, counts[i])
    assert.equal(encodeIntoCompressedBase64(again), encodeIntoCompressedBase64(decoded))
    for (let p = 0.5; p <= 100; p += 0.5) {
      const rank = Math.max(1, Math.ceil((p / 100) * decoded.totalCount - 1e-9))
      let seen = 0
      const k = counts.findIndex((c) => (seen += c) >= rank)
      assert.equal(values[k], decoded.getValueAtPercentile(p), `p${p}`)
    }

    assert.deepEqual(bucketsOf(createHistogram()), {counts: [], values: []})
  })
})

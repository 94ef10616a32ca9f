import {strict as assert} from 'node:assert'

import type {Interval} from '../../src/load/results.js'

import {
  intervalLengths,
  latencyAt,
  percentileAt,
  percentileChart,
  tailX,
  throughputChart,
  workersOverTimeChart,
} from '../../src/load/report-html-data.js'
import {createHistogram} from '../../src/load/histogram.js'

/** 1 ms, 2 ms, ... n ms: the value at percentile p is p% of n. */
function uniform(n: number) {
  const histogram = createHistogram()
  for (let i = 1; i <= n; i++) histogram.recordValue(i * 1000)
  return histogram
}

const interval = (second: number, responses: number, extra: Partial<Interval> = {}): Interval => ({
  bytes: 0,
  failed: {},
  histogram: '',
  latencyMs: null,
  ok: responses,
  responses,
  second,
  startMs: second * 1000,
  workers: {},
  ...extra,
})

describe('load/report-html-data', () => {
  it('maps x = log10(1/(1-p)) to percentiles: 0 → 0%, 1 → 90%, 2 → 99%, 3 → 99.9%', () => {
    assert.equal(percentileAt(0), 0)
    assert.ok(Math.abs(percentileAt(1) - 90) < 1e-9)
    assert.ok(Math.abs(percentileAt(2) - 99) < 1e-9)
    assert.ok(Math.abs(percentileAt(3) - 99.9) < 1e-9)
    assert.equal(tailX(1000), 3, 'a run of 1,000 responses tells percentiles up to 99.9%')
    assert.equal(tailX(1), 0)
  })

  it('reads each point from the histogram, ending at the slowest response', () => {
    const histogram = uniform(10_000)
    const chart = percentileChart([{color: '#000', histogram, label: 'latency'}])
    assert.equal(chart.x[0], 0)
    assert.equal(chart.x.at(-1), 4)
    assert.equal(chart.x.length, 4 * 20 + 1, '20 points a decade, and the tail')
    const at = (x: number) => chart.series[0].values[chart.x.indexOf(x)]!
    // Three significant digits: within 0.1% of the exact percentile of 1..10,000 ms.
    for (const [x, exact] of [
      [1, 9000],
      [2, 9900],
      [3, 9990],
    ]) {
      assert.ok(Math.abs(at(x) - exact) / exact < 0.001, `x = ${x}: ${at(x)} ms, about ${exact}`)
      assert.equal(at(x), latencyAt(histogram, percentileAt(x)))
    }

    assert.equal(at(4), Math.round(histogram.maxValue) / 1000)
  })

  it('clips to the exact maximum when given one, and ends each line at its own tail', () => {
    const long = uniform(1000)
    const short = uniform(10)
    const chart = percentileChart([
      {color: '#000', histogram: long, label: 'long', maxMs: 999.5},
      {color: '#111', histogram: short, label: 'short'},
    ])
    assert.equal(chart.x.at(-1), 3)
    assert.equal(chart.series[0].values.at(-1), 999.5)
    assert.ok((chart.series[0].values as number[]).every((v) => v <= 999.5))
    const shortValues = chart.series[1].values
    const lastShort = shortValues.filter((v) => v !== null).length - 1
    assert.ok(shortValues.slice(lastShort + 1).every((v) => v === null), 'nothing drawn past its tail')
    assert.equal(chart.x[lastShort], 1, 'ten responses reach p90 and no further')
    assert.equal(chart.series[1].values[lastShort], Math.round(short.maxValue) / 1000)
    assert.equal(percentileChart([{color: '#000', histogram: createHistogram(), label: 'none'}]).series.length, 0)
  })

  it('takes a last interval cut short at its own length', () => {
    const intervals = [interval(0, 100), interval(1, 100), interval(2, 25)]
    assert.deepEqual(intervalLengths(intervals, 2.25), [1, 1, 0.25])
    assert.deepEqual(intervalLengths(intervals, 3), [1, 1, 1])
    assert.deepEqual(throughputChart(intervals, 2.25).series[0].values, [100, 100, 100])
  })

  it('shows each worker’s responses per second under its own id', () => {
    const intervals = [interval(0, 10, {workers: {'color:1': 6, 'color:2': 4}}), interval(1, 10, {workers: {'color:2': 10}})]
    const chart = workersOverTimeChart(intervals, 2, [
      {id: '1', key: 'color:1'},
      {id: '2', key: 'color:2'},
    ])
    assert.deepEqual(
      chart.series.map((s) => [s.label, s.values]),
      [
        ['worker 1', [6, 0]],
        ['worker 2', [4, 10]],
      ],
    )
  })
})

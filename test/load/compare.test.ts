import {strict as assert} from 'node:assert'

import {Chalk} from 'chalk'

import type {LoadReport} from '../../src/load/report.js'

import {seededRandom} from '../../src/load/bootstrap.js'
import {compareReports, DEFAULT_MAX_REGRESSION, judge, type MetricName} from '../../src/load/compare.js'
import {renderComparison} from '../../src/load/compare-text.js'
import {buildRun, latencies} from '../support/load-runs.js'

const T0 = Date.UTC(2026, 11, 1, 9)
const plain = new Chalk({level: 0})

const compare = (base: LoadReport, next: LoadReport, maxRegression = DEFAULT_MAX_REGRESSION) =>
  compareReports({file: 'base.json', report: base}, {file: 'new.json', report: next}, {maxRegression})

/** `count` seconds of about `perSecond` responses (varying by ±20%) with latencies around `medianUs`. */
function seconds(seed: number, count: number, perSecond: number, medianUs: number): number[][] {
  const random = seededRandom(seed)
  return Array.from({length: count}, () => latencies(random, Math.round(perSecond * (0.8 + 0.4 * random())), medianUs))
}

/** `count` latencies spread evenly over [from, to) µs. */
const even = (count: number, from: number, to: number) => Array.from({length: count}, (_, i) => Math.round(from + ((to - from) * i) / count))

const verdicts = (c: ReturnType<typeof compare>) => Object.fromEntries(c.metrics.map((m) => [m.name, m.verdict])) as Record<MetricName, string>

describe('load/compare', () => {
  it('passes a run compared with itself: every ratio 1, every interval around it', async () => {
    const run = await buildRun({seconds: seconds(1, 10, 300, 2000), startMs: T0})
    const c = compare(run, run)
    assert.equal(c.passed, true)
    assert.deepEqual(c.regressions, [])
    assert.deepEqual(verdicts(c), {max: 'not judged', p50: 'unchanged', p90: 'unchanged', p99: 'unchanged', 'p99.9': 'unchanged', throughput: 'unchanged'})
    for (const m of c.metrics) {
      assert.equal(m.ratio, 1, m.name)
      if (m.name !== 'max') assert.ok(m.interval!.low <= 1 && m.interval!.high >= 1, `${m.name} ${JSON.stringify(m.interval)}`)
    }

    assert.deepEqual(c.bootstrap, {confidence: 0.95, resamples: 2000, seed: 1, units: {base: 10, new: 10}})
    assert.deepEqual(c.metrics[0], {...c.metrics[0], base: run.requests.perSecond, better: 'higher', name: 'throughput', new: run.requests.perSecond, unit: 'req/s'})
    assert.deepEqual(
      c.metrics.map((m) => [m.name, m.base]),
      [
        ['throughput', run.requests.perSecond],
        ['p50', run.latencyMs!.p50],
        ['p90', run.latencyMs!.p90],
        ['p99', run.latencyMs!.p99],
        ['p99.9', run.latencyMs!.p999],
        ['max', run.latencyMs!.max],
      ],
    )
  })

  it('fails a run against a server twice as slow, beyond the noise; the other way round is an improvement', async () => {
    const base = await buildRun({seconds: seconds(2, 10, 400, 2000), startMs: T0})
    const slow = await buildRun({seconds: seconds(3, 10, 200, 4000), startMs: T0})
    const c = compare(base, slow)
    assert.equal(c.passed, false)
    assert.deepEqual(c.regressions, ['throughput', 'p50', 'p90', 'p99', 'p99.9'])
    const p50 = c.metrics.find((m) => m.name === 'p50')!
    assert.ok(p50.ratio! > 1.8 && p50.ratio! < 2.2, `p50 ratio ${p50.ratio}`)
    assert.ok(p50.interval!.low > 1.5, JSON.stringify(p50.interval))
    assert.ok(c.metrics[0].interval!.high < 0.6, JSON.stringify(c.metrics[0].interval))

    const back = compare(slow, base)
    assert.equal(back.passed, true)
    assert.deepEqual(verdicts(back), {max: 'not judged', p50: 'improvement', p90: 'improvement', p99: 'improvement', 'p99.9': 'improvement', throughput: 'improvement'})
    // The limit decides: allowed 300%, nothing regressed; allowed 40%, everything did.
    assert.deepEqual(compare(base, slow, 3).regressions, [])
    assert.deepEqual(compare(base, slow, 0.4).regressions, ['throughput', 'p50', 'p90', 'p99', 'p99.9'])
  })

  it('calls a change that one slow second makes within the noise, not a regression', async () => {
    // Every second alike, but one second of the new run answered 60% slower: p99 is 50% higher,
    // yet a run drawn from the same seconds without that one would not be.
    const steady = Array.from({length: 10}, () => even(100, 900, 1100))
    const base = await buildRun({seconds: steady, startMs: T0})
    const bumpy = await buildRun({seconds: [...steady.slice(0, 9), even(100, 1500, 1700)], startMs: T0})
    const c = compare(base, bumpy)
    const p99 = c.metrics.find((m) => m.name === 'p99')!
    assert.ok(p99.ratio! > 1.4, `p99 ratio ${p99.ratio}`)
    assert.ok(p99.interval!.low <= 1 && p99.interval!.high > 1.4, JSON.stringify(p99.interval))
    assert.equal(p99.verdict, 'noise')
    assert.equal(c.passed, true)
    // Every second slower is no noise.
    const slower = await buildRun({seconds: Array.from({length: 10}, () => even(100, 1500, 1700)), startMs: T0})
    assert.equal(compare(base, slower).metrics.find((m) => m.name === 'p99')!.verdict, 'regression')
  })

  it('judges on the ratios alone, and says so, when a run has too few seconds to estimate noise', async () => {
    const base = await buildRun({seconds: seconds(4, 3, 300, 2000), startMs: T0})
    const slow = await buildRun({seconds: seconds(5, 3, 300, 2600), startMs: T0})
    const c = compare(base, slow)
    assert.equal(c.bootstrap, null)
    assert.ok(c.metrics.every((m) => m.interval === null))
    assert.equal(verdicts(c).p50, 'regression')
    assert.equal(compare(base, base).passed, true)
    assert.match(renderComparison(c, plain), /^Noise: not estimated, a run has fewer than 5 seconds; the ratios alone decide\.$/m)
  })

  it('refuses a base without responses; a new run without responses has no throughput', async () => {
    const none = await buildRun({failures: [5, 5, 5, 5, 5], seconds: [[], [], [], [], []], startMs: T0})
    const run = await buildRun({seconds: seconds(6, 5, 100, 1000), startMs: T0})
    assert.throws(() => compare(none, run), {message: 'base.json has no responses: there is nothing to compare against', name: 'UserError'})
    const c = compare(run, none)
    assert.equal(c.passed, false)
    assert.deepEqual(c.regressions, ['throughput'])
    assert.deepEqual(
      c.metrics.filter((m) => m.name !== 'throughput').map((m) => [m.new, m.ratio, m.verdict]),
      Array.from({length: 5}, () => [null, null, 'not judged']),
    )
  })

  it('notes where the plans differ, and renders a table with each ratio and the verdict', async () => {
    const base = await buildRun({connections: 10, seconds: seconds(7, 6, 400, 2000), startMs: T0})
    const slow = await buildRun({connections: 20, seconds: seconds(8, 6, 200, 4000), startMs: T0 + 60_000, url: 'http://127.0.0.1:9090'})
    const c = compare(base, slow)
    assert.deepEqual(c.planDifferences, [
      'connections: 10 → 20',
      'targets[0].name: "127.0.0.1:8080" → "127.0.0.1:9090"',
      'targets[0].url: "http://127.0.0.1:8080" → "http://127.0.0.1:9090"',
    ])
    const text = renderComparison(c, plain)
    assert.match(text, /^ {2}base {2}base\.json · measured from 2026-12-01T09:00:00\.000Z · 6\.0 s · [\d,]+ responses$/m)
    const p99 = c.metrics.find((m) => m.name === 'p99')!
    const row = text.split('\n').find((line) => line.startsWith('  p99 ms'))!
    assert.match(row, /REGRESSION$/)
    assert.ok(row.includes(`${p99.ratio!.toFixed(2)}x`), row)
    assert.ok(row.includes(`${p99.interval!.low.toFixed(2)}x - ${p99.interval!.high.toFixed(2)}x`), row)
    assert.match(text, /^ {2}max ms .* not judged \(a single response\)$/m)
    assert.match(text, /^The plans differ: connections: 10 → 20; /m)
    assert.match(text, /^FAIL: req\/s \d+% lower, p50 \d+% higher, p90 \d+% higher, p99 \d+% higher, p99\.9 \d+% higher, beyond the 10% allowed$/m)
    assert.match(renderComparison(compare(base, base), plain), /\nPASS$/)
    assert.doesNotMatch(text, /\u001B\[/)
  })

  it('judges a change only when it is beyond the limit, and beyond the noise', () => {
    const around = (low: number, high: number) => ({high, low})
    assert.equal(judge('lower', 1.05, around(1.02, 1.08), 0.1), 'unchanged', 'within the limit, however sure')
    assert.equal(judge('lower', 1.2, around(1.1, 1.3), 0.1), 'regression')
    assert.equal(judge('lower', 1.2, around(0.95, 1.5), 0.1), 'noise')
    assert.equal(judge('lower', 1.2, null, 0.1), 'regression', 'no noise estimate: the ratio decides')
    assert.equal(judge('lower', 0.8, around(0.7, 0.9), 0.1), 'improvement')
    assert.equal(judge('higher', 0.8, around(0.7, 0.9), 0.1), 'regression')
    assert.equal(judge('higher', 0.8, around(0.7, 1.01), 0.1), 'noise')
    assert.equal(judge('higher', 1.3, around(1.1, 1.5), 0.1), 'improvement')
    assert.equal(judge('higher', null, null, 0.1), 'not judged')
    assert.equal(judge('lower', 1.001, around(1.0005, 1.002), 0), 'regression', 'a limit of 0: any change beyond the noise')
  })
})

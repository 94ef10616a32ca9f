import {strict as assert} from 'node:assert'
import {createHash} from 'node:crypto'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import type {ChartData} from '../../src/load/report-html-data.js'

import {UserError} from '../../src/errors.js'
import {buildScalingReport, type LoadReport} from '../../src/load/report.js'
import {commandLine, ms, pageAssets, renderHtmlReport, writeHtmlReport} from '../../src/load/report-html.js'
import {knownReport, latencies, steadyRun} from '../support/known-report.js'

/** The figure a data-metric element carries, and the text it shows. */
function metric(html: string, name: string, scope = html): {text: string; value: string} {
  const found = [...scope.matchAll(new RegExp(`data-metric="${name}" data-value="([^"]*)">([^<]*)<`, 'g'))]
  assert.equal(found.length, 1, `one ${name} (found ${found.length})`)
  return {text: found[0][2], value: found[0][1]}
}

function charts(html: string): Record<string, ChartData> {
  const json = /<script type="application\/json" id="report-charts">([^<]*)<\/script>/.exec(html)
  assert.ok(json, 'the chart data is embedded')
  return JSON.parse(json[1])
}

/** The executable inline scripts (not the JSON data), as the browser hashes them. */
function inlineScripts(html: string): string[] {
  return [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1])
}

const parse = (text: string) => Number(text.replaceAll(',', ''))

describe('load/report-html', () => {
  const report = knownReport({seconds: steadyRun(6, 1500, {'1': 55, '2': 45})})
  const html = renderHtmlReport(report)

  it('is self-contained: no external URL, no import, no fetch; its policy allows only its own inline scripts', () => {
    for (const [, attribute, value] of html.matchAll(/<[a-z][^>]*?\s(src|href|action|srcset|poster)\s*=\s*["']?([^"'\s>]*)/gi)) {
      assert.ok(value.startsWith('#'), `${attribute}="${value}" points inside the page`)
    }

    assert.doesNotMatch(html, /<(link|iframe|img|object|embed|base)\b/i)
    assert.doesNotMatch(html, /@import/i)
    assert.doesNotMatch(html, /url\(\s*["']?(?!data:)/i, 'no stylesheet url() other than data:')
    assert.doesNotMatch(html, /\bfetch\s*\(|XMLHttpRequest|WebSocket|EventSource|sendBeacon|importScripts|import\s*\(/)
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1].replaceAll('&#39;', "'")
    assert.ok(csp, 'a Content-Security-Policy')
    assert.match(csp, /default-src 'none'/)
    assert.doesNotMatch(csp, /connect-src|'unsafe-eval'|https?:/)
    const scripts = inlineScripts(html)
    assert.equal(scripts.length, 2, 'uPlot and the page script')
    for (const script of scripts) {
      const hash = createHash('sha256').update(script, 'utf8').digest('base64')
      assert.ok(csp.includes(`'sha256-${hash}'`), 'each inline script is allowed by its hash')
    }
  })

  it('inlines uPlot and its stylesheet from the installed package, with its license notice', () => {
    const {uplotScript, uplotStyle} = pageAssets()
    assert.match(uplotScript, /var uPlot=function/)
    assert.ok(html.includes(uplotScript.trim()))
    assert.ok(html.includes(uplotStyle.trim()))
    assert.match(html, /<!-- uPlot \d+\.\d+\.\d+, MIT License, Copyright \(c\) \d{4} Leon Sorokin -->\n<script>\/\*! https:\/\/github\.com\/leeoniya\/uPlot/)
  })

  it('carries the numbers: totals, percentiles and every worker, as shown and as data', () => {
    const total = metric(html, 'total-requests')
    assert.equal(Number(total.value), report.requests.total)
    assert.equal(parse(total.text), report.requests.total)
    assert.equal(total.text, report.requests.total.toLocaleString('en-US'))
    for (const [name, value] of [
      ['ok', report.requests.ok],
      ['failed', report.requests.failed],
      ['in-flight', report.requests.inFlight],
      ['rps', report.requests.perSecond],
      ['p50', report.latencyMs!.p50],
      ['p90', report.latencyMs!.p90],
      ['p99', report.latencyMs!.p99],
      ['p999', report.latencyMs!.p999],
      ['max', report.latencyMs!.max],
    ] as const) {
      const shown = metric(html, name)
      assert.equal(Number(shown.value), value, name)
      assert.equal(parse(shown.text), value, `${name} as shown`)
    }

    assert.deepEqual(Object.keys(report.workers), ['1', '2'])
    for (const [key, n] of Object.entries(report.workers)) {
      const row = new RegExp(`<div class="bar-row" data-worker="${key}"[\\s\\S]*?</div>`).exec(html)
      assert.ok(row, `a bar for worker ${key}`)
      const shown = metric(html, 'worker-requests', row[0])
      assert.equal(Number(shown.value), n)
      assert.equal(parse(shown.text), n)
    }

    assert.equal(metric(html, 'verdict').value, 'PASS')
    assert.match(html, /data-status="200"[\s\S]*?<b data-value="9000">9,000<\/b>/)
    assert.match(html, /<p class="none ok-text">No errors\.<\/p>/)
    for (const check of report.checks) assert.ok(html.includes(`data-check="${check.name}" data-passed="${check.passed}"`), check.name)
    assert.match(html, /<code data-metric="command">webkit load-test --url http:\/\/127\.0\.0\.1:40000\/ -c 8 -d 6<\/code>/)
  })

  it('draws the percentile distribution on a log 1/(1-p) axis: x = 1 is p90, x = 2 is p99, the line ends at the max', () => {
    const chart = charts(html)['run-percentiles']
    assert.equal(chart.kind, 'percentile')
    assert.deepEqual(chart.series.map((s) => s.label), ['latency'], 'no uncorrected line in a closed loop')
    const at = (x: number) => chart.series[0].values[chart.x.findIndex((v) => Math.abs(v - x) < 1e-9)]
    const fastest = Math.min(...steadyRun(6, 1500, {'1': 55, '2': 45}).flatMap((s) => s.latenciesUs)) / 1000
    assert.ok(Math.abs(at(0)! - fastest) <= 0.002, `x = 0 is the fastest response (${at(0)} ms, ${fastest} ms), to its bucket`)
    assert.equal(at(1), report.latencyMs!.p90)
    assert.equal(at(2), report.latencyMs!.p99)
    assert.equal(at(3), report.latencyMs!.p999)
    assert.equal(chart.x.at(-1), Math.log10(9000), 'to the slowest of 9,000 responses')
    assert.equal(chart.series[0].values.at(-1), report.latencyMs!.max)
    const values = chart.series[0].values as number[]
    for (let i = 1; i < values.length; i++) assert.ok(values[i] >= values[i - 1], 'latency never falls as the percentile rises')
  })

  it('with --rate, draws and tabulates the uncorrected latency beside the corrected', () => {
    const paced = knownReport({rate: {perSecond: 1500, waitUs: 400}, seconds: steadyRun(3, 1500, {'1': 1, '2': 1})})
    const page = renderHtmlReport(paced)
    const chart = charts(page)['run-percentiles']
    assert.deepEqual(chart.series.map((s) => s.label), ['corrected', 'uncorrected'])
    assert.equal(chart.series[1].values.at(-1), paced.uncorrectedLatencyMs!.max)
    assert.match(page, new RegExp(`<tr data-percentile="99"><th>p99</th><td>${ms(paced.latencyMs!.p99)}</td><td>${ms(paced.uncorrectedLatencyMs!.p99)}</td></tr>`))
  })

  it('draws throughput, p50/p99 and each worker per second from the intervals', () => {
    const all = charts(html)
    assert.deepEqual(all['run-throughput'].x, [0, 1, 2, 3, 4, 5])
    assert.deepEqual(all['run-throughput'].series[0].values, [1500, 1500, 1500, 1500, 1500, 1500])
    assert.equal(all['run-throughput'].series.length, 1, 'no failures line when nothing failed')
    const latency = all['run-latency']
    assert.deepEqual(latency.series.map((s) => s.label), ['p50', 'p90', 'p99', 'max'])
    assert.deepEqual(latency.series[2].values, report.intervals.map((i) => i.latencyMs!.p99))
    const workers = all['run-workers-0']
    assert.deepEqual(workers.series.map((s) => s.label), ['worker 1', 'worker 2'])
    assert.deepEqual(workers.series[0].values, report.intervals.map((i) => i.workers['1']))
  })

  it('counts a last second cut short at its own length, and failures per second', () => {
    const seconds = steadyRun(3, 1000, {'1': 1, '2': 1})
    seconds[2] = {...seconds[2], failed: {reset: 4}, latenciesUs: seconds[2].latenciesUs.slice(0, 500), workers: {'1': 250, '2': 250}}
    const cut = knownReport({durationSeconds: 2.5, seconds})
    const throughput = charts(renderHtmlReport(cut))['run-throughput']
    assert.deepEqual(throughput.series[0].values, [1000, 1000, 1000], 'half a second of 500 responses is 1,000 per second')
    assert.deepEqual(throughput.series[1], {color: '#dc2626', label: 'failed', values: [0, 0, 8]})
    const page = renderHtmlReport(cut)
    assert.match(page, /data-error="reset"[\s\S]*?<b data-value="4">4<\/b>/)
    assert.equal(metric(page, 'verdict').value, 'FAIL')
    assert.match(page, /data-check="errors" data-passed="false"/)
  })

  it('with several targets, keys workers as the JSON does ("target:id")', () => {
    const seconds = steadyRun(2, 600, {'color:1': 1, 'color:2': 1, 'image:1': 1})
    const both = knownReport({seconds, targets: [{name: 'color', poolWorkers: 2}, {name: 'image', poolWorkers: 1}]})
    const page = renderHtmlReport(both)
    assert.deepEqual(Object.keys(both.workers), ['color:1', 'color:2', 'image:1'])
    for (const [key, n] of Object.entries(both.workers)) {
      assert.match(page, new RegExp(`data-worker="${key}" data-target="${key.split(':')[0]}">[\\s\\S]*?data-metric="worker-requests" data-value="${n}">`))
    }
  })

  it('behind a balancer, shows each instance’s share before its workers; a segment says which share of the plan it ran', () => {
    const base = knownReport({seconds: steadyRun(2, 400, {'a/1': 1, 'a/2': 1, 'b/1': 2})})
    const page = renderHtmlReport({...base, segment: {count: 3, index: 2}, targets: [{...base.targets[0], instances: {a: 400, b: 400}}]})
    assert.match(page, /<h4>by instance <span class="dim">\(X-Instance\)<\/span><\/h4><div class="bars"><div class="bar-row" data-instance="a">[\s\S]*?<b data-value="400">400<\/b> <small>50\.0%<\/small>[\s\S]*?data-instance="b"/)
    for (const [key, n] of Object.entries(base.workers)) assert.match(page, new RegExp(`data-worker="${key}"[^>]*>\\s*<span class="bar-label">worker ${key}</span>[\\s\\S]*?data-value="${n}"`))
    assert.equal(metric(page, 'segment').value, '2/3')
    assert.equal(metric(page, 'segment').text, 'segment 2 of 3')
    assert.doesNotMatch(html, /data-instance|data-metric="segment"/)
  })

  it('escapes everything that comes from the run, in the page and in its embedded data', () => {
    const hostile = '</script><script>alert(1)</script>'
    const base = knownReport({command: ['load-test', '--url', 'http://x/', '-H', `X-A: ${hostile}`], seconds: steadyRun(2, 100, {'<b>1</b>': 1})})
    const page = renderHtmlReport({...base, checks: [...base.checks, {detail: hostile, name: '<i>', passed: true}]})
    assert.doesNotMatch(page, /<script>alert|<b>1<\/b>|<i>/)
    assert.ok(page.includes('&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;'))
    assert.ok(page.includes('&#39;X-A: &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&#39;'), 'the argument quoted as a shell takes it')
    assert.equal(inlineScripts(page).length, 2)
    assert.equal(charts(page)['run-workers-0'].series[0].label, 'worker <b>1</b>', 'data escaped in JSON, intact once parsed')
  })

  it('an interrupted run says so above its figures', () => {
    const page = renderHtmlReport({...report, interrupted: true})
    assert.match(page, /<p class="banner" data-metric="interrupted" data-value="true">Interrupted before the end: the figures cover the 6\.0 s it ran\.<\/p>/)
    assert.doesNotMatch(html, /data-metric="interrupted"/)
  })

  it('is pure: the same report gives the same page', () => {
    assert.equal(renderHtmlReport(report), html)
  })

  it('a run with no responses says so instead of drawing empty charts', () => {
    const empty = knownReport({seconds: [{failed: {refused: 3}, latenciesUs: [], workers: {}}]})
    const page = renderHtmlReport(empty)
    assert.match(page, /No responses were measured\./)
    assert.equal(charts(page)['run-percentiles'], undefined)
    assert.match(page, /<div class="card"><div class="label">p99<\/div><div class="value"><span class="none">no responses<\/span>/)
    assert.equal(metric(page, 'verdict').value, 'FAIL')
  })

  it('a --workers list is one page: the scaling table, every run’s latency on one chart, then each run in full', () => {
    const run = (workers: number, perSecond: number): {report: LoadReport; workers: number} => ({
      report: knownReport({
        seconds: Array.from({length: 2}, (_, s) => ({
          latenciesUs: latencies(perSecond, 3000 / workers, s + workers),
          workers: Object.fromEntries(Array.from({length: workers}, (_, w) => [String(w + 1), perSecond / workers])),
        })),
        targets: [{name: 'color', poolWorkers: workers}],
      }),
      workers,
    })
    const scaling = buildScalingReport([run(1, 1000), run(2, 1800)])
    const page = renderHtmlReport(scaling)
    assert.equal(metric(page, 'verdict', page.slice(0, page.indexOf('<section'))).value, 'PASS')
    const table = page.slice(page.indexOf('data-metric="scaling"'), page.indexOf('</table>'))
    assert.equal(metric(page, 'rps', /<tr data-run="2">[\s\S]*?<\/tr>/.exec(table)![0]).value, '1800')
    assert.equal(metric(page, 'speedup', /<tr data-run="2">[\s\S]*?<\/tr>/.exec(table)![0]).text, '1.80×')
    const overlay = charts(page)['scaling-percentiles']
    assert.deepEqual(overlay.series.map((s) => s.label), ['1 worker', '2 workers'])
    for (const [i, {workers}] of scaling.scaling.entries()) {
      const section = new RegExp(`<section class="run" id="run-${workers}" data-run="${workers}">[\\s\\S]*?(?=<section class="run"|<footer>)`).exec(page)
      assert.ok(section, `a section for ${workers} workers`)
      assert.equal(Number(metric(page, 'total-requests', section[0]).value), scaling.runs[i].requests.total)
      assert.equal(Number(metric(page, 'p99', section[0]).value), scaling.runs[i].latencyMs!.p99)
      for (const [key, n] of Object.entries(scaling.runs[i].workers)) {
        assert.match(section[0], new RegExp(`data-worker="${key}"[^>]*>[\\s\\S]*?data-value="${n}"`))
      }

      assert.ok(charts(page)[`run-${workers}-percentiles`], 'each run keeps its own charts')
    }
  })

  it('quotes the command line only where a shell needs it', () => {
    assert.equal(commandLine(['load-test', '-d', '5', '--url', 'http://127.0.0.1:6421/?a=1&b=2']), "webkit load-test -d 5 --url 'http://127.0.0.1:6421/?a=1&b=2'")
    assert.equal(commandLine(['load-test', '-H', "X-Note: it's"]), String.raw`webkit load-test -H 'X-Note: it'\''s'`)
    assert.equal(commandLine(['load-test', '--max-error-rate', '1%', '--workers', '1,2']), 'webkit load-test --max-error-rate 1% --workers 1,2')
  })

  it('writeHtmlReport writes the page, and a path it cannot write is one line for the user', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'webkit-report-'))
    try {
      const file = join(dir, 'run.html')
      await writeHtmlReport(report, file)
      assert.equal(readFileSync(file, 'utf8'), html)
      const missing = join(dir, 'nowhere', 'run.html')
      await assert.rejects(writeHtmlReport(report, missing), (error: Error) => {
        assert.ok(error instanceof UserError)
        assert.equal(error.message, `--report ${missing}: could not write the report (ENOENT)`)
        return true
      })
    } finally {
      rmSync(dir, {force: true, recursive: true})
    }
  })
})

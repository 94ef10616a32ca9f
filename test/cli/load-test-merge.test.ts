// `webkit load-test merge` and `compare` as a user runs them: on the JSON of
// real short runs against local node:http servers, one of them slowed down.
import {decodeFromCompressedBase64} from 'hdr-histogram-js'
import {strict as assert} from 'node:assert'
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {assertOneLineError, type CliRun, runCli, stopAll} from '../support/cli.js'
import {closeTargets, medianOf, startHttpTarget, startTimedTarget} from '../support/load-target.js'
import {assertLoadReport} from '../support/load-schema.js'

interface Finished {
  code: number | string
  run: CliRun
}

async function cli(args: string[]): Promise<Finished> {
  const run = runCli(args)
  return {code: await run.exited, run}
}

/** One line of JSON on stdout, parsed. */
function json(run: CliRun): Record<string, any> {
  const stdout = run.stdout()
  assert.equal(stdout.trim().split('\n').length, 1, `one line of JSON on stdout, got:\n${stdout}\nstderr:\n${run.stderr()}`)
  return JSON.parse(stdout)
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0)

describe('webkit load-test merge and compare (CLI)', function () {
  this.timeout(60_000)
  let dir: string
  /** Two runs side by side against one server, and one against a server 5 ms slower. */
  const file = {a: '', b: '', other: '', slow: ''}
  /** The slowed server's own time for each answer. */
  let slowServed: number[] = []

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'webkit-merge-'))
    const fast = await startHttpTarget((_req, res) => {
      res.writeHead(200, {'Content-Type': 'text/plain', 'X-Worker': '1'})
      res.end('ok')
    })
    const {served, target: slow} = await startTimedTarget(5)
    slowServed = served
    const loadTest = async (name: keyof typeof file, args: string[]) => {
      const run = runCli(['load-test', '--json', ...args])
      assert.equal(await run.exited, 0, run.stderr())
      file[name] = join(dir, `${name}.json`)
      await writeFile(file[name], run.stdout())
    }

    // Five seconds each: enough seconds for compare to estimate the noise.
    await Promise.all([loadTest('a', ['--url', fast.url, '-c', '4', '-d', '5']), loadTest('b', ['--url', fast.url, '-c', '4', '-d', '5'])])
    await Promise.all([loadTest('slow', ['--url', slow.url, '-c', '4', '-d', '5']), loadTest('other', ['--url', fast.url, '-c', '2', '-n', '200'])])
  })

  afterEach(stopAll)
  after(async () => {
    await closeTargets()
    await rm(dir, {force: true, recursive: true})
  })

  it('merges two runs into one report whose counts and histogram are their sums, and passes', async () => {
    const [a, b] = await Promise.all([file.a, file.b].map(async (f) => JSON.parse(await readFile(f, 'utf8'))))
    const {code, run} = await cli(['load-test', 'merge', file.a, file.b, '--json'])
    assert.equal(code, 0, run.stderr())
    assert.equal(run.stderr(), '')
    const merged = json(run)
    assertLoadReport(merged)
    for (const key of ['total', 'ok', 'failed'] as const) assert.equal(merged.requests[key], a.requests[key] + b.requests[key], key)
    assert.deepEqual(merged.statusCodes, {'200': a.statusCodes['200'] + b.statusCodes['200']})
    assert.deepEqual(merged.workers, {'1': a.workers['1'] + b.workers['1']})
    assert.equal(decodeFromCompressedBase64(merged.histograms.corrected).totalCount, merged.requests.ok)
    assert.equal(sum(merged.intervals.map((i: {responses: number}) => i.responses)), merged.requests.ok, 'the seconds add up to the total')
    assert.equal(merged.connections, 8)
    assert.equal(merged.durationSeconds, Math.max(a.durationSeconds, b.durationSeconds))
    assert.deepEqual(merged.plan, a.plan)
    assert.deepEqual(merged.command, ['load-test', 'merge', file.a, file.b, '--json'])
    assert.equal(merged.passed, true)

    const text = await cli(['load-test', 'merge', file.a, file.b])
    assert.equal(text.code, 0)
    assert.match(text.run.stdout(), new RegExp(`^Merged 2 runs: ${file.a}, ${file.b}\nwebkit load-test · 8 connections · `))
    assert.match(text.run.stdout(), /^Requests {4}[\d,]+ sent · [\d,]+ ok · 0 failed/m)
    assert.match(text.run.stdout(), /\nPASS\n$/)
  })

  it('writes the merged report as an HTML page with the merged figures (--report)', async () => {
    const page = join(dir, 'merged.html')
    const {code, run} = await cli(['load-test', 'merge', file.a, file.b, '--report', page])
    assert.equal(code, 0, run.stderr())
    assert.match(run.stdout(), new RegExp(`\nReport: ${page}\n$`))
    const merged = json(await cli(['load-test', 'merge', file.a, file.b, '--json']).then((r) => r.run))
    const html = await readFile(page, 'utf8')
    const metric = (name: string) => new RegExp(`data-metric="${name}" data-value="([^"]*)"`).exec(html)?.[1]
    assert.equal(metric('total-requests'), String(merged.requests.total))
    assert.equal(metric('p99'), String(merged.latencyMs.p99))
    assert.equal(metric('connections'), '8')
    assert.match(html, /<div class="bar-row" data-worker="1" /)
    assert.match(html, new RegExp(`data-metric="command">webkit load-test merge `))

    const bad = await cli(['load-test', 'merge', file.a, file.b, '--report', dir])
    assert.equal(bad.code, 2)
    assertOneLineError(bad.run, /^Error: --report .* is a directory: give a file name$/)
  })

  it('exits 1 when the merged run misses a threshold given to merge', async () => {
    const {code, run} = await cli(['load-test', 'merge', file.a, file.b, '--min-rps', '100000000', '--json'])
    assert.equal(code, 1)
    const merged = json(run)
    assert.equal(merged.passed, false)
    assert.equal(merged.thresholds.minRps, 100_000_000)
    assert.match(merged.checks.find((c: {name: string}) => c.name === 'throughput').detail, /req\/s, at least 100000000 required/)
  })

  it('refuses runs of different plans in one line, naming what differs (exit 2)', async () => {
    const {code, run} = await cli(['load-test', 'merge', file.a, file.other])
    assert.equal(code, 2)
    assertOneLineError(run, /^Error: cannot merge .*other\.json with .*a\.json: they ran different plans \(plan\.connections: 4 in .*a\.json, 2 in .*other\.json and \d+ more\); merge adds up runs of one plan$/)
  })

  it('passes a run compared with itself, and fails one against the slowed server (exit 1)', async () => {
    const same = await cli(['load-test', 'compare', file.a, file.a, '--json'])
    assert.equal(same.code, 0, same.run.stderr())
    const c = json(same.run)
    assert.equal(c.passed, true)
    assert.deepEqual(c.regressions, [])
    assert.ok(c.metrics.every((m: {ratio: number}) => m.ratio === 1))
    assert.equal(c.bootstrap.confidence, 0.95)

    const slower = await cli(['load-test', 'compare', file.a, file.slow, '--json'])
    assert.equal(slower.code, 1)
    const s = json(slower.run)
    assert.equal(s.passed, false)
    for (const name of ['throughput', 'p50', 'p90']) assert.ok(s.regressions.includes(name), `${name} regressed: ${JSON.stringify(s.metrics)}`)
    const p50 = s.metrics.find((m: {name: string}) => m.name === 'p50')
    // At least the server's own median (a 5 ms timer can fire a little early on Node's cached clock).
    assert.ok(p50.new >= medianOf(slowServed) - 0.1 && p50.interval.low > 1, `${JSON.stringify(p50)}, the server's median ${medianOf(slowServed).toFixed(3)} ms`)
    assert.deepEqual(s.planDifferences.map((d: string) => d.split(':')[0]), ['targets[0].name', 'targets[0].url'])

    const text = await cli(['load-test', 'compare', file.a, file.slow])
    assert.equal(text.code, 1)
    assert.match(text.run.stdout(), /^ {2}p50 ms .*REGRESSION$/m)
    assert.match(text.run.stdout(), /^FAIL: req\/s \d+% lower, p50 [\d,]+% higher, .*beyond the 10% allowed$/m)
    // Allowed a change of 100,000%, nothing regressed.
    assert.equal((await cli(['load-test', 'compare', file.a, file.slow, '--max-regression', '100000%'])).code, 0)
  })

  it('reads bad input to merge or compare as one clear line and exit 2', async () => {
    const report = await readFile(file.a, 'utf8')
    const parsed = JSON.parse(report)
    const write = async (name: string, content: string) => {
      const path = join(dir, name)
      await writeFile(path, content)
      return path
    }

    const cases: [string, RegExp][] = [
      [join(dir, 'missing.json'), /^Error: cannot read .*missing\.json: no such file$/],
      [await write('text.json', 'PASS\n'), /^Error: .*text\.json is not JSON \(.*\): expected what load-test --json prints$/],
      [await write('cut.json', report.slice(0, report.length / 2)), /^Error: .*cut\.json is not JSON/],
      [await write('v1.json', JSON.stringify({...parsed, schemaVersion: 1})), /^Error: .*v1\.json is a schemaVersion 1 report, which has no histograms or intervals: merge and compare need schemaVersion 2/],
      [await write('v9.json', JSON.stringify({...parsed, schemaVersion: 9})), /^Error: .*v9\.json has schemaVersion 9; this webkit reads schemaVersion 2$/],
      [
        await write('hist.json', JSON.stringify({...parsed, histograms: {...parsed.histograms, corrected: parsed.histograms.corrected.slice(0, -12)}})),
        /^Error: .*hist\.json: histograms\.corrected is not an HdrHistogram in compressed V2 base64 \(.*\) \(a truncated or edited report\?\)$/,
      ],
    ]
    for (const [bad, message] of cases) {
      for (const args of [['merge', file.a, bad], ['compare', bad, file.a], ['compare', file.a, bad]]) {
        const {code, run} = await cli(['load-test', ...args])
        assert.equal(code, 2, `${args.join(' ')}: ${run.stderr()}`)
        assertOneLineError(run, message)
      }
    }

    for (const args of [['compare', file.a], ['merge'], ['compare', file.a, file.b, '--max-regression', 'ten']]) {
      const {code, run} = await cli(['load-test', ...args])
      assert.equal(code, 2, args.join(' '))
      assertOneLineError(run, /^Error: /)
    }
  })

  it('keeps load-test --help, and lists merge and compare in it', async () => {
    const {code, run} = await cli(['load-test', '--help'])
    assert.equal(code, 0)
    assert.match(run.stdout(), /^USAGE\n {2}\$ webkit load-test \[--backlog <n>\]/m)
    assert.match(run.stdout(), /^ {2}load-test compare {2}Compare a run with a base run/m)
    assert.match(run.stdout(), /^ {2}load-test merge {4}Merge the JSON reports/m)
  })
})

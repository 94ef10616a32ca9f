import {HistogramLogReader} from 'hdr-histogram-js'
import {strict as assert} from 'node:assert'
import {execFile} from 'node:child_process'
import {chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {promisify} from 'node:util'

import {assertOneLineError, BIN, type CliRun, isAlive, runCli, startServer, stopAll} from '../support/cli.js'
import {closedPort, closeTargets, medianOf, startDelayedTarget, startHttpTarget, startTimedTarget} from '../support/load-target.js'
import {assertLoadReport} from '../support/load-schema.js'
import {childPids} from '../support/proc.js'

interface Finished {
  code: number | string
  json: Record<string, any>
  run: CliRun
}

/** Runs `webkit load-test --json ...` to the end and parses its stdout, which must be exactly one JSON object. */
async function loadTest(args: string[]): Promise<Finished> {
  const run = runCli(['load-test', '--json', ...args])
  const code = await run.exited
  const stdout = run.stdout()
  assert.equal(stdout.trim().split('\n').length, 1, `one line of JSON on stdout, got:\n${stdout}\nstderr:\n${run.stderr()}`)
  return {code, json: JSON.parse(stdout), run}
}

describe('webkit load-test (CLI)', function () {
  this.timeout(30_000)
  afterEach(async () => {
    await stopAll()
    await closeTargets()
  })

  describe('measurements against a server answering after 50 ms', () => {
    it("10 connections for 3 s: p50 the server's own time, within 10 ms above it, and the req/s that gives", async () => {
      const {served, target} = await startTimedTarget(50)
      const {code, json} = await loadTest(['--url', target.url, '-c', '10', '-d', '3'])
      assert.equal(code, 0)
      assertLoadReport(json)
      const median = medianOf(served)
      const {p50} = json.latencyMs
      assert.ok(median >= 45 && median < 200, `the server answered in ${median.toFixed(3)} ms (median)`)
      assert.ok(p50 >= median - 0.1 && p50 <= median + 10, `p50 ${p50} ms, the server's median ${median.toFixed(3)} ms`)
      // Ten connections, one request each at a time: ten answers per p50.
      const expected = (10 * 1000) / p50
      assert.ok(json.requests.perSecond >= 0.85 * expected && json.requests.perSecond <= 1.05 * expected, `${json.requests.perSecond} req/s at p50 ${p50} ms`)
      assert.ok(json.durationSeconds >= 3 && json.durationSeconds < 3.2, `measured ${json.durationSeconds} s`)
      assert.deepEqual(json.statusCodes, {'200': json.requests.ok})
    })

    it('--requests 3000 makes exactly 3000', async () => {
      const target = await startDelayedTarget(50)
      const {code, json} = await loadTest(['--url', target.url, '-c', '50', '--requests', '3000'])
      assert.equal(code, 0)
      assert.equal(json.requests.total, 3000)
      assert.equal(json.requests.ok, 3000)
      assert.equal(json.requests.inFlight, 0)
      assert.equal(target.requests(), 3000)
    })

    it('--rate 300 holds 270 to 330 req/s, evenly, and reports the uncorrected latency too', async () => {
      const {served, target} = await startTimedTarget(50)
      const {code, json} = await loadTest(['--url', target.url, '-c', '50', '-d', '3', '--rate', '300'])
      assert.equal(code, 0)
      assertLoadReport(json)
      assert.ok(json.requests.perSecond >= 270 && json.requests.perSecond <= 330, `${json.requests.perSecond} req/s`)
      assert.equal(json.rate, 300)
      // Uncorrected latency is the service time (the server's, plus the wire), not the time waited for a connection.
      const median = medianOf(served)
      const p50 = json.uncorrectedLatencyMs.p50
      assert.ok(p50 >= median - 0.1 && p50 <= median + 10, `uncorrected p50 ${p50} ms, the server's median ${median.toFixed(3)} ms`)
      assert.equal(json.requests.queued, 0)
    })
  })

  it('fails with exit 1 when the server answers 500, and says why', async () => {
    const target = await startHttpTarget((_req, res) => {
      res.writeHead(500, {'Content-Type': 'text/plain'})
      res.end('boom')
    })
    const run = runCli(['load-test', '--url', target.url, '-c', '2', '-n', '20'])
    assert.equal(await run.exited, 1)
    const out = run.stdout()
    assert.match(out, /✘ responses: 20 of 20 had an unexpected status; first: GET \/: status 500, expected 2xx/)
    assert.match(out, /✘ errors: 20 of 20 requests failed \(100\.00%: bad-status 20\)/)
    assert.match(out, /^Status +500 × 20$/m)
    assert.match(out, /^FAIL$/m)
    assert.doesNotMatch(out, /\u001B\[/, 'no color when stdout is not a terminal')
    assert.equal(run.stderr(), '', 'no spinner when stderr is not a terminal')
  })

  it('passes a 500 the user expects, and honours thresholds', async () => {
    const target = await startHttpTarget((_req, res) => {
      res.writeHead(500)
      res.end()
    })
    const expected = await loadTest(['--url', target.url, '-c', '2', '-n', '20', '--expect-status', '5xx'])
    assert.equal(expected.code, 0)
    const strict = await loadTest(['--url', target.url, '-c', '2', '-n', '20', '--expect-status', '5xx', '--max-p99', '0', '--min-rps', '1000000'])
    assert.equal(strict.code, 1)
    assert.deepEqual(
      strict.json.checks.filter((c: {passed: boolean}) => !c.passed).map((c: {name: string}) => c.name),
      ['p99 latency', 'throughput'],
    )
  })

  it('sends the method, headers and body given, to every path of the server in turn', async () => {
    const seen = new Map<string, number>()
    const target = await startHttpTarget((req, res) => {
      let body = ''
      req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk))
      req.on('end', () => {
        const right = req.method === 'PUT' && req.headers['x-test'] === 'yes' && body === '{"a":1}' && req.headers.host === `127.0.0.1:${target.port}`
        seen.set(req.url!, (seen.get(req.url!) ?? 0) + 1)
        res.writeHead(right ? 204 : 400)
        res.end()
      })
    })
    const base = `http://127.0.0.1:${target.port}`
    const {code, json} = await loadTest(['--url', `${base}/a`, '--url', `${base}/b?c=d`, '-m', 'PUT', '-H', 'X-Test: yes', '-b', '{"a":1}', '-c', '2', '-n', '40'])
    assert.equal(code, 0, JSON.stringify(json.checks))
    assert.deepEqual(json.statusCodes, {'204': 40})
    assert.deepEqual(Object.fromEntries(seen), {'/a': 20, '/b?c=d': 20})
    assert.deepEqual(json.targets[0].paths, ['/a', '/b?c=d'])
  })

  it('checks the workers of a running webkit pool with --expect-workers', async () => {
    const server = await startServer('color', ['--workers', '2', '--quiet'])
    const {code, json} = await loadTest(['--url', `${server.url}/`, '-c', '8', '-n', '400', '--expect-workers', '2'])
    assert.equal(code, 0, JSON.stringify(json.checks))
    assert.equal(json.targets[0].workers.length, 2)
    assert.equal(Object.values(json.workers as Record<string, number>).reduce((a, b) => a + b, 0), 400)
    const tooMany = await loadTest(['--url', `${server.url}/`, '-c', '8', '-n', '100', '--expect-workers', '3'])
    assert.equal(tooMany.code, 1)
    assert.match(tooMany.json.checks.find((c: {name: string}) => c.name === 'workers').detail, /2 of 3 workers served/)
  })

  it('--hdr-log writes an interval log that HdrHistogram reads back to the JSON, and a bad path fails before the run', async () => {
    const target = await startDelayedTarget(1)
    const dir = mkdtempSync(join(tmpdir(), 'webkit-hdr-'))
    try {
      const log = join(dir, 'run.hlog')
      const {code, json} = await loadTest(['--url', target.url, '-c', '4', '-d', '2.2', '--hdr-log', log])
      assert.equal(code, 0)
      const text = readFileSync(log, 'utf8')
      assert.match(text, /^#\[Histogram log format version 1\.3\]$/m)
      assert.match(text, new RegExp(`^#\\[StartTime: ${Date.parse(json.startedAt) / 1000}`, 'm'))
      const reader = new HistogramLogReader(text)
      const counts: number[] = []
      for (let h = reader.nextIntervalHistogram(); h; h = reader.nextIntervalHistogram()) counts.push(h.totalCount)
      assert.deepEqual(
        counts,
        json.intervals.map((i: {responses: number}) => i.responses),
      )
      assert.equal(counts.length, 3, 'two seconds and a fifth: the fifth is its own interval')

      const before = target.requests()
      for (const bad of [join(dir, 'missing', 'run.hlog'), dir]) {
        const run = runCli(['load-test', '--url', target.url, '-d', '1', '--hdr-log', bad])
        assert.equal(await run.exited, 2)
        assertOneLineError(run, /--hdr-log .*(cannot write|is a directory)/)
      }

      assert.equal(target.requests(), before, 'no request was sent')
    } finally {
      rmSync(dir, {force: true, recursive: true})
    }
  })

  it('--report writes the HTML page and says where; a path it cannot write fails in one line before the run', async () => {
    const target = await startDelayedTarget(1)
    const dir = mkdtempSync(join(tmpdir(), 'webkit-report-'))
    try {
      const page = join(dir, 'run.html')
      const run = runCli(['load-test', '--url', target.url, '-c', '2', '-n', '50', '--report', page])
      assert.equal(await run.exited, 0)
      assert.match(run.stdout(), new RegExp(`^PASS\n\nReport: ${page.replaceAll('.', String.raw`\.`)}\n$`, 'm'))
      const html = readFileSync(page, 'utf8')
      assert.match(html, /^<!DOCTYPE html>/)
      assert.match(html, /data-metric="total-requests" data-value="50">50</)

      const readOnlyDir = join(dir, 'read-only')
      mkdirSync(readOnlyDir, {mode: 0o555})
      const readOnlyFile = join(dir, 'kept.html')
      writeFileSync(readOnlyFile, 'keep me')
      chmodSync(readOnlyFile, 0o444)
      const before = target.requests()
      const cases: [string, RegExp][] = [
        [join(dir, 'missing', 'run.html'), /^Error: --report \S+missing\/run\.html: cannot write in \S+missing: no such directory$/],
        [dir, /^Error: --report \S+ is a directory: give a file name$/],
        [join(readOnlyDir, 'run.html'), /^Error: --report \S+read-only\/run\.html: cannot write in \S+read-only \(permission denied\)$/],
        [readOnlyFile, /^Error: --report \S+kept\.html: cannot write the file \(permission denied\)$/],
      ]
      for (const [bad, message] of cases) {
        // As root, without the capabilities that let root write anywhere, so the modes bind it as any user.
        const refused = runCli(['load-test', '--url', target.url, '-d', '1', '--report', bad], {}, {filePermissionsApply: true})
        assert.equal(await refused.exited, 2, bad)
        assertOneLineError(refused, message)
      }

      assert.equal(target.requests(), before, 'no request was sent')
      assert.equal(readFileSync(readOnlyFile, 'utf8'), 'keep me')
    } finally {
      rmSync(dir, {force: true, recursive: true})
    }
  })

  it('on a terminal, redraws the last second and each worker in place; not with NO_COLOR', async function () {
    // util-linux's script gives the CLI a pseudo-terminal, as a user's shell would.
    const target = await startDelayedTarget(1)
    // Not execFileSync: the target answers from this process's event loop.
    const inTerminal = async (env: Record<string, string>) =>
      (
        await promisify(execFile)('script', ['-qfec', `stty cols 100 rows 30; ${process.execPath} ${BIN} load-test --url ${target.url} -d 1.2 -c 2 </dev/null`, '/dev/null'], {
          encoding: 'utf8',
          env: {...process.env, ...env},
          timeout: 15_000,
        })
      ).stdout
    const shown = await inTerminal({NO_COLOR: ''})
    const plain = shown.replaceAll(/\u001B\[[0-9;?]*[A-Za-z]/g, '')
    assert.ok((plain.match(/last second {2}[\d,]+ req\/s · p50 [\d.]+ ms · p99 [\d.]+ ms · 0 failed/g) ?? []).length >= 3, `redrawn a few times:\n${plain}`)
    assert.match(plain, /workers {2}1 {2}█{24} 100\.0%/)
    assert.match(shown, /\u001B\[2K/, 'lines are erased and rewritten in place')
    assert.match(plain, /^PASS/m)
    const quiet = await inTerminal({NO_COLOR: '1'})
    assert.doesNotMatch(quiet, /last second/)
    assert.match(quiet, /^PASS/m)
  })

  it('--segment and --start-at: a generator runs its share from the agreed instant, and not after it', async () => {
    const target = await startDelayedTarget(1)
    // A time already passed is refused before anything is sent; how long that took (a CLI's start on this
    // machine, now) sets the lead the two generators below get to reach the agreed instant.
    const lateAt = performance.now()
    const late = runCli(['load-test', '--url', target.url, '-n', '10', '--start-at', new Date(Date.now() - 1000).toISOString()])
    assert.equal(await late.exited, 2)
    assertOneLineError(late, /--start-at .* has passed .*give a later time/)
    assert.equal(target.requests(), 0, 'it sent no request')
    const startAt = Date.now() + Math.max(1500, 4 * (performance.now() - lateAt))
    const iso = new Date(startAt).toISOString()
    const [one, two] = await Promise.all(
      ['1/2', '2/2'].map((segment) => loadTest(['--url', target.url, '-c', '5', '-n', '2001', '--segment', segment, '--start-at', iso])),
    )
    for (const {code, json} of [one, two]) {
      assert.equal(code, 0)
      assertLoadReport(json)
      assert.ok(Date.parse(json.startedAt) >= startAt, `started ${json.startedAt}, not before ${iso}`)
      assert.equal(json.plan.connections, 5, 'the report states the whole plan')
      assert.ok(!json.checks.some((c: {name: string}) => c.name.startsWith('workers')), 'workers are judged on the merged report')
    }

    assert.deepEqual([one.json.segment, two.json.segment], [{count: 2, index: 1}, {count: 2, index: 2}])
    assert.deepEqual([one.json.requests.total, two.json.requests.total], [1001, 1000])
    assert.equal(target.requests(), 2001)

    const few = runCli(['load-test', '--url', target.url, '-c', '2', '-n', '10', '--segment', '3/3'])
    assert.equal(await few.exited, 2)
    assertOneLineError(few, /--segment 3\/3 gets none of --connections 2/)
    assert.equal(target.requests(), 2001, 'it sent no request')
  })

  it('--expect-instances: servers behind a balancer, each naming itself in X-Instance, counted by instance and worker', async () => {
    // One server playing a balancer over three instances of two workers, in turn; instance c lost its worker 2.
    let n = 0
    const target = await startHttpTarget((_req, res) => {
      const pair = n++ % 6
      const instance = 'abc'[pair >> 1]
      const worker = instance === 'c' ? '1' : String((pair & 1) + 1)
      res.writeHead(200, {'Content-Type': 'text/plain', 'X-Instance': instance, 'X-Worker': worker})
      res.end('ok')
    })
    const {code, json} = await loadTest(['--url', target.url, '-c', '1', '-n', '600', '--expect-instances', '3', '--expect-workers', '2'])
    assert.equal(code, 1)
    assertLoadReport(json)
    assert.deepEqual(json.targets[0].instances, {a: 200, b: 200, c: 200})
    assert.deepEqual(json.workers, {'a/1': 100, 'a/2': 100, 'b/1': 100, 'b/2': 100, 'c/1': 200})
    const checks = Object.fromEntries(json.checks.map((c: {detail: string; name: string; passed: boolean}) => [c.name, c]))
    assert.equal(checks.instances.passed, true)
    assert.equal(checks.instances.detail, '3 of 3 instances served (a 200, b 200, c 200)')
    assert.equal(checks.workers.passed, false)
    assert.equal(checks.workers.detail, 'c: 1 of 2 workers served')
    const four = await loadTest(['--url', target.url, '-c', '1', '-n', '60', '--expect-instances', '4'])
    assert.equal(four.code, 1)
    assert.match(four.json.checks.find((c: {name: string}) => c.name === 'instances').detail, /^3 of 4 instances served/)
  })

  it('exits 2 with one line when nothing listens at the URL', async () => {
    const port = await closedPort()
    const run = runCli(['load-test', '--url', `http://127.0.0.1:${port}/`, '-d', '1'])
    assert.equal(await run.exited, 2)
    assertOneLineError(run, new RegExp(`nothing is listening at http://127.0.0.1:${port} \\(connection refused\\)`))
  })

  it('exits 2 with one line on a bad flag or combination', async () => {
    const cases: [string[], RegExp][] = [
      [['--url', 'ftp://x/'], /--url "ftp:\/\/x\/" must start with http:\/\//],
      [['--url', 'https://127.0.0.1/'], /https is not supported/],
      [['--url', 'not a url'], /is not a URL/],
      [['--duration', '0'], /--duration must be a number of seconds/],
      [['-d', '2', '-n', '10', '--url', 'http://127.0.0.1:1/'], /--requests=10 cannot also be provided when using --duration|--duration=2 cannot also be provided when using --requests/],
      [['--header', 'X: 1'], /--url/],
      [['--url', 'http://127.0.0.1:1/', '--workers', '2'], /cannot also be provided/],
      [['--url', 'http://127.0.0.1:1/', '--header', 'Bad Header'], /must look like "Name: value"/],
      [['--url', 'http://127.0.0.1:1/', '--expect-status', '2x'], /"2x" is not a status code/],
      [['--workers', '1,,2'], /comma-separated list/],
      [['--max-error-rate', '150%'], /fraction from 0 to 1 or a percentage/],
      [['-c', '1', '--url', 'http://127.0.0.1:1/', '--url', 'http://127.0.0.1:2/'], /--connections 1 cannot load 2 servers/],
      [['-c', '1'], /--connections 1 cannot load 2 servers/],
    ]
    for (const [args, pattern] of cases) {
      const run = runCli(['load-test', ...args])
      assert.equal(await run.exited, 2, args.join(' '))
      assertOneLineError(run, pattern)
    }
  })

  it('default mode: starts the servers as real pools, checks every response and that every worker served, then stops them', async () => {
    const run = runCli(['load-test', '--json', '--workers', '2', '-c', '8', '-d', '1'])
    // Catch the pool's worker processes while the run goes, to check they are gone after.
    let workers: number[] = []
    while (run.proc.exitCode === null && workers.length < 2) {
      workers = childPids(run.proc.pid!)
      await new Promise((resolve) => {
        setTimeout(resolve, 10)
      })
    }

    assert.equal(await run.exited, 0, run.stderr())
    const json = JSON.parse(run.stdout())
    assertLoadReport(json)
    assert.equal(json.passed, true)
    const names = json.targets.map((t: {name: string}) => t.name)
    for (const target of json.targets) {
      assert.equal(target.poolWorkers, 2)
      assert.equal(target.workers.length, 2, `${target.name}: every worker served`)
      for (const w of target.workers) assert.ok(w.requests > 0 && w.connections > 0)
    }

    assert.deepEqual(names, ['color', 'image'], 'both servers by default')
    assert.equal(json.targets[1].paths.length, 3, 'the image on / and on its name, and an unknown name')
    assert.ok(json.requests.ok > 100)
    assert.ok(json.statusCodes['404'] > 0, 'the unknown color is part of the mix')
    assert.deepEqual(
      json.checks.map((c: {name: string; passed: boolean}) => c.passed),
      json.checks.map(() => true),
    )
    assert.ok(workers.length >= 2, 'saw the pool workers')
    for (const pid of workers) assert.equal(isAlive(pid), false, `worker ${pid} stopped`)
  })

  it('Ctrl+C ends the run early, still reports it, and fails it', async () => {
    const target = await startDelayedTarget(1)
    const run = runCli(['load-test', '--json', '--url', target.url, '-c', '4', '-d', '60'])
    while (target.requests() < 100 && run.proc.exitCode === null) {
      await new Promise((resolve) => {
        setTimeout(resolve, 10)
      })
    }

    run.proc.kill('SIGINT')
    assert.equal(await run.exited, 1)
    const json = JSON.parse(run.stdout())
    assertLoadReport(json)
    assert.equal(json.interrupted, true)
    assert.ok(json.requests.ok >= 50 && json.durationSeconds < 60)
    assert.deepEqual(json.checks[0], {detail: 'interrupted before the end: the figures cover the time it ran', name: 'completed', passed: false})
  })

  it('Ctrl+C in default mode stops the pools it started', async () => {
    const run = runCli(['load-test', '--json', '--workers', '2', '-c', '4', '-d', '60'])
    let workers: number[] = []
    while (run.proc.exitCode === null && workers.length < 2) {
      workers = childPids(run.proc.pid!)
      await new Promise((resolve) => {
        setTimeout(resolve, 10)
      })
    }

    run.proc.kill('SIGINT')
    assert.equal(await run.exited, 1, run.stderr())
    assert.equal(JSON.parse(run.stdout()).interrupted, true)
    for (const pid of workers) assert.equal(isAlive(pid), false, `worker ${pid} stopped`)
  })

  it('--workers 1,2 runs once per pool size and prints a scaling table', async () => {
    const run = runCli(['load-test', '--workers', '1,2', '--target', 'color', '-c', '4', '-d', '0.5'])
    assert.equal(await run.exited, 0, run.stderr())
    const out = run.stdout()
    assert.match(out, /## 1 worker\n/)
    assert.match(out, /## 2 workers\n/)
    assert.match(out, /Scaling: req\/s and latency against workers\n +workers +req\/s +p50 ms +p99 ms +speedup\n +1 .* 1\.00x\n +2 .*x\n/)
    assert.match(out, /PASS\s*$/)
  })
})

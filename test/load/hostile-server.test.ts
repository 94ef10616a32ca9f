// `webkit load-test` against misbehaving servers (test/load/hostile-servers.ts),
// run as a user runs it: the built CLI, --json, a raw server in this process.
// Whatever the server does, the run ends on time, prints one JSON object whose
// counts add up and no stack trace, keeps its memory bounded, never counts more
// ok responses than the server answered correctly, names the failure, and exits
// 0 only when every response was right (2 only when nothing is listening).
import {strict as assert} from 'node:assert'
import {Agent, get} from 'node:http'
import {performance} from 'node:perf_hooks'

import {assertOneLineError, type CliRun, runCli, stopAll} from '../support/cli.js'
import {type HostileStats, startHostileTarget} from '../support/hostile-target.js'
import {closedPort, closeTargets} from '../support/load-target.js'
import {assertLoadReport} from '../support/load-schema.js'
import {watchPeakRss} from '../support/memory.js'
import {HOSTILE_CASES, type HostileCase, type Report} from './hostile-servers.js'

/** Generous: the CLI idles near 60 MB; a body or line being buffered would pass this within a second. */
const PEAK_RSS_MB = 300

interface Finished {
  code: number | string
  peakRssMb: number
  run: CliRun
  seconds: number
}

/** Runs the CLI to its end, or kills it and fails once `endsWithin` seconds have passed. */
async function runToEnd(args: string[], endsWithin: number): Promise<Finished> {
  const run = runCli(['load-test', ...args])
  const peak = watchPeakRss(run.proc.pid!)
  const started = performance.now()
  let timer: NodeJS.Timeout | undefined
  const hung = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), endsWithin * 1000)
  })
  const code = await Promise.race([run.exited, hung])
  clearTimeout(timer)
  const peakRssMb = peak.stop() / 1024
  if (code === undefined) {
    run.proc.kill('SIGKILL')
    assert.fail(`load-test ${args.join(' ')} still running after ${endsWithin} s\nstdout: ${run.stdout()}\nstderr: ${run.stderr()}`)
  }

  return {code, peakRssMb, run, seconds: (performance.now() - started) / 1000}
}

/** What a failure message needs to show: the report's counts beside the server's own. */
function summary({code, peakRssMb, seconds}: Finished, report: Report, stats: HostileStats): string {
  const {failed, inFlight, ok, total} = report.requests
  return (
    `exit ${code} after ${seconds.toFixed(1)} s, peak RSS ${peakRssMb.toFixed(0)} MB; ` +
    `requests total ${total}, ok ${ok}, failed ${failed}, in flight ${inFlight}; ` +
    `errors ${JSON.stringify(report.errors)}; statuses ${JSON.stringify(report.statusCodes)}; ` +
    `server: ${stats.connections} connections, ${stats.requests} requests read, ${stats.valid} correct answers`
  )
}

async function runCase(c: HostileCase): Promise<void> {
  const server = await startHostileTarget(c.serve())
  const finished = await runToEnd(['--url', server.url, ...c.args, '--json'], c.endsWithin)
  const {code, peakRssMb, run} = finished
  const {stats} = server
  await server.close()
  const stderr = run.stderr()
  const stdout = run.stdout()
  assert.doesNotMatch(stderr, /^\s+at /m, `no stack trace on stderr:\n${stderr}`)
  // A hostile server is still a server: only "nothing is listening" may end the run with a user error.
  assert.notEqual(code, 2, `exit 2 (a setup error) although a server is listening: ${stderr.trim()}`)
  assert.equal(stderr, '', `with --json nothing but the report is printed; stderr:\n${stderr}`)
  assert.equal(stdout.trim().split('\n').length, 1, `one line of JSON on stdout, got:\n${stdout}`)
  const report = JSON.parse(stdout) as Report
  const why = summary(finished, report, stats)
  assertLoadReport(report)

  const {ok, total} = report.requests
  assert.ok(ok <= stats.valid, `${ok} counted ok, but the server sent only ${stats.valid} correct answers; ${why}`)
  const responses = Object.values(report.statusCodes as Record<string, number>).reduce((a, b) => a + b, 0)
  assert.ok(responses <= total, `${responses} responses counted for ${total} requests; ${why}`)
  for (const kind of c.kinds ?? []) assert.ok(report.errors[kind] > 0, `no "${kind}" failure counted; ${why}`)
  // Unless the case says what may fail, a run that must pass may not fail at all.
  const allowed = c.only ?? c.kinds ?? (c.exit === 0 ? [] : undefined)
  for (const kind of allowed ? Object.keys(report.errors) : []) {
    assert.ok(allowed!.includes(kind), `"${kind}" failures are not what this server causes; ${why}`)
  }

  // The connection of an unsolicited response is closed, so each counts once.
  const unsolicited = report.errors.unsolicited ?? 0
  assert.ok(unsolicited <= stats.connections, `${unsolicited} unsolicited on ${stats.connections} connections; ${why}`)
  assert.equal(code, c.exit, `exit code; ${why}`)
  assert.equal(report.passed, code === 0, 'passed exactly when the exit code is 0')
  if (c.exit === 0) {
    assert.ok(ok > 0, why)
    // A counted run against a server that did everything right: its count is the server's, to the request.
    if (c.args.includes('-n')) assert.ok(ok === stats.valid && total === stats.requests, `counts differ from the server's; ${why}`)
  }

  assert.ok(peakRssMb < PEAK_RSS_MB, `peak RSS over ${PEAK_RSS_MB} MB; ${why}`)
  c.check?.(report, stats)
}

type Verdict = 'accepts' | 'rejects'

/** Two requests in turn from node:http's client on one keep-alive connection: does it read both answers? */
async function nodeHttpVerdict(c: HostileCase): Promise<Verdict> {
  const server = await startHostileTarget(c.serve())
  const agent = new Agent({keepAlive: true, maxSockets: 1})
  try {
    for (let i = 0; i < 2; i++) {
      const read = await new Promise<boolean>((resolve) => {
        const request = get({agent, host: '127.0.0.1', path: '/', port: server.port, timeout: 1000}, (res) => {
          res.on('error', () => resolve(false))
          res.on('end', () => resolve(res.complete)).resume()
        })
        request.on('timeout', () => request.destroy())
        request.on('error', () => resolve(false))
      })
      if (!read) return 'rejects'
    }

    return 'accepts'
  } finally {
    agent.destroy()
    await server.close()
  }
}

describe('load-test against hostile servers', function () {
  this.timeout(30_000)
  afterEach(async () => {
    await stopAll()
    await closeTargets()
  })

  it(`has at least 30 misbehaving servers (${HOSTILE_CASES.filter((c) => c.exit === 1).length}), and well-behaved ones among them`, () => {
    assert.ok(HOSTILE_CASES.filter((c) => c.exit === 1).length >= 30)
    assert.ok(HOSTILE_CASES.some((c) => c.exit === 0))
    assert.equal(new Set(HOSTILE_CASES.map((c) => c.name)).size, HOSTILE_CASES.length, 'names are unique')
  })

  for (const c of HOSTILE_CASES) {
    it(`${c.name}: exit ${c.exit}${c.kinds ? `, counts ${c.kinds.join(', ')}` : ''}`, async () => {
      for (let i = 0; i < (c.runs ?? 1); i++) await runCase(c)
    })
  }

  it('exits 2 in one line only when nothing is listening (connection refused)', async () => {
    const port = await closedPort()
    const {code, run} = await runToEnd(['--url', `http://127.0.0.1:${port}/`, '-c', '4', '-n', '10', '--json'], 10)
    assert.equal(code, 2)
    assertOneLineError(run, /nothing is listening at http:\/\/127\.0\.0\.1:\d+ \(connection refused\)/)
  })

  it("agrees with node:http's client on which responses are readable, but for the documented differences", async () => {
    const judged = HOSTILE_CASES.filter((c) => c.nodeHttp)
    const got: Record<string, Verdict> = {}
    for (const c of judged) got[c.name] = await nodeHttpVerdict(c)
    assert.deepEqual(got, Object.fromEntries(judged.map((c) => [c.name, c.nodeHttp])))
    // Where webkit's verdict is not llhttp's, and why, is said in each case.
    assert.deepEqual(
      judged.filter((c) => (c.nodeHttp === 'accepts') !== (c.exit === 0)).map((c) => c.name),
      ['obs-fold in a response header (valid: replaced by spaces)', 'an HTTP/2.0 status line'],
    )
  })
})

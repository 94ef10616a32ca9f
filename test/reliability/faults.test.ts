// Faults under load: workers killed mid-request, a graceful stop during large
// downloads, and a load test whose target dies.
import {strict as assert} from 'node:assert'
import {createHash, randomBytes} from 'node:crypto'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {type IncomingMessage, request} from 'node:http'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {isAlive, runCli, type StartedServer, startServer, stop, stopAll} from '../support/cli.js'
import {get} from '../support/http.js'
import {exchange, type RawReply} from '../support/raw.js'
import {childPids, connectionOwners, listening, serverConnections, settlesTo} from '../support/proc.js'

const LOAD_CONNECTIONS = 40
/**
 * The reconnections that may fail after a kill of a worker holding `n` load
 * connections. They reconnect at once, and until the primary has seen the exit
 * (milliseconds) its round robin over two workers hands the victim half of
 * them (rounded up) again; those fail and reconnect in turn: n/2 + n/4 + ...
 * is less than n, plus one per round for the rounding, and the primary hears
 * well within the rounds the halving takes to reach one (log2 n).
 */
const reconnectsLost = (n: number) => n + Math.ceil(Math.log2(n + 1))

/** The report of a `webkit load-test --json` run. */
async function loadReport(run: ReturnType<typeof runCli>) {
  const code = await run.exited
  assert.ok(run.stdout().trim(), `no report; stderr:\n${run.stderr()}`)
  return {code, report: JSON.parse(run.stdout())}
}

/** Waits for the `n`th "worker N ready" line of a pool (a replacement) and returns its id. */
async function nthReplacement(server: StartedServer, n: number): Promise<string> {
  const [, id] = await server.waitFor(new RegExp(`(?:[\\s\\S]*?worker (\\d+) ready){${n}}`))
  return id
}

describe('faults', function () {
  this.timeout(60_000)
  afterEach(stopAll)

  for (const [kind, path] of [
    ['color', '/'],
    ['image', '/rick_roll.jpg'],
  ] as const) {
    it(`serve ${kind}: workers SIGKILLed under load are replaced; only their in-flight requests fail; the primary lives on`, async () => {
      const server = await startServer(kind, ['--workers', '2', '--quiet'])
      const original = childPids(server.proc.pid!)
      // Runs until stopped below (Ctrl+C still reports), however long the kills and replacements take here.
      const load = runCli(['load-test', '--url', `${server.url}${path}`, '-c', String(LOAD_CONNECTIONS), '-d', '60', '--timeout', '2', '--json'])
      // Every connection open and in a worker's hands, none left with the primary.
      const handedOver = () => {
        const {byPid, total} = connectionOwners(server.port)
        return total === LOAD_CONNECTIONS && !byPid.has(server.proc.pid!)
      }

      // Kill each original worker in turn. Requests may fail only on connections the surviving
      // workers do not hold (the victim's, and any on their way to it), plus the few reconnections
      // handed to the victim in the moment before the primary sees it exit.
      let mayFail = 0
      for (const [i, victim] of original.entries()) {
        assert.ok(await settlesTo(handedOver, true, 10_000), 'the load is under way')
        assert.equal(load.proc.exitCode, null, 'the load is still running')
        const {byPid, total} = connectionOwners(server.port)
        const survivors = childPids(server.proc.pid!).filter((pid) => pid !== victim)
        const onVictim = total - survivors.reduce((n, pid) => n + (byPid.get(pid) ?? 0), 0)
        mayFail += onVictim + reconnectsLost(onVictim)
        process.kill(victim, 'SIGKILL')
        const replacement = await nthReplacement(server, i + 1)
        // New requests succeed meanwhile, and the replacement serves some of them.
        const seen = new Set<string>()
        for (let tries = 0; tries < 50 && !seen.has(replacement); tries++) {
          const reply = await get(`${server.url}${path}`)
          assert.equal(reply.status, 200)
          seen.add(String(reply.headers['x-worker']))
        }

        assert.ok(seen.has(replacement), `worker ${replacement} never answered`)
      }

      assert.equal(load.proc.exitCode, null, 'the load outlasted both kills')
      load.proc.kill('SIGINT')
      const {report} = await loadReport(load)
      assert.equal(report.interrupted, true)
      for (const status of Object.keys(report.statusCodes)) assert.match(status, /^2\d\d$/, 'only 2xx answers')
      assert.ok(report.requests.failed <= mayFail, `${report.requests.failed} failed; only ${mayFail} connections were not on a surviving worker: ${JSON.stringify(report.errors)}`)
      for (const kind of Object.keys(report.errors)) assert.ok(['closed', 'reset', 'truncated'].includes(kind), `error kind ${kind}`)
      assert.ok(report.requests.ok > report.requests.failed, `${report.requests.ok} answered`)
      // With the load gone, nothing may remain: a connection stranded on its way to a dead worker would.
      assert.equal(await settlesTo(() => serverConnections(server.port), 0), 0, 'connections left open')

      assert.equal(server.stderr().match(/worker \d+ exited \(signal SIGKILL\); starting a replacement/g)?.length, 2)
      const now = childPids(server.proc.pid!)
      assert.equal(now.length, 2)
      for (const pid of original) assert.ok(!now.includes(pid))
      assert.equal(await stop(server), 0, 'the primary survived and stops cleanly')
    })
  }

  describe('serve image: SIGTERM during 4 large downloads', () => {
    const dir = mkdtempSync(join(tmpdir(), 'webkit-faults-'))
    const file = join(dir, 'large.bin')
    // Beyond the 8 MB held in memory: streamed from disk.
    const data = randomBytes(32 * 1024 * 1024)
    const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')
    before(() => writeFileSync(file, data))
    after(() => rmSync(dir, {force: true, recursive: true}))

    /** Starts a download and pauses it once the head is in: the body stays in flight until resumed. */
    function download(url: string): Promise<{body: Promise<Buffer>; res: IncomingMessage}> {
      return new Promise((resolve, reject) => {
        request(url, {agent: false}, (res) => {
          res.pause()
          const chunks: Buffer[] = []
          const body = new Promise<Buffer>((done, fail) => {
            res.on('data', (c: Buffer) => chunks.push(c))
            res.on('end', () => done(Buffer.concat(chunks)))
            res.on('error', fail)
          })
          resolve({body, res})
        })
          .on('error', reject)
          .end()
      })
    }

    it('lets all 4 finish byte-exact, refuses new connections meanwhile, then exits 0', async () => {
      const server = await startServer('image', ['--workers', '2', '--quiet', '--file', file])
      const workers = childPids(server.proc.pid!)
      const downloads = await Promise.all(Array.from({length: 4}, () => download(`${server.url}/large.bin`)))
      for (const {res} of downloads) assert.equal(res.statusCode, 200)

      server.proc.kill('SIGTERM')
      await server.waitFor(/SIGTERM received/)
      // The primary stops listening before it says so.
      assert.equal(listening(server.port), false, 'stopped listening')
      const refused = await get(`${server.url}/large.bin`).then(
        () => false,
        (error: NodeJS.ErrnoException) => error.code === 'ECONNREFUSED',
      )
      assert.ok(refused, 'new connections are refused after SIGTERM')
      assert.equal(server.proc.exitCode, null, 'still running for the downloads in flight')
      for (const {res} of downloads) assert.equal(res.complete, false, 'the download is still in flight')

      for (const {res} of downloads) res.resume()
      for (const {body} of downloads) {
        const bytes = await body
        assert.equal(bytes.length, data.length)
        assert.equal(sha256(bytes), sha256(data))
      }

      assert.equal(await server.exited, 0)
      for (const pid of workers) assert.equal(isAlive(pid), false)
      assert.doesNotMatch(server.stderr(), /cut connections/)
    })

    it('delivers a response that has ended but is still being flushed to a slow client', async () => {
      // Held in memory (under 8 MB), so the whole body is written at once and waits in buffers.
      const small = join(dir, 'memory.bin')
      writeFileSync(small, data.subarray(0, 6 * 1024 * 1024))
      const server = await startServer('image', ['--workers', '2', '--quiet', '--file', small])
      const slow = await download(`${server.url}/memory.bin`)
      server.proc.kill('SIGTERM')
      await server.waitFor(/SIGTERM received/)
      // The client stays slow a while into the drain (the drain looks for idle connections every 50 ms).
      await new Promise((resolve) => {
        setTimeout(resolve, 300)
      })
      slow.res.resume()
      const bytes = await slow.body
      assert.equal(bytes.length, 6 * 1024 * 1024)
      assert.equal(sha256(bytes), sha256(data.subarray(0, 6 * 1024 * 1024)))
      assert.equal(await server.exited, 0)
    })

    it('refuses every connection from the moment the drain starts, and leaves none hanging', async () => {
      const server = await startServer('image', ['--workers', '2', '--quiet', '--file', file])
      // Downloads in flight on both workers keep them draining for as long as the test needs.
      const inFlight = await Promise.all(Array.from({length: 4}, () => download(`${server.url}/large.bin`)))
      const outcomes: Array<RawReply & {startedAt: number}> = []
      let hammering = true
      const hammer = async () => {
        while (hammering) {
          const startedAt = performance.now()
          const reply = await exchange(server.url, 'GET /absent HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', {timeoutMs: 2000})
          outcomes.push({...reply, startedAt})
        }
      }

      const hammers = Array.from({length: 8}, hammer)
      await settlesTo(() => outcomes.length > 50, true)
      server.proc.kill('SIGTERM')
      await server.waitFor(/SIGTERM received/)
      const announcedAt = performance.now()
      const before = outcomes.length
      await settlesTo(() => outcomes.length > before + 100, true)
      hammering = false
      await Promise.all(hammers)

      const hung = outcomes.filter((o) => o.ending === 'timeout').length
      assert.equal(hung, 0, `${hung} of ${outcomes.length} connections left hanging`)
      for (const {statuses} of outcomes) assert.ok(statuses.every((status) => status === 404), `answered ${statuses}`)
      const late = outcomes.filter((o) => o.startedAt > announcedAt)
      assert.ok(late.length >= 100)
      for (const o of late) assert.equal(o.error, 'ECONNREFUSED', `a connection after the drain began: ${o.ending}, ${o.error}`)
      for (const {res} of inFlight) res.resume()
      await Promise.all(inFlight.map(({body}) => body))
      assert.equal(await server.exited, 0)
    })
  })

  it('load-test against a server that dies mid-run reports the errors by kind and ends on time', async () => {
    // With its access log: the load is under way once a hundred answers are logged.
    const server = await startServer('color', ['--workers', '2'])
    const workers = childPids(server.proc.pid!)
    const seconds = 4
    const load = runCli(['load-test', '--url', `${server.url}/`, '-c', String(LOAD_CONNECTIONS), '-d', String(seconds), '--timeout', '1', '--json'])
    const answered = () => server.stdout().split(' GET / 200 ').length - 1
    assert.ok(await settlesTo(() => answered() >= 100, true, 10_000), 'the load is answered')
    // The whole server dies at once, as when its machine goes.
    for (const pid of [server.proc.pid!, ...workers]) process.kill(pid, 'SIGKILL')

    const {code, report} = await loadReport(load)
    // From the run's own start (its CLI's start-up left out) to its exit.
    const elapsed = Date.now() - Date.parse(report.startedAt)
    assert.equal(code, 1, 'failed requests fail the run')
    assert.equal(report.passed, false)
    assert.ok(report.requests.ok > 0, 'answered before the death')
    assert.ok(report.errors.refused > 0, `connecting afterwards is refused: ${JSON.stringify(report.errors)}`)
    for (const kind of Object.keys(report.errors)) assert.ok(['closed', 'refused', 'reset', 'truncated'].includes(kind), `error kind ${kind}`)
    assert.equal(
      Object.values(report.errors as Record<string, number>).reduce((a, b) => a + b, 0),
      report.requests.failed,
      'failures add up',
    )
    // The run, one request timeout at most, and its report.
    assert.ok(elapsed < (seconds + 1 + 2) * 1000, `ended ${Math.round(elapsed)} ms after it started`)
  })
})

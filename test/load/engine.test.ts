import {strict as assert} from 'node:assert'
import {performance} from 'node:perf_hooks'

import {type LoadLimits, type LoadPlan, WHOLE} from '../../src/load/plan.js'

import {startLoad} from '../../src/load/threads.js'
import {closeTargets, startDelayedTarget, startHttpTarget, startRawTarget, startTimedTarget, type TestTarget} from '../support/load-target.js'

function plan(target: TestTarget, limits: Partial<LoadLimits>, paths = ['/']): LoadPlan {
  return {
    expectStatus: ['2xx'],
    limits: {connections: 4, durationMs: 1000, rate: null, requests: null, segment: WHOLE, threads: 1, timeoutMs: 2000, warmupMs: 0, ...limits},
    targets: [
      {
        expectInstances: null,
        expectWorkers: null,
        host: '127.0.0.1',
        name: 'test',
        port: target.port,
        requests: paths.map((path) => ({headers: {}, method: 'GET', path})),
        url: `http://127.0.0.1:${target.port}`,
      },
    ],
  }
}

/** Resolves once the run has seen `count` responses (polled on the run's own counters, not timed). */
function responsesSeen(load: ReturnType<typeof startLoad>, count: number): Promise<void> {
  return new Promise((resolve) => {
    const check = setInterval(() => {
      if (load.progress().responses >= count) {
        clearInterval(check)
        resolve()
      }
    }, 5)
  })
}

const addsUp = (t: {failed: number; inFlight: number; ok: number; sent: number}) =>
  assert.equal(t.sent, t.ok + t.failed + t.inFlight, `sent ${t.sent} = ok ${t.ok} + failed ${t.failed} + in flight ${t.inFlight}`)

describe('load/engine', function () {
  this.timeout(15_000)
  afterEach(closeTargets)

  it('makes exactly --requests measured requests, over several threads too, after the warm-up', async () => {
    for (const threads of [1, 3]) {
      const target = await startDelayedTarget(0)
      const {latencies, tally} = await startLoad(plan(target, {connections: 7, requests: 1000, threads})).result
      assert.equal(tally.sent, 1000)
      assert.equal(tally.ok, 1000)
      assert.equal(latencies.corrected.totalCount, 1000)
      assert.equal(target.requests(), 1000, `${threads} threads: the server saw exactly 1000`)
      assert.deepEqual(tally.targets[0].workers, {'1': 1000})
      assert.deepEqual(tally.targets[0].connections, {'1': 7})
      await target.close()
    }

    const warmed = await startDelayedTarget(0)
    const {tally} = await startLoad(plan(warmed, {requests: 200, warmupMs: 300})).result
    assert.equal(tally.sent, 200)
    assert.ok(warmed.requests() > 200, 'warm-up requests reach the server but not the statistics')
  })

  it('frames chunked bodies, bodies ended by the close, and reconnects after Connection: close', async () => {
    let n = 0
    const target = await startRawTarget((socket) => {
      const kind = n++ % 3
      if (kind === 0) socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-Worker: a\r\n\r\n3\r\nabc\r\n0\r\n\r\n')
      else if (kind === 1) socket.end('HTTP/1.1 200 OK\r\nConnection: close\r\nX-Worker: a\r\nContent-Length: 2\r\n\r\nok')
      else socket.end('HTTP/1.0 200 OK\r\nX-Worker: b\r\n\r\nuntil the close')
    })
    const {tally} = await startLoad(plan(target, {connections: 1, requests: 30})).result
    assert.equal(tally.ok, 30)
    assert.equal(tally.failed, 0)
    assert.deepEqual(tally.targets[0].workers, {a: 20, b: 10})
    assert.ok((tally.targets[0].connections.a ?? 0) + (tally.targets[0].connections.b ?? 0) >= 20, 'a socket per closed connection')
  })

  it('counts a bad status and an unparsable response as failures by kind', async () => {
    const status = await startHttpTarget((_req, res) => {
      res.writeHead(503)
      res.end()
    })
    const failed = await startLoad(plan(status, {requests: 50})).result
    assert.deepEqual(failed.tally.errors, {'bad-status': 50})
    assert.deepEqual(failed.tally.statuses, {'503': 50})
    assert.match(failed.tally.targets[0].firstMismatch!, /^GET \/: status 503, expected 2xx$/)

    const garbage = await startRawTarget((socket) => socket.write('HTTP/1.1 OK\r\n\r\n'))
    const parse = await startLoad(plan(garbage, {connections: 2, requests: 20})).result
    assert.deepEqual(parse.tally.errors, {'parse-error': 20})
  })

  it('never takes an answer nobody asked for as the answer to the next request', async () => {
    // Each request gets its answer and, in the same write, a second one: both arrive in one read.
    const twice = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'
    for (const limits of [{requests: 300}, {durationMs: 500}, {rate: 400, requests: 200}, {requests: 300, threads: 2}] as Partial<LoadLimits>[]) {
      const target = await startRawTarget((socket) => socket.write(twice))
      const {tally} = await startLoad(plan(target, {connections: 2, ...limits})).result
      const shown = `${JSON.stringify(limits)}: ${JSON.stringify(tally)}`
      assert.equal(tally.ok, 0, shown)
      assert.equal(tally.errors.unsolicited, tally.failed, shown)
      assert.ok(tally.failed > 0, shown)
      assert.ok(tally.sent <= target.requests() + tally.inFlight, `no more requests than the server read; ${shown}`)
      addsUp(tally)
      await target.close()
    }
  })

  it('fails the last answer when another arrives while no request is out, at a fixed rate', async () => {
    // The second answer comes a little later, while the connection waits for its next send time
    // (100 ms apart). The last request is never answered, so every duplicate lands before the end.
    let seen = 0
    const target = await startRawTarget((socket) => {
      if (++seen >= 10) return
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok')
      setTimeout(() => socket.writable && socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'), 5)
    })
    const {tally} = await startLoad(plan(target, {connections: 1, durationMs: 1000, rate: 10, timeoutMs: 5000})).result
    assert.equal(tally.ok, 0, JSON.stringify(tally))
    assert.equal(tally.sent, 10)
    assert.deepEqual(tally.errors, {unsolicited: 9})
    assert.equal(tally.inFlight, 1)
    addsUp(tally)
  })

  it('counts a body delimited by the close as truncated when a reset ends it (RFC 9112 §8)', async () => {
    const target = await startRawTarget((socket) => {
      socket.write('HTTP/1.1 200 OK\r\n\r\npart of a body')
      // Not from the write's callback: a reset there goes out as a FIN.
      setTimeout(() => socket.resetAndDestroy(), 5)
    })
    const {tally} = await startLoad(plan(target, {connections: 2, requests: 20})).result
    assert.deepEqual(tally.errors, {truncated: 20}, JSON.stringify(tally))
    assert.equal(tally.ok, 0)
  })

  it('times out requests a server never answers, and ends on time', async () => {
    const silent = await startRawTarget(() => {})
    const started = performance.now()
    const {tally} = await startLoad(plan(silent, {connections: 3, durationMs: 1000, timeoutMs: 200})).result
    const elapsed = performance.now() - started
    assert.ok(tally.errors.timeout >= 3 * 3, `timeouts: ${JSON.stringify(tally.errors)}`)
    assert.equal(tally.ok, 0)
    addsUp(tally)
    assert.ok(elapsed < 1000 + 200 + 500, `ended after ${elapsed} ms`)
  })

  it('keeps counting errors by kind when the target dies mid-run, and ends on time', async () => {
    const target = await startDelayedTarget(5)
    const load = startLoad(plan(target, {connections: 8, durationMs: 1500, timeoutMs: 1000}))
    const started = performance.now()
    await responsesSeen(load, 100)
    await target.close()
    const {tally} = await load.result
    const elapsed = performance.now() - started
    assert.ok(tally.ok >= 100)
    assert.ok(tally.errors.refused > 0, `refused after the close: ${JSON.stringify(tally.errors)}`)
    // The requests in flight when it died were cut.
    assert.ok((tally.errors.reset ?? 0) + (tally.errors.closed ?? 0) > 0, JSON.stringify(tally.errors))
    addsUp(tally)
    assert.ok(elapsed < 1500 + 1000, `ended after ${elapsed} ms`)
  })

  it('stops early when interrupted, in one thread or several, and says so', async () => {
    for (const threads of [1, 2]) {
      const target = await startDelayedTarget(1)
      const interrupt = new AbortController()
      const started = performance.now()
      const load = startLoad(plan(target, {connections: 4, durationMs: 20_000, threads}), {signal: interrupt.signal})
      await responsesSeen(load, 50)
      interrupt.abort()
      const {tally} = await load.result
      assert.equal(tally.interrupted, true)
      assert.ok(tally.ok >= 50)
      addsUp(tally)
      assert.ok(performance.now() - started < 10_000, 'did not run its 20 s')
      await target.close()
    }
  })

  it("at a constant rate, every connection takes its turn, so a pool's workers share the load", async () => {
    // Each connection is its own "worker"; a rate one connection could carry must still use all four.
    let connection = 0
    const target = await startRawTarget((socket) => {
      const id = ((socket as unknown as {id?: number}).id ??= ++connection)
      socket.write(`HTTP/1.1 200 OK\r\nX-Worker: ${id}\r\nContent-Length: 2\r\n\r\nok`)
    })
    const {tally} = await startLoad(plan(target, {connections: 4, rate: 400, requests: 200})).result
    assert.deepEqual(tally.targets[0].workers, {'1': 50, '2': 50, '3': 50, '4': 50})
  })

  it('measures from the intended send time at a constant rate, so a slow server cannot hide its queue', async () => {
    // One connection to a 20 ms server carries 50 req/s at most; 200 req/s are asked for.
    const {served, target} = await startTimedTarget(20)
    const {latencies, tally} = await startLoad(plan(target, {connections: 1, durationMs: 1000, rate: 200})).result
    const corrected = latencies.corrected.getValueAtPercentile(90) / 1000
    const uncorrected = latencies.uncorrected!.getValueAtPercentile(90) / 1000
    // Held to the server's own times (a 20 ms timer can fire a little early on Node's cached clock), at the
    // rank the histogram's p90 reads: each answer took the client at least what it took the server.
    const rank = Math.ceil(0.9 * latencies.uncorrected!.totalCount)
    const service = [...served].sort((a, b) => a - b)[rank - 1]
    assert.ok(uncorrected >= service - 0.1 && uncorrected < service + 20, `uncorrected p90 ${uncorrected} ms is the service time (the server's p90 ${service.toFixed(3)} ms)`)
    assert.ok(corrected > 300, `corrected p90 ${corrected} ms includes the wait for the connection`)
    assert.ok(tally.queued > 50, `${tally.queued} sends found no free connection`)
    addsUp(tally)
  })
})

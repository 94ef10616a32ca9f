// 1,000 keep-alive connections held against each server for several seconds,
// driven by `webkit load-test`, with the connections counted on the server's
// side by ss: every request answered 2xx, not one socket error.
import {strict as assert} from 'node:assert'

import {runCli, startServer, stop, stopAll} from '../support/cli.js'
import {childPids, heldMs, openFileLimit, watchConnections} from '../support/proc.js'

const CONNECTIONS = 1000
const SECONDS = 5

describe('load: 1,000 concurrent keep-alive connections', function () {
  this.timeout(60_000)
  afterEach(stopAll)

  before(() => {
    // Client and server ends of every connection live on this machine.
    assert.ok(openFileLimit() >= 4 * CONNECTIONS, `the open-file limit (ulimit -n) is ${openFileLimit()}: raise it to 4096 or more`)
  })

  for (const [kind, path] of [
    ['color', '/'],
    ['image', '/rick_roll.jpg'],
  ] as const) {
    it(`serve ${kind}: every request answered 2xx, no socket errors, ${CONNECTIONS} connections held`, async () => {
      // The backlog absorbs the burst of connects at the start.
      const server = await startServer(kind, ['--workers', '2', '--backlog', '2048', '--quiet'])
      const workers = childPids(server.proc.pid!)
      const watch = watchConnections(server.port)
      const load = runCli(['load-test', '--url', `${server.url}${path}`, '-c', String(CONNECTIONS), '-d', String(SECONDS), '--json'])
      const code = await load.exited
      const samples = watch.stop()
      const report = JSON.parse(load.stdout())

      assert.equal(code, 0, load.stderr())
      assert.deepEqual(report.errors, {}, 'socket errors by kind')
      assert.equal(report.requests.failed, 0)
      assert.ok(report.requests.ok >= CONNECTIONS, `${report.requests.ok} answers`)
      for (const status of Object.keys(report.statusCodes)) assert.match(status, /^2\d\d$/, 'only 2xx')
      assert.equal(Object.keys(report.workers).length, 2, 'both workers served')
      const held = heldMs(samples, CONNECTIONS)
      assert.ok(held >= (SECONDS - 2) * 1000, `${CONNECTIONS} connections open for ${held} ms at most`)
      assert.deepEqual(childPids(server.proc.pid!), workers, 'no worker was replaced')
      assert.equal(await stop(server), 0)
      assert.doesNotMatch(server.stderr(), /exited|crash|error/i)
    })
  }
})

// Every case of hostile-cases.ts against both servers, each running as a pool of
// two workers as deployed: an acceptable answer or a close, never a 5xx, a hang,
// a crash or a leaked descriptor, and the server serves normally afterwards.
import {strict as assert} from 'node:assert'

import {type StartedServer, startServer, stopAll} from '../support/cli.js'
import {get} from '../support/http.js'
import {childPids, openFds, serverConnections, settlesTo, steadyValue} from '../support/proc.js'
import {exchange} from '../support/raw.js'
import {hostileCases, type Target} from './hostile-cases.js'

/** Bound on one exchange: well under the 5 s keep-alive timeout, so a connection left open shows as a hang. */
const EXCHANGE_BOUND_MS = 4000

const targets: Target[] = [
  {kind: 'color', path: '/', queryPath: '/color'},
  {kind: 'image', path: '/rick_roll.jpg', queryPath: '/'},
]

for (const target of targets) {
  describe(`hostile requests: serve ${target.kind}`, function () {
    this.timeout(20_000)
    let server: StartedServer
    let workers: number[]
    let fdsBefore: number
    let normal: {body: Buffer; status: number}
    const fds = () => [server.proc.pid!, ...workers].reduce((sum, pid) => sum + openFds(pid), 0)
    /** Descriptors once every connection is gone. */
    const idleFds = async () => {
      assert.equal(await settlesTo(() => serverConnections(server.port), 0), 0, 'every connection is closed')
      return steadyValue(fds)
    }

    before(async () => {
      server = await startServer(target.kind, ['--workers', '2', '--quiet'])
      workers = childPids(server.proc.pid!)
      assert.equal(workers.length, 2)
      // Every worker serves once before the count, so nothing opened lazily counts as a leak.
      const seen = new Set<string>()
      for (let i = 0; i < 20 && seen.size < 2; i++) {
        const reply = await get(`${server.url}${target.path}`)
        normal = {body: reply.body, status: reply.status}
        seen.add(String(reply.headers['x-worker']))
      }

      assert.equal(seen.size, 2, 'both workers answered')
      assert.equal(normal.status, 200)
      fdsBefore = await idleFds()
    })
    after(stopAll)

    for (const c of hostileCases) {
      it(c.name, async () => {
        const reply = await exchange(server.url, c.send(target), {timeoutMs: EXCHANGE_BOUND_MS})
        const allowed = c.when?.[target.kind] ?? c.expect
        const shown = `${reply.ending} after ${Math.round(reply.ms)} ms; received:\n${reply.raw.slice(0, 300)}`
        assert.equal(reply.unparsable, undefined, `a malformed reply: ${reply.unparsable}; ${shown}`)
        assert.equal(reply.ending, 'closed', `the server must close the connection (FIN); ${shown}`)
        for (const status of reply.statuses) assert.ok(allowed.includes(status), `status ${status}, expected one of ${allowed}; ${shown}`)
        if (c.responses === undefined) {
          assert.ok(reply.statuses.length <= 1, `at most one answer, got ${reply.statuses.length}; ${shown}`)
          if (!c.mayCloseSilently) assert.equal(reply.statuses.length, 1, `one answer; ${shown}`)
        } else {
          assert.equal(reply.statuses.length, c.responses, `answers; ${shown}`)
        }

        if (c.bounded) assert.ok(reply.raw.length <= 2 * normal.body.length + 16_384, `a reply of ${reply.raw.length} bytes`)
        for (const text of c.never ?? []) assert.ok(!reply.raw.includes(text), `the reply contains ${JSON.stringify(text)}`)
      })
    }

    it('still answers normally, with the same workers, none exited, no descriptor leaked', async () => {
      const reply = await get(`${server.url}${target.path}`)
      assert.equal(reply.status, normal.status)
      assert.ok(reply.body.equals(normal.body), 'the same document as before')
      assert.deepEqual(childPids(server.proc.pid!), workers, 'no worker was replaced')
      assert.doesNotMatch(server.stderr(), /exited|crash|error/i)
      assert.equal(await idleFds(), fdsBefore, 'open descriptors of the primary and the workers')
    })
  })
}

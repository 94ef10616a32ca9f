// 2,000 slowloris connections against each server: ordinary requests are still
// answered promptly, and every slow connection is cut with a 408 by the header
// timeout (shortened with --headers-timeout to keep the test short).
import {strict as assert} from 'node:assert'

import {startServer, stop, stopAll} from '../support/cli.js'
import {get} from '../support/http.js'
import {childPids, openFileLimit, serverConnections, settlesTo} from '../support/proc.js'
import {slowloris} from '../support/slowloris.js'

const SLOW = 2000
const HEADERS_TIMEOUT_MS = 3000
/** Node checks the deadlines every second; the rest is room for a busy machine. */
const CUT_WITHIN_MS = HEADERS_TIMEOUT_MS + 1000 + 1500

describe('slow clients: 2,000 slowloris connections', function () {
  this.timeout(60_000)
  afterEach(stopAll)

  before(() => {
    assert.ok(openFileLimit() >= 2 * SLOW, `the open-file limit (ulimit -n) is ${openFileLimit()}: raise it to 4096 or more`)
  })

  for (const [kind, path] of [
    ['color', '/'],
    ['image', '/rick_roll.jpg'],
  ] as const) {
    it(`serve ${kind}: ordinary requests answered meanwhile; the slow ones cut with a 408 at the header timeout`, async () => {
      const server = await startServer(kind, [
        ...['--workers', '2', '--backlog', '4096', '--quiet'],
        ...['--headers-timeout', String(HEADERS_TIMEOUT_MS / 1000)],
      ])
      const workers = childPids(server.proc.pid!)
      const attack = await slowloris(server.url, SLOW)
      try {
        // Ordinary requests, one after another, for as long as the attack lasts.
        let answeredDuringFullAttack = 0
        let ended = false
        attack.allEnded.then(() => (ended = true))
        while (!ended) {
          const start = performance.now()
          const reply = await get(`${server.url}${path}`)
          const ms = performance.now() - start
          assert.equal(reply.status, 200)
          // Waiting out the slow clients would take the whole header timeout.
          assert.ok(ms < HEADERS_TIMEOUT_MS / 2, `an ordinary request took ${Math.round(ms)} ms`)
          if (attack.open() === SLOW) answeredDuringFullAttack++
        }

        assert.ok(answeredDuringFullAttack >= 10, `${answeredDuringFullAttack} answered while all ${SLOW} were open`)
        for (const conn of attack.connections) {
          assert.match(conn.reply, /^HTTP\/1\.1 408 /)
          assert.ok(conn.endedAt! - conn.connectedAt >= HEADERS_TIMEOUT_MS - 50, `cut after ${conn.endedAt! - conn.connectedAt} ms`)
          assert.ok(conn.endedAt! - conn.startedAt <= CUT_WITHIN_MS, `cut ${conn.endedAt! - conn.startedAt} ms after its first byte`)
        }
      } finally {
        attack.destroy()
      }

      assert.equal(await settlesTo(() => serverConnections(server.port), 0), 0, 'the server holds no connection')
      assert.equal((await get(`${server.url}${path}`)).status, 200)
      assert.deepEqual(childPids(server.proc.pid!), workers, 'no worker was replaced')
      assert.equal(await stop(server), 0)
      assert.doesNotMatch(server.stderr(), /exited|crash|error/i)
    })
  }
})

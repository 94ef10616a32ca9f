import {strict as assert} from 'node:assert'
import {execFileSync} from 'node:child_process'
import {once} from 'node:events'

import type {AppSpec} from '../../src/apps/registry.js'
import {createLogger} from '../../src/log/logger.js'
import {createMemorySink} from '../../src/log/sink.js'
import {DEFAULT_TIMEOUTS, type ServerOptions} from '../../src/server/options.js'
import {type RunningServer, runServer} from '../../src/server/run.js'
import {isAlive} from '../support/cli.js'
import {get} from '../support/http.js'

const COLOR: AppSpec = {kind: 'color', options: {}}

function options(overrides: Partial<ServerOptions> = {}): ServerOptions {
  return {
    backlog: 100,
    host: '127.0.0.1',
    log: {color: false, format: 'json', quiet: true},
    port: 0,
    shutdownTimeoutMs: 5000,
    timeouts: DEFAULT_TIMEOUTS,
    workers: 1,
    ...overrides,
  }
}

function quietLogger() {
  const events = createMemorySink()
  return {events: events.lines, logger: createLogger({color: false, format: 'json', quiet: true}, createMemorySink(), events)}
}

/** Requests on fresh connections until every expected worker has answered (bounded). */
async function workersSeen(url: string, want: number, limit = 200): Promise<Set<string>> {
  const seen = new Set<string>()
  for (let i = 0; i < limit && seen.size < want; i++) {
    const res = await get(`${url}/`)
    assert.equal(res.status, 200)
    seen.add(String(res.headers['x-worker']))
  }

  return seen
}

/** The listen queue length of the socket on `port`, as the kernel reports it. */
function listenBacklog(port: number): number {
  const out = execFileSync('ss', ['-ltnH', `sport = :${port}`], {encoding: 'utf8'})
  return Number(out.trim().split(/\s+/)[2])
}

async function until(condition: () => boolean | Promise<boolean>, what: string, limitMs = 10_000) {
  const deadline = Date.now() + limitMs
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => {
      setTimeout(resolve, 20)
    })
  }
}

describe('runServer', function () {
  this.timeout(30_000)
  let running: RunningServer | undefined
  afterEach(async () => {
    await running?.close()
    running = undefined
  })

  it('serves from this process with one worker, on the requested backlog', async () => {
    running = await runServer(COLOR, options({backlog: 33}), quietLogger().logger)
    assert.equal(running.workers, 1)
    assert.deepEqual(running.pids(), [process.pid])
    const res = await get(`${running.url}/color?color=red`)
    assert.equal(res.status, 200)
    assert.equal(res.headers['x-worker'], '1')
    assert.equal(listenBacklog(running.port), 33)
    await running.close()
    await running.done
    await assert.rejects(get(running.url), /ECONNREFUSED/)
    running = undefined
  })

  describe('with a pool of 2 workers', () => {
    it('serves from both workers behind one socket with the requested backlog', async () => {
      running = await runServer(COLOR, options({backlog: 77, workers: 2}), quietLogger().logger)
      assert.equal(running.workers, 2)
      const pids = running.pids()
      assert.equal(pids.length, 2)
      assert.ok(!pids.includes(process.pid))
      assert.equal((await workersSeen(running.url, 2)).size, 2)
      assert.equal(listenBacklog(running.port), 77)
    })

    it('replaces a killed worker and keeps serving', async () => {
      const {events, logger} = quietLogger()
      running = await runServer(COLOR, options({workers: 2}), logger)
      const server = running
      const [victim, survivor] = server.pids()
      process.kill(victim, 'SIGKILL')
      await until(() => server.pids().length === 2 && !server.pids().includes(victim), 'a replacement worker')
      await until(() => events.some((line) => /"msg":"worker \d+ ready"/.test(line)), 'the replacement to be ready')
      assert.ok(server.pids().includes(survivor))
      assert.equal((await workersSeen(server.url, 2)).size, 2)
      assert.ok(events.some((line) => line.includes('SIGKILL') && line.includes('starting a replacement')))
    })

    it('gives up with a clear error when workers crash in a loop', async () => {
      const {logger} = quietLogger()
      const server = await runServer(COLOR, options({workers: 2}), logger)
      let gaveUp = false
      const outcome = server.done.catch((error: Error) => {
        gaveUp = true
        return error
      })
      // Kill every worker as soon as it appears, as a crashing app would.
      while (!gaveUp) {
        for (const pid of server.pids()) if (isAlive(pid)) process.kill(pid, 'SIGKILL')
        await Promise.race([outcome, new Promise((resolve) => setTimeout(resolve, 20))])
      }

      const error = (await outcome) as Error
      assert.match(error.message, /workers keep crashing/)
      assert.equal(server.pids().length, 0)
    })

    it('drains and leaves no worker behind on close', async () => {
      running = await runServer(COLOR, options({workers: 2}), quietLogger().logger)
      const pids = running.pids()
      await running.close()
      await running.done
      for (const pid of pids) assert.equal(isAlive(pid), false, `worker ${pid} still running`)
      await assert.rejects(get(running.url), /ECONNREFUSED/)
      running = undefined
    })

    it('runs two pools side by side on port 0 without sharing a socket', async () => {
      const a = await runServer(COLOR, options({workers: 2}), quietLogger().logger)
      const b = await runServer({kind: 'color', options: {colors: {teal: '#008080'}}}, options({workers: 2}), quietLogger().logger)
      try {
        assert.notEqual(a.port, b.port)
        for (let i = 0; i < 10; i++) {
          assert.equal((await get(`${a.url}/color?color=teal`)).status, 404)
          assert.equal((await get(`${b.url}/color?color=teal`)).status, 200)
        }
      } finally {
        await Promise.all([a.close(), b.close()])
      }
    })

    it('reports a port already in use as one line that suggests a way out', async () => {
      const blocker = (await import('node:net')).createServer()
      blocker.listen(0, '127.0.0.1')
      await once(blocker, 'listening')
      const {port} = blocker.address() as {port: number}
      try {
        await assert.rejects(
          runServer(COLOR, options({port, workers: 2}), quietLogger().logger),
          (error: Error) => error.name === 'UserError' && new RegExp(`port ${port} is already in use.*--port 0`).test(error.message),
        )
      } finally {
        blocker.close()
      }
    })
  })
})

import {strict as assert} from 'node:assert'
import {once} from 'node:events'
import {createServer} from 'node:net'
import {hostname} from 'node:os'

import {assertOneLineError, isAlive, runCli, startServer, stop, stopAll} from '../support/cli.js'
import {get} from '../support/http.js'
import {childPids} from '../support/proc.js'

describe('webkit serve color (CLI)', function () {
  this.timeout(30_000)
  afterEach(stopAll)

  it('starts, serves, logs each request and exits 0 on SIGTERM', async () => {
    const server = await startServer('color', ['--workers', '1'])
    const res = await get(`${server.url}/color?color=red`)
    assert.equal(res.status, 200)
    assert.match(res.body.toString(), /Your color is <span id="color-name">Red/)
    await server.waitFor(/w1 GET \/color\?color=red 200 \d+B [\d.]+ms/)
    assert.match(server.stderr(), /1 worker \(single process\), listen backlog 100/)
    assert.equal(await stop(server, 'SIGTERM'), 0)
    assert.match(server.stderr(), /SIGTERM received/)
  })

  it('exits 0 on SIGINT, as on Ctrl+C', async () => {
    const server = await startServer('color', ['--workers', '1'])
    assert.equal(await stop(server, 'SIGINT'), 0)
  })

  it('runs a pool of 2 workers that both serve, and leaves none behind on SIGTERM', async () => {
    const server = await startServer('color', ['--workers', '2', '--backlog', '64'])
    await server.waitFor(/2 workers \(node:cluster\), listen backlog 64/)
    const seen = new Set<string>()
    for (let i = 0; i < 100 && seen.size < 2; i++) seen.add(String((await get(`${server.url}/`)).headers['x-worker']))
    assert.equal(seen.size, 2)
    const workers = childPids(server.proc.pid!)
    assert.equal(workers.length, 2)
    assert.equal(await stop(server, 'SIGTERM'), 0)
    for (const pid of workers) assert.equal(isAlive(pid), false)
  })

  it('takes every flag from the environment too', async () => {
    const server = await startServer('color', [], {
      WEBKIT_COLOR: 'teal=#008080',
      WEBKIT_LOG_FORMAT: 'json',
      WEBKIT_WORKERS: '1',
    })
    assert.equal((await get(`${server.url}/color?color=teal`)).status, 200)
    const [line] = await server.waitFor(/\{"time":[^\n]*"type":"access"[^\n]*\}/)
    assert.equal(JSON.parse(line).path, '/color?color=teal')
    assert.match(server.stderr(), /^\{"time":.*"level":"info".*"msg":"webkit serve color listening/m)
  })

  it('switches the fast path off with --no-fast-path or WEBKIT_FAST_PATH=0, and says so; the answers stay the same', async () => {
    // On by default; said explicitly, as this suite also runs with WEBKIT_FAST_PATH=0.
    const on = await startServer('color', ['--workers', '1'], {WEBKIT_FAST_PATH: ''})
    assert.doesNotMatch(on.stderr(), /fastPath/)
    for (const [args, env] of <Array<[string[], NodeJS.ProcessEnv]>>[
      [['--no-fast-path'], {}],
      [[], {WEBKIT_FAST_PATH: '0'}],
    ]) {
      const off = await startServer('color', ['--workers', '1', ...args], env)
      assert.match(off.stderr(), /listening on .* fastPath=off/)
      for (const path of ['/', '/color?color=red', '/nope']) {
        const [a, b] = await Promise.all([get(`${on.url}${path}`), get(`${off.url}${path}`)])
        delete a.headers.date
        delete b.headers.date
        assert.deepEqual({...b, headers: b.headers}, {...a, headers: a.headers}, path)
      }

      assert.equal(await stop(off), 0)
    }
  })

  it('names itself in X-Instance: the host name, or --instance / WEBKIT_INSTANCE', async () => {
    const byHost = await startServer('color', ['--workers', '1'])
    assert.equal((await get(`${byHost.url}/`)).headers['x-instance'], hostname())
    const named = await startServer('color', ['--workers', '2', '--instance', 'web-1'])
    for (let i = 0; i < 4; i++) assert.equal((await get(`${named.url}/nowhere`)).headers['x-instance'], 'web-1')
    const fromEnv = await startServer('color', ['--workers', '1'], {WEBKIT_INSTANCE: 'pod-7'})
    assert.equal((await get(`${fromEnv.url}/`)).headers['x-instance'], 'pod-7')
  })

  it('writes no access log with --quiet', async () => {
    const server = await startServer('color', ['--workers', '1', '--quiet'])
    assert.equal((await get(`${server.url}/`)).status, 200)
    assert.equal(await stop(server), 0)
    assert.equal(server.stdout(), '')
  })

  it('adds colors with repeated --color flags', async () => {
    const server = await startServer('color', ['--workers', '1', '--color', 'teal=#008080', '--color', 'red=#CC0000,navy=#000080'])
    assert.match((await get(`${server.url}/color?color=teal`)).body.toString(), /#008080/)
    assert.match((await get(`${server.url}/color?color=red`)).body.toString(), /#CC0000/)
    assert.match((await get(`${server.url}/color?color=navy`)).body.toString(), /#000080/)
  })

  const badFlags: Array<[string[], RegExp, NodeJS.ProcessEnv?]> = [
    [['--port', '70000'], /--port must be a whole number from 0 to 65535, got "70000"/],
    [['--port', '-1'], /--port must be a whole number from 0 to 65535/],
    [['--port', 'abc'], /--port must be a whole number/],
    [['--port'], /--port expects a value/],
    [['--workers', '0'], /--workers must be a whole number from 1/],
    [['--workers', '2.5'], /--workers must be a whole number/],
    [['--backlog', '0'], /--backlog must be a whole number from 1/],
    [['--shutdown-timeout', '-1'], /--shutdown-timeout must be a number of seconds/],
    [['--headers-timeout', '0.5'], /--headers-timeout must be a number of seconds from 1 to 30, got "0.5"/],
    [['--headers-timeout', '31'], /--headers-timeout must be a number of seconds from 1 to 30/],
    [['--color', 'teal'], /invalid --color "teal": expected NAME=#RRGGBB/],
    [['--color', 'teal=#0080'], /invalid --color "teal=#0080"/],
    [['--color', 'a=#000000,b'], /invalid --color "b"/],
    [['--log-format', 'xml'], /--log-format=xml to be one of: text, json/],
    [['--bogus'], /Nonexistent flag: --bogus/],
    [['--instance', 'web 1'], /--instance must be 1 to 253 letters, digits, '\.', '_', ':' or '-'/],
    [['--instance', 'a/b'], /--instance must be/],
    [[], /--port must be a whole number from 0 to 65535, got "99999"/, {WEBKIT_PORT: '99999'}],
    [[], /--workers must be a whole number/, {WEBKIT_WORKERS: 'many'}],
    [[], /invalid --color "teal"/, {WEBKIT_COLOR: 'teal'}],
  ]
  for (const [args, pattern, env] of badFlags) {
    it(`rejects ${args.join(' ') || JSON.stringify(env)} with one line and exit 2`, async () => {
      const run = runCli(['serve', 'color', ...args], env)
      assert.equal(await run.exited, 2)
      assertOneLineError(run, pattern)
    })
  }

  for (const workers of ['1', '2']) {
    it(`reports a port in use as one line, exits non-zero and leaves nothing running (${workers} worker(s))`, async () => {
      const blocker = createServer()
      blocker.listen(0, '127.0.0.1')
      await once(blocker, 'listening')
      const {port} = blocker.address() as {port: number}
      try {
        const run = runCli(['serve', 'color', '--host', '127.0.0.1', '--port', String(port), '--workers', workers])
        const children: number[] = []
        // Record any worker the CLI forks before it gives up, to prove none survives it.
        const poll = setInterval(() => children.push(...childPids(run.proc.pid!)), 10)
        const code = await run.exited
        clearInterval(poll)
        assert.equal(code, 2)
        assertOneLineError(run, new RegExp(`port ${port} is already in use on 127\\.0\\.0\\.1.*--port 0 picks a free one`))
        for (const pid of children) assert.equal(isAlive(pid), false, `worker ${pid} left running`)
      } finally {
        blocker.close()
      }
    })
  }
})

// webkit load-test as a client: its achieved req/s against autocannon's (and
// wrk's where installed), each loading the same fast server with the same
// connection count, in alternating rounds of one run. Targets: a minimal
// node:http server, and nginx where installed (a server that outpaces every
// client, so the client's own cost is what shows).
import {execFileSync} from 'node:child_process'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {autocannon, BIN, DEFAULT_LOAD, freePort, type Load, median, otherCheckoutBin, scratchDir, startOnPort, startPlain, type Target, withTargets} from './lib.js'

interface Client {
  name: string
  /** Achieved req/s of one run of `seconds` against `url`. */
  measure(url: string, connections: number, seconds: number): number
}

function installed(command: string): string | undefined {
  for (const dir of ['/usr/sbin', '/usr/bin', '/usr/local/sbin', '/usr/local/bin']) {
    try {
      execFileSync('test', ['-x', join(dir, command)])
      return join(dir, command)
    } catch {}
  }

  return undefined
}

/** webkit load-test from the CLI at `bin` (this checkout's, or another build's to compare against). */
function webkitClient(bin: string, name: string): Client {
  return {
    measure(url, connections, seconds) {
      const out = execFileSync(process.execPath, [bin, 'load-test', '--json', '--url', url, '-c', String(connections), '-d', String(seconds)], {
        encoding: 'utf8',
        env: {...process.env, NO_COLOR: '1'},
        stdio: ['ignore', 'pipe', 'ignore'],
      })
      const report = JSON.parse(out)
      if (!report.passed) throw new Error(`${name} failed its checks: ${JSON.stringify(report.checks)}`)
      return report.requests.perSecond
    },
    name,
  }
}

const webkit = webkitClient(BIN, 'webkit load-test')
/**
 * WEBKIT_BENCH_OTHER=<another built checkout> adds its load-test as a client,
 * in the same alternating rounds, to measure a change to the generator.
 */
const otherBin = otherCheckoutBin()

const autocannonClient: Client = {
  measure(url, connections, seconds) {
    const m = autocannon(url, connections, seconds)
    if (m.errors + m.non2xx > 0) throw new Error(`autocannon saw ${m.errors} errors and ${m.non2xx} non-2xx`)
    return m.rps
  },
  name: 'autocannon',
}

function wrkClient(wrk: string): Client {
  return {
    measure(url, connections, seconds) {
      const out = execFileSync(wrk, ['-t1', `-c${connections}`, `-d${seconds}s`, url], {encoding: 'utf8'})
      const match = out.match(/Requests\/sec:\s+([\d.]+)/)
      if (!match) throw new Error(`no Requests/sec in wrk's output:\n${out}`)
      if (/Non-2xx|Socket errors/.test(out)) throw new Error(`wrk saw errors:\n${out}`)
      return Number(match[1])
    },
    name: 'wrk -t1',
  }
}

/** nginx with one worker process answering every request from memory. */
async function startNginx(nginx: string, body: string): Promise<Target> {
  const dir = scratchDir()
  const port = await freePort()
  const config = join(dir, 'nginx.conf')
  writeFileSync(
    config,
    `daemon off; worker_processes 1; pid ${dir}/nginx.pid; error_log ${dir}/error.log;\n` +
      'events { worker_connections 4096; }\n' +
      `http { access_log off; client_body_temp_path ${dir}; proxy_temp_path ${dir}; fastcgi_temp_path ${dir};\n` +
      `  uwsgi_temp_path ${dir}; scgi_temp_path ${dir}; keepalive_requests 100000000;\n` +
      `  server { listen 127.0.0.1:${port}; default_type text/plain; location / { return 200 ${JSON.stringify(body)}; } } }\n`,
  )
  return startOnPort('nginx (1 worker)', nginx, ['-c', config, '-p', dir], port)
}

function compareClients(target: Target, clients: Client[], load: Load): void {
  for (const client of clients) client.measure(target.url, load.connections, load.warmup)
  const rounds = new Map(clients.map((c) => [c.name, [] as number[]]))
  for (let round = 0; round < load.rounds; round++) {
    for (let i = 0; i < clients.length; i++) {
      const client = clients[(i + round) % clients.length]
      rounds.get(client.name)!.push(client.measure(target.url, load.connections, load.duration))
    }
  }

  const baseline = median(rounds.get(autocannonClient.name)!)
  console.log(`\n## load-test: client speed against ${target.name}`)
  console.log(
    `-c ${load.connections}, ${load.rounds} alternating rounds of ${load.duration} s (median), ${load.warmup} s warm-up each; ratio against autocannon`,
  )
  const width = Math.max(...clients.map((c) => c.name.length))
  for (const client of clients) {
    const values = rounds.get(client.name)!
    const rps = median(values)
    const detail = values.map((x) => Math.round(x)).join(' / ')
    console.log(`${client.name.padEnd(width)}  ${Math.round(rps).toString().padStart(7)} req/s  ${(rps / baseline).toFixed(2)}x  [${detail}]`)
  }

  const previous = clients.find((c) => c.name.endsWith('(baseline build)'))
  if (previous) {
    // Round by round, so drift between rounds cancels.
    const mine = rounds.get(webkit.name)!
    const theirs = rounds.get(previous.name)!
    const ratios = mine.map((x, i) => x / theirs[i]).sort((a, b) => a - b)
    console.log(`this build / baseline build, per round: median ${median(ratios).toFixed(3)}x [${ratios.map((r) => r.toFixed(3)).join(' ')}]`)
  }
}

export async function run(): Promise<void> {
  const body = 'hello from the benchmark\n'
  const wrk = installed('wrk')
  const nginx = installed('nginx')
  const baseline = otherBin ? [webkitClient(otherBin, 'webkit load-test (the other checkout)')] : []
  const clients = [webkit, ...baseline, autocannonClient, ...(wrk ? [wrkClient(wrk)] : [])]
  if (!wrk) console.log('\n(wrk is not installed: its column is left out)')
  await withTargets(
    () => [
      startPlain('a minimal node:http server (1 process)', Buffer.from(body), {'Content-Type': 'text/plain'}),
      ...(nginx ? [startNginx(nginx, body)] : []),
    ],
    (targets) => {
      for (const target of targets) compareClients(target, clients, DEFAULT_LOAD)
    },
  )
}

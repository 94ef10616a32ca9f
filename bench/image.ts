// serve image (1 worker, --quiet) against a minimal node:http server sending
// the same bytes from memory (headers included, X-Worker too), on the bundled
// 70 KB JPEG; then the static servers people would pick instead, serving the
// same file from the same folder with request logging off. wrk loads them
// when installed: autocannon cannot keep up with 70 KB responses. A second
// copy of the baseline runs as a control; then webkit and the control meet
// the baseline head to head, on fresh servers.
import {join} from 'node:path'

import {printHeadToHead} from './head-to-head.js'
import {
  alternatingMethod,
  compareAlternating,
  DEFAULT_LOAD,
  freePort,
  NODE_BIN,
  ownHeaders,
  printRows,
  ROOT,
  startOnPort,
  startPlain,
  startProcess,
  startWebkit,
  withTargets,
  wrk,
} from './lib.js'

const PATH = '/rick_roll.jpg'

export async function run(): Promise<void> {
  const {createImageApp} = await import('../src/apps/image/app.js')
  const {BUNDLED_IMAGE} = await import('../src/apps/image/defaults.js')
  const sample = await createImageApp({file: BUNDLED_IMAGE}).request(PATH)
  const headers = {...ownHeaders(sample), 'X-Worker': '1'}
  const body = new Uint8Array(await sample.arrayBuffer())
  const assets = join(ROOT, 'assets')
  const bin = (name: string) => join(NODE_BIN, name)
  const client = wrk()
  if (client === undefined) console.log('\n(wrk is not installed: autocannon measures, and its parsing of 70 KB bodies caps every server alike)')
  const load = {...DEFAULT_LOAD, client}
  const title = `serve image: GET ${PATH}, ${body.byteLength} bytes (one process each)`
  // Started afresh for each method: the baseline, its control and webkit, then the alternatives.
  const measured = () => [
    startPlain('node:http (same bytes)', body, headers, PATH),
    // The same server again: its ratio shows how far this machine's noise alone moves a ratio.
    startPlain('node:http again (noise)', body, headers, PATH),
    startWebkit('serve image --quiet', ['serve', 'image', '--workers', '1', '--quiet'], {path: PATH}),
  ]
  const alternatives = () => [
    // Silent servers print no address: give them a port and wait for it.
    freePort().then((port) =>
      startOnPort('http-server -s', bin('http-server'), [assets, '-p', String(port), '-a', '127.0.0.1', '-s'], port, PATH),
    ),
    freePort().then((port) =>
      startOnPort('sirv-cli --quiet', bin('sirv'), [assets, '--port', String(port), '--host', '127.0.0.1', '--quiet'], port, PATH),
    ),
    startProcess('serve -L', bin('serve'), [assets, '-l', 'tcp://127.0.0.1:0', '--no-request-logging', '--no-clipboard'], {path: PATH}),
  ]
  await withTargets(
    () => [...measured(), ...alternatives()],
    (targets) => printRows(title, compareAlternating(targets, load), alternatingMethod(load)),
  )
  await printHeadToHead(title, measured)
}

// serve color (1 worker) against a minimal node:http server sending the same
// bytes (headers included, X-Worker too), with the access log written to a
// file and with --quiet; with autocannon, then with wrk when it is installed.
// A second copy of the baseline runs as a control. Then head to head, on
// fresh servers, the measurement that this machine's drift does not swamp.
import {existsSync, mkdtempSync, rmSync} from 'node:fs'
import {dirname, join} from 'node:path'

import {printHeadToHead} from './head-to-head.js'
import {
  alternatingMethod,
  compareAlternating,
  DEFAULT_LOAD,
  ownHeaders,
  printRows,
  scratchDir,
  startPlain,
  startWebkit,
  withTargets,
  wrk,
} from './lib.js'

export async function run(): Promise<void> {
  const {createColorApp} = await import('../src/apps/color/app.js')
  const form = await createColorApp().request('/')
  const headers = {...ownHeaders(form), 'X-Worker': '1'}
  const body = new Uint8Array(await form.arrayBuffer())
  // On tmpfs where there is one: writing back a disk file's pages costs the kernel CPU that would
  // fall on whichever server runs next, not on the one logging.
  const log = join(existsSync('/dev/shm') ? mkdtempSync('/dev/shm/webkit-bench-') : scratchDir(), 'access.log')
  const client = wrk()
  const loads = client ? [DEFAULT_LOAD, {...DEFAULT_LOAD, client}] : [DEFAULT_LOAD]
  const title = 'serve color: GET / (1 worker)'
  const servers = () => [
    startPlain('node:http (same bytes)', body, headers),
    // The same server again: its ratio shows how far this machine's noise alone moves a ratio.
    startPlain('node:http again (noise)', body, headers),
    startWebkit('serve color, log to file', ['serve', 'color', '--workers', '1'], {stdoutFile: log}),
    startWebkit('serve color --quiet', ['serve', 'color', '--workers', '1', '--quiet']),
  ]
  try {
    await withTargets(servers, (targets) => {
      for (const load of loads) printRows(title, compareAlternating(targets, load), alternatingMethod(load))
    })
    await printHeadToHead(title, servers)
  } finally {
    rmSync(dirname(log), {force: true, recursive: true})
  }
}

// serve color (1 worker) against a minimal node:http server sending the same
// bytes (headers included, X-Worker too), with the access log written to a
// file and with --quiet.
import {join} from 'node:path'

import {compareAlternating, ownHeaders, printRows, scratchDir, startPlain, startWebkit, withTargets} from './lib.js'

export async function run(): Promise<void> {
  const {createColorApp} = await import('../src/apps/color/app.js')
  const form = await createColorApp().request('/')
  const headers = {...ownHeaders(form), 'X-Worker': '1'}
  const body = new Uint8Array(await form.arrayBuffer())
  const log = join(scratchDir(), 'access.log')
  const rows = await withTargets(
    () => [
      startPlain('node:http (same bytes)', body, headers),
      startWebkit('serve color, log to file', ['serve', 'color', '--workers', '1'], {stdoutFile: log}),
      startWebkit('serve color --quiet', ['serve', 'color', '--workers', '1', '--quiet']),
    ],
    (targets) => compareAlternating(targets),
  )
  printRows('serve color: GET / (1 worker)', rows)
}

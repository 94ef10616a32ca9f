// serve image streaming a file too big to hold in memory (64 MB, read from
// disk chunk by chunk, each read checked against the file's stamp) against
// node:http piping a read stream of the same file with the same headers; a
// second copy of that baseline runs as a control. WEBKIT_BENCH_OTHER=<a built
// checkout> adds that checkout's serve image on the same file, and a head to
// head run of this checkout against it: what a change costs. wrk with 4
// connections loads them (autocannon's own parsing of 64 MB bodies would be
// the limit), in alternating rounds, then head to head on fresh servers.
import {closeSync, openSync, rmSync, writeFileSync, writeSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {printHeadToHead} from './head-to-head.js'
import {
  alternatingMethod,
  compareAlternating,
  type Load,
  otherCheckoutBin,
  ownHeaders,
  printRows,
  scratchDir,
  startProcess,
  startWebkit,
  type Target,
  withTargets,
  wrk,
} from './lib.js'

const SIZE = 64 * 1024 * 1024
const LOAD: Omit<Load, 'client'> = {connections: 4, duration: 3, rounds: 8, warmup: 2}

/** A file of SIZE bytes that no two offsets of which look alike (every 4-byte word holds its index). */
function writeBigFile(path: string): void {
  const fd = openSync(path, 'w')
  const words = new Uint32Array(1024 * 1024)
  for (let offset = 0; offset < SIZE; offset += words.byteLength) {
    for (let i = 0; i < words.length; i++) words[i] = offset / 4 + i
    writeSync(fd, new Uint8Array(words.buffer))
  }

  closeSync(fd)
}

/** Resolves once the server sends an ETag, so the background hash is not what gets measured. */
async function tagged(target: Target): Promise<Target> {
  const deadline = Date.now() + 30_000
  while (!(await fetch(target.url, {method: 'HEAD'})).headers.has('etag')) {
    if (Date.now() > deadline) throw new Error(`${target.name} sent no ETag within 30 s`)
    await new Promise((resolve) => {
      setTimeout(resolve, 50)
    })
  }

  return target
}

export async function run(): Promise<void> {
  const client = wrk()
  if (client === undefined) {
    console.log('\n(no large-file run: wrk is not installed, apt-get install wrk)')
    return
  }

  const dir = scratchDir()
  const file = join(dir, 'big.bin')
  writeBigFile(file)
  const {createImageApp} = await import('../src/apps/image/app.js')
  const sample = await createImageApp({file}, {warn() {}}).request('/', {method: 'HEAD'})
  const headers = {...ownHeaders(sample), 'X-Worker': '1'}
  writeFileSync(join(dir, 'headers.json'), JSON.stringify(headers))
  const script = fileURLToPath(new URL('stream-server.mjs', import.meta.url))
  const otherBin = otherCheckoutBin()
  const webkitArgs = ['serve', 'image', '--workers', '1', '--quiet', '--file', file]
  const baseline = (name: string) => startProcess(name, process.execPath, [script, file, join(dir, 'headers.json')])
  const webkit = () => startWebkit('serve image --quiet', webkitArgs).then(tagged)
  const otherWebkit = () =>
    startProcess(`serve image at ${otherBin}`, process.execPath, [otherBin!, ...webkitArgs, '--port', '0', '--host', '127.0.0.1']).then(tagged)
  const servers = () => [
    baseline('node:http createReadStream'),
    baseline('node:http again (noise)'),
    webkit(),
    ...(otherBin ? [otherWebkit()] : []),
  ]
  const load = {...LOAD, client}
  const title = `serve image: GET of a ${SIZE / 1024 / 1024} MB file streamed from disk (one process each; MB/s = req/s × ${SIZE / 1024 / 1024})`
  try {
    await withTargets(servers, (targets) => printRows(title, compareAlternating(targets, load), alternatingMethod(load)))
    await printHeadToHead(title, servers, load)
    // The other checkout as the baseline: what this one's changes cost, drift cancelled out.
    if (otherBin) await printHeadToHead(`${title}: this checkout against ${otherBin}`, () => [otherWebkit(), webkit()], load)
  } finally {
    rmSync(dir, {force: true, recursive: true})
  }
}

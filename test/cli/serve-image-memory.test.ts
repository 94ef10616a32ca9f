// A 512 MB file to 8 clients at once: every byte exact, and the server's
// memory flat. Bounded: one generated file, 8 downloads per test, 127.0.0.1.
import {strict as assert} from 'node:assert'
import {createHash} from 'node:crypto'
import {closeSync, mkdtempSync, openSync, rmSync, writeSync} from 'node:fs'
import {request} from 'node:http'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {startServer, stopAll} from '../support/cli.js'
import {type GroupPeaks, watchMemory} from '../support/memory.js'
import {childPids} from '../support/proc.js'

const SIZE = 512 * 1024 * 1024
const CLIENTS = 8
const LIMIT_MB = 200
const GROWTH_MB = 16
const MB = 1024

const mb = (kb: number) => `${Math.round(kb / MB)} MB`
const name = (i: number) => (i === 0 ? 'primary' : `worker ${i}`)

/** Writes SIZE bytes in which every 4-byte word holds its own index, so a misplaced chunk changes the hash. */
function writePatternFile(path: string): string {
  const hash = createHash('sha256')
  const fd = openSync(path, 'w')
  const words = new Uint32Array(1024 * 1024)
  const bytes = new Uint8Array(words.buffer)
  for (let offset = 0; offset < SIZE; offset += bytes.length) {
    const first = offset / 4
    for (let i = 0; i < words.length; i++) words[i] = first + i
    writeSync(fd, bytes)
    hash.update(bytes)
  }

  closeSync(fd)
  return hash.digest('hex')
}

function download(url: string): Promise<{bytes: number; sha: string}> {
  return new Promise((resolve, reject) => {
    request(url, {agent: false}, (res) => {
      const hash = createHash('sha256')
      let bytes = 0
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length
        hash.update(chunk)
      })
      res.on('end', () => resolve({bytes, sha: hash.digest('hex')}))
      res.on('error', reject)
    })
      .on('error', reject)
      .end()
  })
}

describe('serve image: a 512 MB file to 8 clients at once', function () {
  this.timeout(180_000)
  let dir: string
  let file: string
  let expected: string

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'webkit-image-memory-'))
    file = join(dir, 'big.bin')
    expected = writePatternFile(file)
  })

  after(async () => {
    await stopAll()
    rmSync(dir, {force: true, recursive: true})
  })

  /** Serves the file with `workers`, downloads it CLIENTS times at once, and returns the memory peaks. */
  async function serveToEight(workers: number): Promise<GroupPeaks> {
    const server = await startServer('image', ['--workers', String(workers), '--quiet', '--file', file])
    const pids = [server.proc.pid!, ...(workers > 1 ? childPids(server.proc.pid!) : [])]
    assert.equal(pids.length, workers > 1 ? workers + 1 : 1, 'the primary and every worker are watched')
    const watch = watchMemory(pids)
    const results = await Promise.all(Array.from({length: CLIENTS}, () => download(`${server.url}/`)))
    const peaks = watch.stop()
    await stopAll()
    for (const result of results) {
      assert.equal(result.bytes, SIZE)
      assert.equal(result.sha, expected, 'every byte exact')
    }

    const each = peaks.processes.map((p, i) => `${name(i)} +${mb(p.anonGrowthKb)} private (PSS ${mb(p.idle.pssKb)} idle)`)
    console.log(
      `      ${workers} worker(s) on Node ${process.versions.node}: PSS peak ${mb(peaks.pssKb)}; ` +
        `RSS sum peak ${mb(peaks.rssSumKb)}; VmHWM sum ${mb(peaks.hwmSumKb)}; ${each.join(', ')} (${peaks.samples} samples)`,
    )
    return peaks
  }

  it('keeps a single-process server under 200 MB of peak RSS', async () => {
    const peaks = await serveToEight(1)
    assert.ok(peaks.hwmSumKb < LIMIT_MB * MB, `peak RSS ${mb(peaks.hwmSumKb)}`)
  })

  it('keeps a pool of 2 workers under 200 MB of PSS, each process growing less than 16 MB', async () => {
    const peaks = await serveToEight(2)
    // PSS splits the node binary's pages between the processes that map it, so
    // the sum is what the pool holds, not three copies of the runtime.
    assert.ok(peaks.pssKb < LIMIT_MB * MB, `PSS of the primary and 2 workers peaked at ${mb(peaks.pssKb)}`)
    // 4 GB went out; each process's own memory grew by a few buffers and a young
    // generation. Private memory, not PSS: a process's share of the binary moves
    // whenever another process running it starts or exits.
    for (const [i, p] of peaks.processes.entries()) {
      assert.ok(p.anonGrowthKb < GROWTH_MB * MB, `the ${name(i)} grew by ${mb(p.anonGrowthKb)} over idle`)
    }
  })
})

import {strict as assert} from 'node:assert'
import {once} from 'node:events'
import {copyFileSync, mkdtempSync, rmSync} from 'node:fs'
import {connect} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import type {AppSpec} from '../../src/apps/registry.js'
import type {RunningServer} from '../../src/server/run.js'
import {ROOT} from '../support/cli.js'
import {type Connection, Corpus, type CorpusTarget} from '../support/corpus.js'
import {splitResponses} from '../support/responses.js'
import {COLOR, exchange, serve} from '../support/served.js'

/** Requests in the generated corpus: WEBKIT_DIFF_CASES, at least 20,000 by default. */
const CASES = Number(process.env.WEBKIT_DIFF_CASES ?? 20_000)
/** The corpus's seed: WEBKIT_DIFF_SEED replays another. */
const SEED = Number(process.env.WEBKIT_DIFF_SEED ?? 20_261_201)
/** Connections in flight at once (each to both servers of a pair). */
const PARALLEL = 16
/** How long a connection may stay open after its last write before it counts as hung. */
const CLOSE_BOUND_MS = 10_000

interface Outcome {
  bytes: Buffer
  ending: 'closed' | 'hung' | 'reset'
}

/** Plays one connection against `url`: writes with a pause between (so the server reads them apart), then waits for the close. */
async function play(url: string, connection: Connection): Promise<Outcome> {
  const {hostname, port} = new URL(url)
  const socket = connect(Number(port), hostname)
  socket.setNoDelay(true)
  const chunks: Buffer[] = []
  let ending: Outcome['ending'] = 'closed'
  socket.on('data', (chunk: Buffer) => chunks.push(chunk))
  socket.on('error', () => {
    ending = 'reset'
  })
  const closed = once(socket, 'close')
  await once(socket, 'connect')
  for (const [i, bytes] of connection.writes.entries()) {
    if (i > 0) await new Promise((resolve) => setTimeout(resolve, 1))
    if (socket.destroyed) break
    socket.write(bytes)
  }

  if (connection.ending === 'half-close') socket.end()
  const timer = setTimeout(() => {
    ending = 'hung'
    socket.destroy()
  }, CLOSE_BOUND_MS)
  await closed
  clearTimeout(timer)
  return {bytes: Buffer.concat(chunks), ending}
}

/**
 * A reply as the two servers must agree on it: the Date aside, and the
 * boundary of multipart/byteranges bodies, which each server draws at random
 * (as RFC 9110 §14.6 lets it), the same length every time.
 */
const comparable = (bytes: Buffer) =>
  bytes
    .toString('latin1')
    .replaceAll(/\r\nDate: [^\r\n]*\r\n/g, '\r\nDate: -\r\n')
    .replaceAll(/webkit-[\da-f]{24}/g, 'webkit-<boundary>')

/** The first place two replies differ, with some context, for a failure message. */
function firstDifference(a: string, b: string): string {
  let i = 0
  while (i < a.length && a[i] === b[i]) i++
  const around = (s: string) => JSON.stringify(s.slice(Math.max(0, i - 120), i + 120))
  return `at byte ${i}:\n  fast path on:  ${around(a)}\n  fast path off: ${around(b)}`
}

// The fast path and the shortcuts are an optimisation: with them on or off
// (WEBKIT_FAST_PATH=0), a server must answer every input with the same bytes.
describe('the fast path changes no answer: on and off agree byte for byte on generated traffic', function () {
  this.timeout(Math.max(120_000, CASES * 15))
  let dir: string
  const pairs: Array<{name: string; off: RunningServer; on: RunningServer; target: CorpusTarget}> = []

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'webkit-differential-'))
    const file = join(dir, 'rick_roll.jpg')
    copyFileSync(join(ROOT, 'assets', 'rick_roll.jpg'), file)
    const colors = ['red', 'green', 'blue', 'orange', 'purple', 'white']
    const color: CorpusTarget = {
      others: ['/nope', '/color', '/color?color=', '/color?color=teal', '/color?color=RED', '/color?color=red&color=blue', '/color?color=%72ed', '/favicon.ico', '//', '/%2e%2e/', '/?', 'http://localhost/', '*'],
      prepared: ['/', '/favicon.svg', ...colors.map((c) => `/color?color=${c}`)],
    }
    const specs: Array<[string, AppSpec, CorpusTarget]> = [
      ['color', COLOR, color],
      // In memory: the shortcut answers the plain fetches.
      ['image', {kind: 'image', options: {file}}, {others: [], prepared: []}],
      // Streamed from disk (held in memory only up to 16 KB): every answer is the app's, written straight to the socket.
      ['image, streamed', {kind: 'image', options: {file, memoryLimit: 16 * 1024}}, {others: [], prepared: []}],
    ]
    for (const [name, spec, target] of specs) {
      const [on, off] = await Promise.all([serve(spec, true), serve(spec, false)])
      pairs.push({name, off, on, target})
    }

    // The image's validators (each server's own: a streamed file's are not an in-memory one's), for conditional requests that hit as well as miss.
    // A streamed file is tagged once its hash is done, in the background: both servers must have it first.
    const headOf = async (url: string) => {
      const until = performance.now() + 10_000
      for (;;) {
        const head = (await exchange(url, 'HEAD / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n')).toString('latin1')
        if (/\r\nETag: /i.test(head) || performance.now() > until) return head
        await new Promise((resolve) => setTimeout(resolve, 10))
      }
    }

    for (const pair of pairs.slice(1)) {
      const [head, offHead] = await Promise.all([headOf(pair.on.url), headOf(pair.off.url)])
      const validators = {etag: /\r\nETag: ([^\r]+)/i.exec(head)![1], lastModified: /\r\nLast-Modified: ([^\r]+)/i.exec(head)![1]}
      assert.equal(/\r\nETag: ([^\r]+)/i.exec(offHead)?.[1], validators.etag, 'both servers tag the file alike')
      pair.target = {others: ['/nope.png', '/rick_roll.jpg?v=1', '/%72ick_roll.jpg', '/rick_roll.jpg/', '//', 'http://localhost/rick_roll.jpg', '*'], prepared: ['/', '/rick_roll.jpg'], validators}
    }
  })

  after(async () => {
    await Promise.all(pairs.flatMap((p) => [p.on.close(), p.off.close()]))
    rmSync(dir, {force: true, recursive: true})
  })

  it(`on ${CASES.toLocaleString('en')} requests from seed ${SEED} (WEBKIT_DIFF_CASES, WEBKIT_DIFF_SEED)`, async () => {
    const corpus = new Corpus(SEED)
    const connections: Array<{connection: Connection; pair: (typeof pairs)[number]}> = []
    for (let requests = 0, i = 0; requests < CASES; i++) {
      const pair = pairs[i % pairs.length]
      const connection = corpus.connection(pair.target)
      connections.push({connection, pair})
      requests += connection.methods.length
    }

    const tally = {connections: connections.length, interim: 0, requests: 0, responses: 0, split: 0, statuses: new Map<number, number>()}
    let next = 0
    const worker = async () => {
      while (next < connections.length) {
        const index = next++
        const {connection, pair} = connections[index]
        const [on, off] = await Promise.all([play(pair.on.url, connection), play(pair.off.url, connection)])
        const sent = JSON.stringify(Buffer.concat(connection.writes).toString('latin1').slice(0, 2000))
        const what = `connection ${index} to ${pair.name} (seed ${SEED}), in ${connection.writes.length} write(s): ${sent}`
        assert.notEqual(on.ending, 'hung', `fast path on: still open ${CLOSE_BOUND_MS} ms after ${what}`)
        assert.notEqual(off.ending, 'hung', `fast path off: still open ${CLOSE_BOUND_MS} ms after ${what}`)
        const [a, b] = [comparable(on.bytes), comparable(off.bytes)]
        if (a !== b) assert.fail(`the replies differ ${firstDifference(a, b)}\nfor ${what}`)
        // Every byte belongs to a response, and each 100 Continue stands before a final response of its own.
        const {responses, rest} = splitResponses(on.bytes, connection.methods)
        assert.equal(rest.length, 0, `bytes no response accounts for: ${JSON.stringify(rest.toString('latin1').slice(0, 200))}\nafter ${what}`)
        for (const [i, response] of responses.entries()) {
          if (response.status === 100) assert.ok(responses[i + 1] && responses[i + 1].status >= 200, `a 100 Continue with no final response after it, for ${what}`)
          tally.statuses.set(response.status, (tally.statuses.get(response.status) ?? 0) + 1)
        }

        tally.requests += connection.methods.length
        tally.responses += responses.length
        tally.interim += responses.filter((r) => r.status === 100).length
        if (connection.writes.length > 1) tally.split++
      }
    }

    await Promise.all(Array.from({length: PARALLEL}, worker))
    const statuses = [...tally.statuses].sort(([a], [b]) => a - b).map(([status, n]) => `${status}×${n}`).join(' ')
    console.log(`      ${tally.requests} requests on ${tally.connections} connections (${tally.split} split across writes): ${tally.responses} responses, ${statuses}`)
    assert.ok(tally.requests >= CASES)
    // The corpus must reach what it is for: prepared answers, the app's, interim responses, refusals, ranges and 304s.
    for (const status of [100, 200, 206, 304, 400, 404, 405, 416, 417]) assert.ok(tally.statuses.has(status), `no ${status} in the corpus`)
  })
})

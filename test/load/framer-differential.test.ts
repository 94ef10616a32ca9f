// The load tester's framer against node:http's own client parser (llhttp), on
// seeded generated responses (valid, edge and malformed, in pieces, several on
// one connection). Both see the same bytes in the same writes, ending in a FIN
// where the framer stopped. Every response llhttp refuses must not be framed
// as a good one (but for obs-fold, which RFC 9112 §5.2 tells a client to
// accept and llhttp refuses); every response both take must be framed to the
// same status, field lines and body length. Where the framer refuses what
// llhttp takes, the reason must be one of the documented stricter rules.
//
// WEBKIT_FRAMER_CASES (default 5000) and WEBKIT_FRAMER_SEED change the corpus.
import {strict as assert} from 'node:assert'
import {Agent, request} from 'node:http'
import {type AddressInfo, createServer, type Server, type Socket} from 'node:net'

import {MAX_HEAD_BYTES, ParseError} from '../../src/load/framer.js'
import {frameAll, recordingFramer} from '../support/frames.js'
import {generateCases, type ResponseCase} from './responses.js'

const CASES = Number(process.env.WEBKIT_FRAMER_CASES ?? 5000)
const SEED = Number(process.env.WEBKIT_FRAMER_SEED ?? 20_261_201)
/** Cases run at once, each on its own connections. */
const PARALLEL = 16

type Outcome = {bodyBytes: number; fields: [string, string][]; kind: 'ok'; status: number} | {kind: 'error'; why: string}

/** What the framer says of each response, and how the server must send them so llhttp sees the same stream. */
interface Simulation {
  /** After response i, the server ends the connection (the next request, if any, comes on a new one). */
  endAfter: boolean[]
  outcomes: Outcome[]
}

/**
 * Where the framer is stricter than llhttp on purpose: RFC 9112 / 9110 rules
 * llhttp leaves loose. A refusal for any other reason of something llhttp
 * takes fails the test.
 */
const STRICTER: [RegExp, string][] = [
  [/^not an HTTP\/1\.0 or HTTP\/1\.1 status line$/, 'HTTP/0.9 and HTTP/2.0 status lines (RFC 9112 §2.3: only 1.x here)'],
  [/^status code \d+ is below 100$/, 'status codes below 100 (RFC 9110 §15)'],
  [/^a control character in the reason phrase$/, 'control characters in the reason phrase (RFC 9112 §4)'],
  [/^unsolicited$/, 'bytes after a complete response, before the next request'],
  [/^a chunk extension without a name$/, 'empty chunk extensions such as "2;;a=b" (RFC 9112 §7.1.1: a name is a token)'],
  [/^a bare CR in the status line$/, 'a lone CR ending the status line (RFC 9112 §2.2)'],
  [/^a comma after the last Transfer-Encoding coding$/, '"chunked," which llhttp reads as not chunked'],
  [/^an empty line before the status line$/, 'empty lines before a status line (RFC 9112 §2.2 lets only servers skip them)'],
  [/^a tab after a Content-Length or Transfer-Encoding value$/, '"chunked" and a tab, which llhttp reads as another coding'],
]

function simulate(c: ResponseCase): Simulation {
  const outcomes: Outcome[] = []
  const endAfter: boolean[] = []
  let {framer, sink} = recordingFramer()
  const reused = Buffer.alloc(128 * 1024)
  for (const response of c.responses) {
    framer.expect(response.head)
    const bytes = Buffer.from(response.bytes, 'latin1')
    const bounds = [0, ...response.cuts, bytes.length]
    let outcome: Outcome | undefined
    /** The response needed the server's FIN to end: the next one comes on a new connection. */
    let closed = false
    try {
      for (let p = 0; p + 1 < bounds.length && !outcome; p++) {
        const length = bounds[p + 1] - bounds[p]
        bytes.copy(reused, 0, bounds[p], bounds[p + 1])
        const done = framer.execute(reused, 0, length)
        if (done < 0) continue
        outcome = done < length || p + 2 < bounds.length ? {kind: 'error', why: 'unsolicited'} : {kind: 'ok', ...sink.done(framer)}
      }

      if (!outcome) {
        closed = true
        outcome = framer.end(true) === 'complete' ? {kind: 'ok', ...sink.done(framer)} : {kind: 'error', why: 'truncated'}
      }
    } catch (error) {
      if (!(error instanceof ParseError)) throw error
      outcome = {kind: 'error', why: error.message}
    }

    outcomes.push(outcome)
    // The server ends the connection where the framer stopped or needed the
    // close; a response that asks for a close is left to the client, which may
    // read it otherwise.
    endAfter.push(closed || outcome.kind === 'error' || outcomes.length === c.responses.length)
    if (outcome.kind === 'error') break
    if (closed || !framer.keepAlive) ({framer, sink} = recordingFramer())
  }

  for (const o of outcomes) if (o.kind === 'ok') delete (o as {keepAlive?: boolean}).keepAlive
  return {endAfter, outcomes}
}

/** Serves case/index from the request line, in the case's pieces, ending the connection where the plan says. */
function startServer(cases: ResponseCase[], plans: Simulation[]): Promise<Server> {
  const server = createServer((socket: Socket) => {
    socket.on('error', () => {})
    let buffered = ''
    socket.on('data', (data) => {
      buffered += data.toString('latin1')
      for (let end = buffered.indexOf('\r\n\r\n'); end >= 0; end = buffered.indexOf('\r\n\r\n')) {
        const match = /^(?:GET|HEAD) \/(\d+)\/(\d+) /.exec(buffered)
        buffered = buffered.slice(end + 4)
        if (match) void send(socket, Number(match[1]), Number(match[2]))
      }
    })
  })

  const send = async (socket: Socket, id: number, index: number) => {
    const response = cases[id].responses[index]
    const bounds = [0, ...response.cuts, response.bytes.length]
    for (let p = 0; p + 1 < bounds.length; p++) {
      if (socket.destroyed) return
      socket.write(Buffer.from(response.bytes.slice(bounds[p], bounds[p + 1]), 'latin1'))
      await new Promise<void>((resolve) => {
        setImmediate(resolve)
      })
    }

    if (plans[id].endAfter[index]) socket.end()
  }

  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve(server))
  })
}

/** node:http's client on the same case: one request after another, as the framer's connection sends them. */
async function reference(port: number, c: ResponseCase, count: number): Promise<Outcome[]> {
  const agent = new Agent({keepAlive: true, maxSockets: 1})
  const outcomes: Outcome[] = []
  try {
    for (let i = 0; i < count; i++) {
      const outcome = await new Promise<Outcome>((resolve) => {
        const req = request(
          {agent, host: '127.0.0.1', maxHeaderSize: MAX_HEAD_BYTES, method: c.responses[i].head ? 'HEAD' : 'GET', path: `/${c.id}/${i}`, port, timeout: 3000},
          (res) => {
            let bodyBytes = 0
            res.on('data', (chunk: Buffer) => {
              bodyBytes += chunk.length
            })
            res.on('error', () => {})
            res.on('close', () => {
              const fields: [string, string][] = []
              for (let h = 0; h < res.rawHeaders.length; h += 2) fields.push([res.rawHeaders[h], res.rawHeaders[h + 1]])
              resolve(res.complete ? {bodyBytes, fields, kind: 'ok', status: res.statusCode!} : {kind: 'error', why: 'incomplete'})
            })
          },
        )
        req.on('timeout', () => req.destroy(new Error('no response within 3 s')))
        req.on('error', (error: NodeJS.ErrnoException) => resolve({kind: 'error', why: error.code ?? error.message}))
        req.end()
      })
      outcomes.push(outcome)
      if (outcome.kind === 'error') break
    }
  } finally {
    agent.destroy()
  }

  return outcomes
}

/** A field line whose value goes on in the next line (obs-fold), in one of the response's heads (interim ones too). */
function hasFold(bytes: string): boolean {
  for (let pos = 0; ; ) {
    const end = bytes.indexOf('\r\n\r\n', pos)
    const head = bytes.slice(pos, end < 0 ? bytes.length : end + 2)
    if (/\r\n[ \t]/.test(head.slice(head.indexOf('\r\n')))) return true
    if (end < 0 || !/^HTTP\/1\.\d 1\d\d/.test(head) || head.startsWith('HTTP/1.1 101')) return false
    pos = end + 4
  }
}

describe('load/framer against node:http (llhttp)', function () {
  this.timeout(300_000)

  it(`agrees on ${CASES} generated responses (seed ${SEED})`, async () => {
    const cases = generateCases(SEED, CASES)
    const plans = cases.map((c) => simulate(c))
    const server = await startServer(cases, plans)
    const {port} = server.address() as AddressInfo
    const tally = {bothOk: 0, bothRefuse: 0, folds: 0, stricter: new Map<string, number>()}
    const failures: string[] = []
    try {
      let next = 0
      const worker = async () => {
        while (next < cases.length && failures.length < 5) {
          const c = cases[next++]
          const mine = plans[c.id].outcomes
          const theirs = await reference(port, c, mine.length)
          for (let i = 0; i < mine.length; i++) {
            const f = mine[i]
            const r = theirs[i]
            const where = `case ${c.id} (${c.notes.join(', ') || 'valid'}), response ${i}: ${JSON.stringify(c.responses[i].bytes.slice(0, 300))}`
            if (r === undefined) {
              // Past a fold node:http refused, there is nothing left to compare.
              if (i > 0 && hasFold(c.responses[i - 1].bytes)) break
              failures.push(`${where}: node:http stopped before it (${JSON.stringify(theirs.at(-1))}), the framer said ${JSON.stringify(f)}`)
              break
            }

            if (r.kind === 'error' && f.kind === 'error') {
              tally.bothRefuse++
            } else if (r.kind === 'error' && f.kind === 'ok') {
              if (hasFold(c.responses[i].bytes)) tally.folds++
              else failures.push(`${where}: node:http refused it (${r.why}), the framer took it: ${JSON.stringify(f)}`)
            } else if (r.kind === 'ok' && f.kind === 'error') {
              const rule = STRICTER.find(([pattern]) => pattern.test(f.why))
              if (rule) tally.stricter.set(rule[1], (tally.stricter.get(rule[1]) ?? 0) + 1)
              else failures.push(`${where}: the framer refused it (${f.why}), node:http took it: ${JSON.stringify(r)}`)
            } else {
              tally.bothOk++
              try {
                assert.deepEqual(f, r)
              } catch {
                failures.push(`${where}: framed differently: framer ${JSON.stringify(f)}, node:http ${JSON.stringify(r)}`)
              }
            }
          }
        }
      }

      await Promise.all(Array.from({length: PARALLEL}, worker))
    } finally {
      server.close()
    }

    assert.deepEqual(failures, [])
    const seen = tally.bothOk + tally.bothRefuse
    // The corpus must exercise both sides, or the agreement proves little.
    assert.ok(tally.bothOk > CASES * 0.5, `responses both took: ${tally.bothOk}`)
    assert.ok(tally.bothRefuse > CASES * 0.2, `responses both refused: ${tally.bothRefuse}`)
    if (CASES >= 2000) assert.ok(tally.folds > 0, 'some responses were folded')
    if (process.env.WEBKIT_FRAMER_VERBOSE) console.log({...tally, seen, stricter: Object.fromEntries(tally.stricter)})
  })
})

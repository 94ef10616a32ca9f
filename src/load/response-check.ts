// What the load tester checks in each response as the framer reads it: the
// X-Worker that served it, and, when its route's answer is known, the
// Content-Type and the body byte for byte. Framing is framer.ts's; the status
// is judged by the engine against the plan.
import type {FrameSink, ResponseFramer} from './framer.js'
import type {Expectation} from './plan.js'

import {ascii, equalsExact, equalsLower} from './bytes.js'

/** An Expectation with its Content-Type as bytes, compiled once per route. */
export interface CompiledExpectation {
  body: Uint8Array
  contentType: null | Uint8Array
  source: Expectation
}

const X_WORKER = ascii('x-worker')
const X_INSTANCE = ascii('x-instance')
const CONTENT_TYPE = ascii('content-type')

export function compileExpectation(source: Expectation): CompiledExpectation {
  return {body: source.body, contentType: source.contentType === null ? null : ascii(source.contentType), source}
}


/** A header value that repeats from response to response: its string is made once while the bytes stay the same. */
class RepeatedValue {
  private bytes: Uint8Array | undefined
  private text: string | undefined

  read(value: Buffer, start: number, end: number): string {
    if (this.bytes && equalsExact(value, start, end, this.bytes)) return this.text!
    this.bytes = Uint8Array.prototype.slice.call(value, start, end)
    this.text = value.toString('latin1', start, end)
    return this.text
  }
}

export class ResponseCheck implements FrameSink {
  /** Why the response differs from the expectation (undefined: it matches, or nothing was expected). */
  mismatch: string | undefined
  /**
   * Who served it: the X-Worker header's value, or "instance/worker" when an
   * X-Instance header names the server too (several servers behind a balancer).
   */
  worker: string | undefined
  /** The X-Instance header's value, if any. */
  instance: string | undefined

  private expect: CompiledExpectation | undefined
  private head = false
  private typeSeen = false
  private bodyOffset = 0
  private readonly workers = new RepeatedValue()
  private readonly instances = new RepeatedValue()
  private readonly pairs = new Map<string, Map<string, string>>()

  /** The next response answers a request with this expectation; `head`: a HEAD request, so no body to compare. */
  begin(expect: CompiledExpectation | undefined, head: boolean): void {
    this.expect = expect
    this.head = head
    this.mismatch = undefined
    this.worker = undefined
    this.instance = undefined
    this.typeSeen = false
    this.bodyOffset = 0
  }

  field(data: Buffer, nameStart: number, nameEnd: number, value: Buffer, start: number, end: number): void {
    const length = nameEnd - nameStart
    if (length === 8) {
      if (equalsLower(data, nameStart, nameEnd, X_WORKER)) this.worker = this.workers.read(value, start, end)
    } else if (length === 10) {
      if (equalsLower(data, nameStart, nameEnd, X_INSTANCE)) this.instance = this.instances.read(value, start, end)
    } else if (length === 12 && this.expect && equalsLower(data, nameStart, nameEnd, CONTENT_TYPE)) {
      this.typeSeen = true
      const want = this.expect.contentType
      const got = () => value.toString('latin1', start, end)
      if (!want) this.fail(`an unexpected Content-Type "${got()}"`)
      else if (!equalsExact(value, start, end, want)) this.fail(`Content-Type "${got()}", expected ${JSON.stringify(this.expect.source.contentType)}`)
    }
  }

  headEnd(framer: ResponseFramer): void {
    if (this.instance !== undefined) this.worker = this.pair(this.instance, this.worker ?? '-')
    const {expect} = this
    if (!expect) return
    if (expect.contentType && !this.typeSeen) this.fail('no Content-Type')
    if (!this.head && framer.contentLength >= 0 && framer.contentLength !== expect.body.length) {
      this.fail(`Content-Length ${framer.contentLength}, expected ${expect.body.length}`)
    }
  }

  body(data: Buffer, start: number, end: number): void {
    const n = end - start
    const expect = this.expect
    if (expect && this.mismatch === undefined) {
      const offset = this.bodyOffset
      const {body} = expect
      const same = Math.min(n, body.length - offset)
      if (same < n || data.compare(body, offset, offset + same, start, start + same) !== 0) {
        // Rare: find the exact byte for the message.
        let i = 0
        while (i < same && data[start + i] === body[offset + i]) i++
        this.fail(i < same ? `body differs from byte ${offset + i}` : `body longer than ${body.length} bytes`)
      }
    }

    this.bodyOffset += n
  }

  /** The response is complete: a body shorter than expected shows only now. */
  finish(): void {
    const expect = this.expect
    if (expect && !this.head && this.mismatch === undefined && this.bodyOffset !== expect.body.length) {
      this.fail(`body of ${this.bodyOffset} bytes, expected ${expect.body.length}`)
    }
  }

  /** "instance/worker", one string per pair seen. */
  private pair(instance: string, worker: string): string {
    let byWorker = this.pairs.get(instance)
    if (!byWorker) this.pairs.set(instance, (byWorker = new Map()))
    let key = byWorker.get(worker)
    if (key === undefined) byWorker.set(worker, (key = `${instance}/${worker}`))
    return key
  }

  private fail(reason: string): void {
    this.mismatch ??= reason
  }
}

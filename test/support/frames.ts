// Reading whole responses with the load tester's framer, for tests: a sink that
// records what the framer hands it, and a loop over every response in a read.
import {type FrameSink, ResponseFramer} from '../../src/load/framer.js'

export interface FramedResponse {
  bodyBytes: number
  /** Field lines as the framer delivered them: name and value, latin1. */
  fields: [string, string][]
  keepAlive: boolean
  status: number
}

/** Records each response; `responses` gets one entry per completed response (see frameAll). */
export class RecordingSink implements FrameSink {
  readonly responses: FramedResponse[] = []
  current: FramedResponse = {bodyBytes: 0, fields: [], keepAlive: true, status: 0}

  body(_data: Buffer, start: number, end: number): void {
    this.current.bodyBytes += end - start
  }

  field(data: Buffer, nameStart: number, nameEnd: number, value: Buffer, start: number, end: number): void {
    this.current.fields.push([data.toString('latin1', nameStart, nameEnd), value.toString('latin1', start, end)])
  }

  headEnd(framer: ResponseFramer): void {
    this.current.status = framer.status
  }

  /** The current response is complete. */
  done(framer: ResponseFramer): FramedResponse {
    const response = {...this.current, keepAlive: framer.keepAlive}
    this.responses.push(response)
    this.current = {bodyBytes: 0, fields: [], keepAlive: true, status: 0}
    return response
  }
}

export function recordingFramer(): {framer: ResponseFramer; sink: RecordingSink} {
  const sink = new RecordingSink()
  return {framer: new ResponseFramer(sink), sink}
}

/** Frames every response in data[start, end), calling `each` as each completes. Throws the framer's ParseError. */
export function frameAll(framer: ResponseFramer, data: Buffer, each: () => void, start = 0, end = data.length): void {
  let pos = start
  while (pos < end) {
    const done = framer.execute(data, pos, end)
    if (done < 0) return
    each()
    pos = done
  }
}

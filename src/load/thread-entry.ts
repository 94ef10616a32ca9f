// A load thread: runs its share of the engine from the common start time and
// posts its counts and encoded histograms back.
import {parentPort, workerData} from 'node:worker_threads'

import {LIVE_EVERY_MS, type ParentMessage, type ThreadData, type ThreadMessage} from './threads.js'

import {startEngine} from './engine.js'
import {encodeLatencies} from './tally.js'

const {plan, progress, thread, threads} = workerData as ThreadData
const port = parentPort!
const interrupt = new AbortController()
port.on('message', async (message: ParentMessage) => {
  if (message.type === 'stop') {
    interrupt.abort()
    return
  }

  const {startEpochMs} = message
  const engine = startEngine({plan, progress, signal: interrupt.signal, startEpochMs, thread, threads})
  // The live view's figures, a few times a second: the thread's counts are its own until it reports.
  const live = setInterval(() => port.postMessage({live: engine.live(), type: 'live'} satisfies ThreadMessage), LIVE_EVERY_MS)
  const {latencies, tally} = await engine.result
  clearInterval(live)
  port.postMessage({latencies: encodeLatencies(latencies), tally, type: 'result'} satisfies ThreadMessage)
})
port.postMessage({type: 'ready'} satisfies ThreadMessage)

// A load thread: runs its share of the engine from the common start time and
// posts its counts and encoded histograms back.
import {parentPort, workerData} from 'node:worker_threads'

import type {ParentMessage, ThreadData, ThreadMessage} from './threads.js'

import {runEngine} from './engine.js'
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
  const {latencies, tally} = await runEngine({plan, progress, signal: interrupt.signal, startEpochMs, thread, threads})
  port.postMessage({latencies: encodeLatencies(latencies), tally, type: 'result'} satisfies ThreadMessage)
})
port.postMessage({type: 'ready'} satisfies ThreadMessage)

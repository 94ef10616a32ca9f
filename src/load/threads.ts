// Runs the engine in this thread, or splits it over worker_threads and merges
// their counts and histograms. Live progress comes from shared counters, so
// watching a run costs the engine nothing.
import {createRequire} from 'node:module'
import {pathToFileURL} from 'node:url'
import {Worker} from 'node:worker_threads'

import {type LoadPlan, shareOf} from './plan.js'

import {type EngineResult, startEngine} from './engine.js'
import {addSnapshots, emptySnapshot, type LiveSnapshot} from './live.js'
import {type EncodedLatencies, mergeLatencies, mergeTallies, type Tally} from './tally.js'

export interface ThreadData {
  plan: LoadPlan
  progress: Float64Array
  thread: number
  threads: number
}

export type ParentMessage = {startEpochMs: number; type: 'start'} | {type: 'stop'}

export type ThreadMessage =
  | {latencies: EncodedLatencies; tally: Tally; type: 'result'}
  | {live: LiveSnapshot; type: 'live'}
  | {type: 'ready'}

/** How often a load thread sends its live figures. */
export const LIVE_EVERY_MS = 200

export interface RunningLoad {
  /** Responses and failures so far, warm-up included. */
  progress(): {failures: number; responses: number}
  /** The run so far, for the live view (threads' figures are up to LIVE_EVERY_MS old). */
  live(): LiveSnapshot
  result: Promise<EngineResult>
}

/** Threads get this long to load before the common start time. */
const START_DELAY_MS = 20

/**
 * Starts a run. `isolate` keeps the engine off this thread even with one load
 * thread, for when this thread also serves the target; `signal` ends it early.
 */
export function startLoad(plan: LoadPlan, options: {isolate?: boolean; signal?: AbortSignal; startAt?: number} = {}): RunningLoad {
  const {isolate = false, signal, startAt} = options
  const {connections, segment} = plan.limits
  const threads = Math.min(plan.limits.threads, shareOf(connections, segment.index, segment.count))
  const progress = new Float64Array(new SharedArrayBuffer(2 * threads * Float64Array.BYTES_PER_ELEMENT))
  const read = () => {
    let responses = 0
    let failures = 0
    for (let i = 0; i < progress.length; i += 2) {
      responses += progress[i]
      failures += progress[i + 1]
    }

    return {failures, responses}
  }

  if (threads === 1 && !isolate) {
    const engine = startEngine({plan, progress, signal, startEpochMs: startAt ?? Date.now(), thread: 0, threads: 1})
    return {live: engine.live, progress: read, result: engine.result}
  }

  const snapshots: LiveSnapshot[] = Array.from({length: threads}, emptySnapshot)
  return {live: () => addSnapshots(snapshots), progress: read, result: runInThreads(plan, threads, progress, signal, snapshots, startAt)}
}

async function runInThreads(
  plan: LoadPlan,
  threads: number,
  progress: Float64Array,
  signal: AbortSignal | undefined,
  snapshots: LiveSnapshot[],
  startAt: number | undefined,
): Promise<EngineResult> {
  const workers = Array.from({length: threads}, (_, thread) => {
    const worker = spawnThread({plan, progress, thread, threads} satisfies ThreadData)
    worker.on('message', (message: ThreadMessage) => {
      if (message.type === 'live') snapshots[thread] = message.live
    })
    return worker
  })
  try {
    const results = workers.map((worker) => resultOf(worker))
    // Awaited below; a thread that fails while starting must not leave these unhandled.
    for (const result of results) result.catch(() => {})
    await Promise.all(workers.map((worker) => readyOf(worker)))
    const startEpochMs = Math.max(startAt ?? 0, Date.now() + START_DELAY_MS)
    for (const worker of workers) worker.postMessage({startEpochMs, type: 'start'} satisfies ParentMessage)
    const stop = () => {
      for (const worker of workers) worker.postMessage({type: 'stop'} satisfies ParentMessage)
    }

    if (signal?.aborted) stop()
    else signal?.addEventListener('abort', stop, {once: true})
    try {
      const parts = await Promise.all(results)
      return {latencies: mergeLatencies(parts.map((p) => p.latencies)), tally: mergeTallies(parts.map((p) => p.tally))}
    } finally {
      signal?.removeEventListener('abort', stop)
    }
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()))
  }
}

function spawnThread(workerData: ThreadData): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('thread-entry.js', import.meta.url), {workerData})
  // Under tsx (development and tests) the entry is TypeScript. Node 20 does not
  // apply --import loaders to a worker's entry module, so tsx imports it.
  const entry = JSON.stringify(new URL('thread-entry.ts', import.meta.url).href)
  const api = JSON.stringify(tsxEsmApi())
  return new Worker(`import(${api}).then(({tsImport}) => tsImport(${entry}, ${entry}))`, {eval: true, workerData})
}

/** The ESM build of tsx's API, found through its exports map (this module may itself be running as CommonJS). */
function tsxEsmApi(): string {
  const require = createRequire(import.meta.url)
  const manifest = require.resolve('tsx/package.json')
  const {exports} = require(manifest) as {exports: Record<string, {import: {default: string}}>}
  return new URL(exports['./esm/api'].import.default, pathToFileURL(manifest)).href
}

function readyOf(worker: Worker): Promise<void> {
  return new Promise((resolve, reject) => {
    worker.on('message', (message: ThreadMessage) => {
      if (message.type === 'ready') resolve()
    })
    worker.once('error', reject)
  })
}

function resultOf(worker: Worker): Promise<Extract<ThreadMessage, {type: 'result'}>> {
  return new Promise((resolve, reject) => {
    worker.on('message', (message: ThreadMessage) => {
      if (message.type === 'result') resolve(message)
    })
    worker.once('error', reject)
    worker.once('exit', (code) => reject(new Error(`a load thread exited (code ${code}) before reporting`)))
  })
}


// Reports of runs whose every latency the test knows: each second's responses
// go through the engine's own interval recorder and histograms, and the report
// is built by buildReport, so what merge and compare read is what a run writes.
import type {Thresholds} from '../../src/load/checks.js'
import type {LoadReport} from '../../src/load/report.js'

import {BUILTIN_SPECS} from '../../src/load/builtin.js'
import {type IntervalWorker, IntervalRecorder} from '../../src/load/intervals.js'
import {buildMix} from '../../src/load/mix.js'
import {type LoadPlan, type RequestSpec, type Segment, WHOLE} from '../../src/load/plan.js'
import {buildReport} from '../../src/load/report.js'
import {createHistogram} from '../../src/load/histogram.js'
import {emptyTally} from '../../src/load/tally.js'

export interface RunSpec {
  /** Load the built-in color server (its real mix, checked by route) instead of a --url target. */
  builtin?: boolean
  connections?: number
  /** --duration; by default as many seconds as `seconds` lists. */
  durationSeconds?: number
  /** Seconds measured (a run ends a little after its --duration); by default as many as `seconds` lists, which is the --duration. */
  measuredSeconds?: number
  expectInstances?: null | number
  expectWorkers?: null | number
  /** Requests that failed without a response (as timeouts), per second. */
  failures?: number[]
  /** Every n-th response (counting from 1) has a bad status. */
  badStatusEvery?: number
  /** --segment I/N, as {index: I - 1, count: N}: the plan stays the whole one. */
  segment?: Segment
  /** --rate: the uncorrected latency is recorded too, as half the corrected one. */
  rate?: null | number
  /** Latencies (µs) of the responses that completed in each second, in the order they completed. */
  seconds: number[][]
  /** Epoch ms when measuring began. */
  startMs: number
  threads?: number
  thresholds?: Partial<Thresholds>
  url?: string
  /** The X-Worker of each response in turn; by default two workers alternating. Behind a balancer, "instance/worker". */
  workers?: string[]
}

/** Bytes each response counts for. */
export const RESPONSE_BYTES = 100

/** A v2 report of the run `spec` describes, as it would be read back from its JSON. */
export async function buildRun(spec: RunSpec): Promise<LoadReport> {
  const duration = spec.measuredSeconds ?? spec.seconds.length
  const url = spec.url ?? 'http://127.0.0.1:8080'
  const requests: RequestSpec[] = spec.builtin ? await buildMix(BUILTIN_SPECS.color) : [{headers: {}, method: 'GET', path: '/'}]
  const plan: LoadPlan = {
    expectStatus: ['2xx'],
    limits: {
      connections: spec.connections ?? 10,
      durationMs: (spec.durationSeconds ?? spec.seconds.length) * 1000,
      rate: spec.rate ?? null,
      requests: null,
      segment: spec.segment ?? WHOLE,
      threads: spec.threads ?? 1,
      timeoutMs: 10_000,
      warmupMs: 0,
    },
    targets: [{expectInstances: spec.expectInstances ?? null, expectWorkers: spec.expectWorkers ?? null, host: '127.0.0.1', name: spec.builtin ? 'color' : new URL(url).host, port: Number(new URL(url).port), requests, url: new URL(url).origin}],
  }

  const tally = emptyTally(1)
  const corrected = createHistogram()
  const uncorrected = spec.rate ? createHistogram() : null
  // The recorder's clock is performance.now()-like; the run measures from 0.
  const recorder = new IntervalRecorder(0, spec.startMs)
  const ids = spec.workers ?? ['1', '2']
  const workers = new Map(ids.map((id) => [id, {connections: 0, interval: [0, 0], key: id, requests: 0} as IntervalWorker & {connections: number; requests: number}]))
  for (const worker of workers.values()) recorder.addWorker(worker)
  let n = 0
  for (const [second, latencies] of spec.seconds.entries()) {
    const failures = spec.failures?.[second] ?? 0
    const events = latencies.length + failures
    const span = Math.min(1, duration - second) * 1000
    for (let e = 0; e < events; e++) {
      const at = second * 1000 + ((e + 0.5) * span) / events
      recorder.advance(at, tally.bytes, () => {})
      if (e >= latencies.length) {
        recorder.failure(at, 'timeout')
        tally.failed++
        tally.errors.timeout = (tally.errors.timeout ?? 0) + 1
        continue
      }

      n++
      const latency = latencies[e]
      const bad = spec.badStatusEvery !== undefined && n % spec.badStatusEvery === 0
      const worker = workers.get(ids[n % ids.length])!
      const instance = worker.key.includes('/') ? worker.key.split('/')[0] : undefined
      if (instance !== undefined) tally.targets[0].instances[instance] = (tally.targets[0].instances[instance] ?? 0) + 1
      worker.requests++
      worker.connections = 1
      corrected.recordValue(latency)
      uncorrected?.recordValue(Math.round(latency / 2))
      tally.responses++
      tally.targets[0].responses++
      tally.bytes += RESPONSE_BYTES
      const status = bad ? '500' : '200'
      tally.statuses[status] = (tally.statuses[status] ?? 0) + 1
      if (bad) {
        tally.failed++
        tally.errors['bad-status'] = (tally.errors['bad-status'] ?? 0) + 1
        tally.targets[0].mismatches++
        tally.targets[0].firstMismatch ??= 'GET /: status 500, expected 2xx'
      } else {
        tally.ok++
      }

      recorder.response(at, latency, bad ? 'bad-status' : undefined, worker)
    }
  }

  tally.sent = tally.ok + tally.failed
  tally.measuredMs = duration * 1000
  tally.startedAtMs = spec.startMs
  tally.intervals = recorder.finish(duration * 1000, tally.bytes)
  for (const worker of workers.values()) {
    if (worker.requests > 0) tally.targets[0].workers[worker.key] = worker.requests
    if (worker.connections > 0) tally.targets[0].connections[worker.key] = worker.connections
  }

  const thresholds: Thresholds = {maxErrorRate: 0, maxP99Ms: null, minRps: null, ...spec.thresholds}
  const report = buildReport(plan, {latencies: {corrected, uncorrected}, tally}, thresholds, ['load-test', '--url', url])
  return JSON.parse(JSON.stringify(report)) as LoadReport
}

/** Seeded latencies (µs): `count` of them around `medianUs`, with a long tail. */
export function latencies(random: () => number, count: number, medianUs: number): number[] {
  return Array.from({length: count}, () => Math.max(1, Math.round(medianUs * Math.exp(0.6 * gaussian(random)))))
}

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())
}

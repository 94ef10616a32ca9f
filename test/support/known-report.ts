// Load-test reports built from known data: each second's latencies,
// workers and failures are given, so a test knows every figure the report holds.
import {encodeIntoCompressedBase64} from 'hdr-histogram-js'

import type {EngineResult} from '../../src/load/engine.js'

import {type LoadPlan, type TargetPlan, WHOLE} from '../../src/load/plan.js'
import {buildReport, type LoadReport} from '../../src/load/report.js'
import {createHistogram} from '../../src/load/histogram.js'
import {emptyTally} from '../../src/load/tally.js'

export interface KnownSecond {
  /** Connection failures in this second, by kind (they got no response). */
  failed?: Record<string, number>
  /** µs, one per response. */
  latenciesUs: number[]
  /** Responses by the report's worker key ("1", or "color:1" with several targets); they add up to the latencies. */
  workers: Record<string, number>
}

export interface KnownRun {
  command?: string[]
  /** Measured seconds; default the number of seconds given. */
  durationSeconds?: number
  /** --rate: the uncorrected latency of a response is its corrected one less this many µs (at least 1). */
  rate?: {perSecond: number; waitUs: number}
  seconds: KnownSecond[]
  startedAt?: string
  /** Targets by name with their pool sizes; default one "color" pool of 2. */
  targets?: {name: string; poolWorkers: null | number}[]
}

/** A deterministic spread of latencies around `medianUs` with a long tail (seeded, so every run is the same). */
export function latencies(n: number, medianUs: number, seed = 1): number[] {
  let state = seed >>> 0 || 1
  const next = () => {
    state ^= state << 13
    state ^= state >>> 17
    state ^= state << 5
    return (state >>> 0) / 2 ** 32
  }

  return Array.from({length: n}, () => {
    const u = next()
    // A log-normal-ish body and a tail: 1% of responses up to 20x slower.
    const body = medianUs * Math.exp((next() - 0.5) * 0.8)
    return Math.max(1, Math.round(u > 0.99 ? body * (2 + next() * 18) : body))
  })
}

function encode(values: number[]): string {
  const histogram = createHistogram()
  for (const v of values) histogram.recordValue(v)
  return encodeIntoCompressedBase64(histogram)
}

/**
 * The report of a run whose every response is known, built by the report's own
 * code from the counts an engine would have handed over.
 */
export function knownReport(run: KnownRun): LoadReport {
  const targets = run.targets ?? [{name: 'color', poolWorkers: 2}]
  const several = targets.length > 1
  const durationSeconds = run.durationSeconds ?? run.seconds.length
  const plan: LoadPlan = {
    expectStatus: ['2xx'],
    limits: {
      connections: 8,
      durationMs: durationSeconds * 1000,
      rate: run.rate?.perSecond ?? null,
      requests: null,
      segment: WHOLE,
      threads: 1,
      timeoutMs: 10_000,
      warmupMs: 0,
    },
    targets: targets.map((t, i): TargetPlan => ({
      expectInstances: null,
      expectWorkers: t.poolWorkers,
      host: '127.0.0.1',
      name: t.name,
      port: 40_000 + i,
      requests: [{headers: {}, method: 'GET', path: '/'}],
      url: `http://127.0.0.1:${40_000 + i}`,
    })),
  }

  const start = Date.parse(run.startedAt ?? '2026-11-26T10:00:00.000Z')
  const tally = emptyTally(targets.length)
  const corrected = createHistogram()
  const uncorrected = run.rate ? createHistogram() : null
  for (const [i, second] of run.seconds.entries()) {
    for (const v of second.latenciesUs) {
      corrected.recordValue(v)
      uncorrected?.recordValue(Math.max(1, v - run.rate!.waitUs))
    }

    for (const [key, n] of Object.entries(second.workers)) {
      const [name, id] = several ? key.split(':') : [targets[0].name, key]
      const t = tally.targets[targets.findIndex((target) => target.name === name)]
      t.workers[id] = (t.workers[id] ?? 0) + n
      t.connections[id] = 2
      t.responses += n
    }

    for (const [kind, n] of Object.entries(second.failed ?? {})) tally.errors[kind] = (tally.errors[kind] ?? 0) + n
    const responses = second.latenciesUs.length
    tally.intervals.push({
      bytes: responses * 100,
      failed: second.failed ?? {},
      histogram: encode(second.latenciesUs),
      ok: responses,
      responses,
      second: i,
      startMs: start + i * 1000,
      workers: second.workers,
    })
  }

  const responses = corrected.totalCount
  const failed = Object.values(tally.errors).reduce((a, b) => a + b, 0)
  Object.assign(tally, {
    bytes: responses * 100,
    failed,
    inFlight: 3,
    measuredMs: durationSeconds * 1000,
    ok: responses,
    responses,
    sent: responses + failed + 3,
    startedAtMs: start,
    statuses: responses > 0 ? {'200': responses} : {},
  })
  const result: EngineResult = {latencies: {corrected, uncorrected}, tally}
  const command = run.command ?? ['load-test', '--url', `${plan.targets[0].url}/`, '-c', '8', '-d', String(durationSeconds)]
  return buildReport(plan, result, {maxErrorRate: 0, maxP99Ms: null, minRps: null}, command)
}

/** `seconds` seconds of `perSecond` responses each, shared by the given workers in the given proportions. */
export function steadyRun(seconds: number, perSecond: number, shares: Record<string, number>, medianUs = 2000): KnownSecond[] {
  const keys = Object.keys(shares)
  const total = Object.values(shares).reduce((a, b) => a + b, 0)
  return Array.from({length: seconds}, (_, s) => {
    const workers: Record<string, number> = {}
    let left = perSecond
    for (const [i, key] of keys.entries()) {
      const n = i === keys.length - 1 ? left : Math.round((perSecond * shares[key]) / total)
      workers[key] = n
      left -= n
    }

    return {latenciesUs: latencies(perSecond, medianUs, s + 1), workers}
  })
}

// The report of a run as one plain object: what --json prints (schemaVersion 1)
// and what the text report renders.
import type {EngineResult} from './engine.js'
import type {LoadPlan} from './plan.js'

import {type Check, evaluateChecks, type Thresholds} from './checks.js'
import {type LatencySummary, perSecond, summarizeLatency, workerBalance, type WorkerShare} from './stats.js'

export interface TargetReport {
  /** The first response that was not what it should be, described. */
  firstMismatch: null | string
  /** Busiest worker's requests over the idlest's; null when a worker served nothing or none was seen. */
  imbalance: null | number
  name: string
  paths: string[]
  /** The pool size the run expected (built-in servers, or --expect-workers); null when unknown. */
  poolWorkers: null | number
  /** Measured responses from this target. */
  requests: number
  url: string
  workers: WorkerShare[]
}

export interface LoadReport {
  bytesPerSecond: number
  checks: Check[]
  connections: number
  durationSeconds: number
  errors: Record<string, number>
  /** Stopped early (Ctrl+C or SIGTERM); a failed check says so too. */
  interrupted: boolean
  latencyMs: LatencySummary | null
  passed: boolean
  /** Requests per second asked for with --rate; null in a closed loop. */
  rate: null | number
  requests: {
    failed: number
    inFlight: number
    ok: number
    /** Responses per second, whatever their status. */
    perSecond: number
    /** --rate: sends due by the end that found no free connection. */
    queued: number
    total: number
  }
  schemaVersion: 1
  statusCodes: Record<string, number>
  targets: TargetReport[]
  threads: number
  uncorrectedLatencyMs?: LatencySummary | null
  warmupSeconds: number
  /** Responses per X-Worker value; with several targets the keys are "target:value". */
  workers: Record<string, number>
}

export function buildReport(plan: LoadPlan, result: EngineResult, thresholds: Thresholds): LoadReport {
  const {latencies, tally} = result
  const latency = summarizeLatency(latencies.corrected)
  const requestsPerSecond = perSecond(tally.responses, tally.measuredMs)
  const balances = plan.targets.map((target, i) =>
    workerBalance(tally.targets[i].workers, tally.targets[i].connections, target.expectWorkers),
  )
  const checks = evaluateChecks({balances, latency, plan, requestsPerSecond, tally, thresholds})
  const several = plan.targets.length > 1
  const workers: Record<string, number> = {}
  for (const [i, target] of plan.targets.entries()) {
    for (const [id, n] of Object.entries(tally.targets[i].workers)) workers[several ? `${target.name}:${id}` : id] = n
  }

  return {
    schemaVersion: 1,
    targets: plan.targets.map((target, i) => ({
      firstMismatch: tally.targets[i].firstMismatch,
      imbalance: Number.isFinite(balances[i].imbalance) ? balances[i].imbalance : null,
      name: target.name,
      paths: target.requests.map((r) => r.path),
      poolWorkers: target.expectWorkers,
      requests: tally.targets[i].responses,
      url: target.url,
      workers: balances[i].workers,
    })),
    connections: plan.limits.connections,
    threads: Math.min(plan.limits.threads, plan.limits.connections),
    rate: plan.limits.rate,
    durationSeconds: Math.round(tally.measuredMs) / 1000,
    warmupSeconds: plan.limits.warmupMs / 1000,
    requests: {
      total: tally.sent,
      ok: tally.ok,
      failed: tally.failed,
      inFlight: tally.inFlight,
      queued: tally.queued,
      perSecond: requestsPerSecond,
    },
    bytesPerSecond: Math.round(perSecond(tally.bytes, tally.measuredMs)),
    interrupted: tally.interrupted,
    latencyMs: latency,
    ...(latencies.uncorrected ? {uncorrectedLatencyMs: summarizeLatency(latencies.uncorrected)} : {}),
    statusCodes: tally.statuses,
    errors: tally.errors,
    workers,
    checks,
    passed: checks.every((c) => c.passed),
  }
}

export interface ScalingRow {
  p50: null | number
  p99: null | number
  requestsPerSecond: number
  /** req/s over the first run's. */
  speedup: null | number
  workers: number
}

/** --workers with several pool sizes: one report per size, and the scaling table. */
export interface ScalingReport {
  passed: boolean
  runs: LoadReport[]
  scaling: ScalingRow[]
  schemaVersion: 1
}

export function buildScalingReport(runs: {report: LoadReport; workers: number}[]): ScalingReport {
  const base = runs[0]?.report.requests.perSecond ?? 0
  return {
    schemaVersion: 1,
    scaling: runs.map(({report, workers}) => ({
      p50: report.latencyMs?.p50 ?? null,
      p99: report.latencyMs?.p99 ?? null,
      requestsPerSecond: report.requests.perSecond,
      speedup: base > 0 ? Math.round((report.requests.perSecond / base) * 100) / 100 : null,
      workers,
    })),
    runs: runs.map((r) => r.report),
    passed: runs.every((r) => r.report.passed),
  }
}

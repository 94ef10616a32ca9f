// The report of a run as one plain object: what --json prints (schemaVersion 2)
// and what the text and HTML reports render.
import type {EngineResult} from './engine.js'
import type {LoadPlan} from './plan.js'

import {type Check, evaluateChecks, type Thresholds} from './checks.js'
import {withPercentiles} from './intervals.js'
import {type EncodedHistograms, type Interval, type PlanSummary, SCHEMA_VERSION} from './results.js'
import {type LatencySummary, perSecond, summarizeLatency, workerBalance, type WorkerShare} from './stats.js'
import {encodeLatencies} from './tally.js'

export interface TargetReport {
  /** The first response that was not what it should be, described. */
  firstMismatch: null | string
  /** Busiest worker's requests over the idlest's; null when a worker served nothing or none was seen. */
  imbalance: null | number
  /** Responses per X-Instance, when the servers name their instances (behind a balancer); worker ids are then "instance/worker". */
  instances: Record<string, number>
  /** Responses that differed from their route's (or had an unexpected status). */
  mismatches: number
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
  /** Bytes received while measuring, heads included. */
  bytes: number
  bytesPerSecond: number
  checks: Check[]
  /** The command line after the program's name. */
  command: string[]
  connections: number
  durationSeconds: number
  errors: Record<string, number>
  /** Every latency of the run, for other tools to read and for merging runs. */
  histograms: EncodedHistograms
  /** One per second of the measured run; they add up to the totals. */
  intervals: Interval[]
  /** Stopped early (Ctrl+C or SIGTERM); a failed check says so too. */
  interrupted: boolean
  latencyMs: LatencySummary | null
  passed: boolean
  /** What was asked for: runs can be merged when theirs are equal. */
  plan: PlanSummary
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
  schemaVersion: typeof SCHEMA_VERSION
  /** --segment I/N: which share of the plan this generator ran (I from 1); null when it ran the whole plan. */
  segment: null | {count: number; index: number}
  /** When measuring began (after any warm-up), ISO 8601. */
  startedAt: string
  statusCodes: Record<string, number>
  targets: TargetReport[]
  threads: number
  /** The thresholds the checks were judged by. */
  thresholds: Thresholds
  uncorrectedLatencyMs?: LatencySummary | null
  warmupSeconds: number
  /** Responses per X-Worker value; with several targets the keys are "target:value". */
  workers: Record<string, number>
}

/** What was asked for, as a report states it. */
export function summarizePlan(plan: LoadPlan): PlanSummary {
  const {limits} = plan
  return {
    connections: limits.connections,
    durationSeconds: limits.requests === null ? limits.durationMs / 1000 : null,
    expectStatus: plan.expectStatus,
    method: plan.targets[0]?.requests[0]?.method ?? 'GET',
    rate: limits.rate,
    requests: limits.requests,
    targets: plan.targets.map((t) => ({
      checkedByRoute: t.requests.some((r) => r.expect !== undefined),
      expectInstances: t.expectInstances,
      expectWorkers: t.expectWorkers,
      name: t.name,
      paths: t.requests.map((r) => r.path),
      url: t.url,
    })),
    timeoutSeconds: limits.timeoutMs / 1000,
    warmupSeconds: limits.warmupMs / 1000,
  }
}

export function buildReport(plan: LoadPlan, result: EngineResult, thresholds: Thresholds, command: string[] = []): LoadReport {
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
    schemaVersion: SCHEMA_VERSION,
    startedAt: new Date(tally.startedAtMs || Date.now()).toISOString(),
    command,
    plan: summarizePlan(plan),
    segment: plan.limits.segment.count > 1 ? {count: plan.limits.segment.count, index: plan.limits.segment.index + 1} : null,
    thresholds,
    targets: plan.targets.map((target, i) => ({
      firstMismatch: tally.targets[i].firstMismatch,
      imbalance: Number.isFinite(balances[i].imbalance) ? balances[i].imbalance : null,
      instances: tally.targets[i].instances,
      mismatches: tally.targets[i].mismatches,
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
    bytes: tally.bytes,
    bytesPerSecond: Math.round(perSecond(tally.bytes, tally.measuredMs)),
    interrupted: tally.interrupted,
    latencyMs: latency,
    ...(latencies.uncorrected ? {uncorrectedLatencyMs: summarizeLatency(latencies.uncorrected)} : {}),
    statusCodes: tally.statuses,
    errors: tally.errors,
    workers,
    checks,
    passed: checks.every((c) => c.passed),
    histograms: encodeLatencies(latencies),
    intervals: tally.intervals.map((interval) => withPercentiles(interval)),
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
  schemaVersion: typeof SCHEMA_VERSION
}

export function buildScalingReport(runs: {report: LoadReport; workers: number}[]): ScalingReport {
  const base = runs[0]?.report.requests.perSecond ?? 0
  return {
    schemaVersion: SCHEMA_VERSION,
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

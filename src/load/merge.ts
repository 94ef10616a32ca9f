// `load-test merge`: one report from several runs of the same plan that ran
// side by side (from several generator machines, say). Each report is turned
// back into the counts and histograms its run ended with, and those are added
// up by the code that adds up a run's threads: counts and histograms exactly
// (so percentiles come from the merged histogram, never from averages),
// seconds aligned on the wall clock. The report of the sum is then built, and
// its checks evaluated again, by the code that builds a run's report.
import type {Thresholds} from './checks.js'
import type {RecordedInterval} from './intervals.js'
import type {ReportFile} from './read-report.js'
import type {TargetReport} from './report.js'
import type {PlanSummary} from './results.js'

import {UserError} from '../errors.js'
import {BUILTIN_NAMES, BUILTIN_SPECS, type BuiltinName} from './builtin.js'
import {differences, showValue} from './differences.js'
import {buildMix} from './mix.js'
import {buildReport, type LoadReport} from './report.js'
import {type LoadPlan, type RequestSpec, type TargetPlan, WHOLE} from './plan.js'
import {mergeLatencies, mergeTallies, type Tally} from './tally.js'

export interface MergeOptions {
  /** The merge's own command line, which the merged report states. */
  command: string[]
  /** Thresholds to judge the merged run by; those not given are the runs' own, which must then agree. */
  thresholds?: Partial<Thresholds>
}

const SECOND_MS = 1000

/** The flag that sets each threshold, for messages. */
const THRESHOLD_FLAGS: Record<keyof Thresholds, string> = {
  maxErrorRate: '--max-error-rate',
  maxP99Ms: '--max-p99',
  minRps: '--min-rps',
}

/**
 * The report of `runs` taken together. `plan` stays the plan each run was
 * given (so a merged report merges again with runs of that plan).
 * `connections`, `rate` and `threads` are the load the servers saw: the sums
 * of the runs' own, where the N segments of a plan (--segment I/N) count as
 * the one run of it that they make. `durationSeconds` is the longest run's.
 */
export async function mergeReports(runs: ReportFile[], options: MergeOptions): Promise<LoadReport> {
  if (runs.length === 0) throw new UserError('give at least one report to merge')
  const [first] = runs
  for (const run of runs.slice(1)) checkSamePlan(first, run)
  const segmentSets = completeSegmentSets(runs)
  checkDistinct(runs)
  const thresholds = mergedThresholds(runs, options.thresholds ?? {})
  const grid = alignSeconds(runs)
  const tally = mergeTallies(runs.map((run) => tallyOf(run.report, grid)))
  tally.startedAtMs = grid.originMs
  const latencies = mergeLatencies(runs.map((run) => run.report.histograms))
  const plan = await loadPlanOf(first.report, runs, segmentSets)
  const report = buildReport(plan, {latencies, tally}, thresholds, options.command)
  return {...report, plan: first.report.plan}
}

function checkSamePlan(a: ReportFile, b: ReportFile): void {
  const found = differences({plan: a.report.plan}, {plan: b.report.plan})
  if (found.length === 0) return
  const [d] = found
  const more = found.length > 1 ? ` and ${found.length - 1} more` : ''
  throw new UserError(
    `cannot merge ${b.file} with ${a.file}: they ran different plans (${d.path}: ${showValue(d.a)} in ${a.file}, ${showValue(d.b)} in ${b.file}${more}); merge adds up runs of one plan`,
  )
}

/**
 * How many runs of the whole plan the segment reports among `runs` make: the
 * segments of a plan are one when each of 1/N to N/N is there once. A
 * missing segment would leave the merged report short of load it claims, so
 * it is refused, as is a segment given twice.
 */
function completeSegmentSets(runs: ReportFile[]): number {
  const segments = new Map<number, Map<number, ReportFile>>()
  for (const run of runs) {
    const {segment} = run.report
    if (segment === null) continue

    const of = segments.get(segment.count) ?? new Map<number, ReportFile>()
    segments.set(segment.count, of)
    const twice = of.get(segment.index)
    if (twice) throw new UserError(`cannot merge ${run.file} with ${twice.file}: both ran segment ${segment.index}/${segment.count} of the plan`)
    of.set(segment.index, run)
  }

  for (const [count, of] of segments) {
    const missing = Array.from({length: count}, (_, i) => i + 1).filter((index) => !of.has(index))
    if (missing.length > 0) {
      const given = [...of.values()].map((run) => run.file).join(', ')
      throw new UserError(
        `cannot merge ${given}: segment${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${count}`).join(', ')} of the plan ${missing.length > 1 ? 'are' : 'is'} missing; give the report of every segment`,
      )
    }
  }

  return segments.size
}

/** One run given twice would be counted twice: two runs never start at the same millisecond with the same latencies. */
function checkDistinct(runs: ReportFile[]): void {
  const seen = new Map<string, ReportFile>()
  for (const run of runs) {
    const key = `${run.report.startedAt} ${run.report.histograms.corrected}`
    const same = seen.get(key)
    if (same) throw new UserError(`cannot merge ${run.file} with ${same.file}: they are the same run (measured from ${run.report.startedAt}, with the same latencies)`)
    seen.set(key, run)
  }
}

function mergedThresholds(runs: ReportFile[], given: Partial<Thresholds>): Thresholds {
  const [first] = runs
  const thresholds: Thresholds = {...first.report.thresholds, ...definedOnly(given)}
  for (const key of Object.keys(THRESHOLD_FLAGS) as (keyof Thresholds)[]) {
    if (given[key] !== undefined) continue

    const other = runs.find((run) => !Object.is(run.report.thresholds[key], first.report.thresholds[key]))
    if (other) {
      const show = (v: null | number) => (v === null ? 'none' : String(v))
      throw new UserError(
        `cannot merge ${other.file} with ${first.file}: their thresholds differ (${key} ${show(first.report.thresholds[key])} in ${first.file}, ${show(other.report.thresholds[key])} in ${other.file}); give the merged run's with ${THRESHOLD_FLAGS[key]}`,
      )
    }
  }

  return thresholds
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}

/** Where each run's seconds fall on one wall-clock grid, which starts when the earliest run began measuring. */
interface Grid {
  originMs: number
  /** Per run, the grid second of its second 0. */
  shifts: Map<LoadReport, number>
}

/**
 * Puts every run's seconds on the earliest run's: a second goes to the grid
 * second its start is nearest to (runs started within half a second of each
 * other share their seconds). The runs must have run side by side: seconds
 * from runs that did not overlap would leave a gap, and adding up their
 * throughput would describe a load that never happened.
 */
function alignSeconds(runs: ReportFile[]): Grid {
  const measured = runs.filter((run) => run.report.intervals.length > 0)
  const startOf = (run: ReportFile) => run.report.intervals[0]?.startMs ?? Date.parse(run.report.startedAt)
  const originMs = Math.min(...(measured.length > 0 ? measured : runs).map(startOf))
  const shifts = new Map(runs.map((run) => [run.report, Math.round((startOf(run) - originMs) / SECOND_MS)]))
  const spans = measured
    .map((run) => ({from: shifts.get(run.report)!, run, to: shifts.get(run.report)! + run.report.intervals.length}))
    .sort((a, b) => a.from - b.from)
  let covered = spans[0]
  for (const span of spans.slice(1)) {
    if (span.from > covered.to) {
      const at = (ms: number) => new Date(ms).toISOString()
      throw new UserError(
        `cannot merge ${span.run.file} with ${covered.run.file}: they did not run at the same time (${covered.run.file} measured until ${at(originMs + covered.to * SECOND_MS)}, ${span.run.file} from ${at(startOf(span.run))}); merge adds up runs that ran side by side`,
      )
    }

    if (span.to > covered.to) covered = span
  }

  return {originMs, shifts}
}

/** The counts a run ended with, as its report states them, with its seconds placed on the grid. */
function tallyOf(report: LoadReport, grid: Grid): Tally {
  const shift = grid.shifts.get(report)!
  const intervals: RecordedInterval[] = report.intervals.map(({latencyMs: _, ...interval}) => {
    const second = interval.second + shift
    return {...interval, second, startMs: grid.originMs + second * SECOND_MS}
  })
  const {requests} = report
  return {
    bytes: report.bytes,
    errors: {...report.errors},
    failed: requests.failed,
    inFlight: requests.inFlight,
    interrupted: report.interrupted,
    intervals,
    measuredMs: report.durationSeconds * 1000,
    ok: requests.ok,
    queued: requests.queued,
    responses: report.targets.reduce((sum, t) => sum + t.requests, 0),
    sent: requests.total,
    startedAtMs: Date.parse(report.startedAt),
    statuses: {...report.statusCodes},
    targets: report.targets.map((target) => ({
      connections: byWorker(target, 'connections'),
      firstMismatch: target.firstMismatch,
      instances: {...target.instances},
      mismatches: target.mismatches,
      responses: target.requests,
      workers: byWorker(target, 'requests'),
    })),
  }
}

function byWorker(target: TargetReport, field: 'connections' | 'requests'): Record<string, number> {
  return Object.fromEntries(target.workers.filter((w) => w[field] > 0).map((w) => [w.id, w[field]]))
}

/**
 * The plan the merged report is built from, as if one generator had run it
 * all: the runs' plan, with the load of every run. A report of the whole plan
 * states its own load (a merged one, that of its runs); a segment states the
 * whole plan's, which all N segments together make.
 */
async function loadPlanOf(report: LoadReport, runs: ReportFile[], segmentSets: number): Promise<LoadPlan> {
  const {plan} = report
  const targets = await Promise.all(plan.targets.map((target) => targetPlanOf(target, plan.method)))
  const load = (of: (r: LoadReport) => number, whole: number) =>
    runs.reduce((sum, run) => sum + (run.report.segment === null ? of(run.report) : 0), segmentSets * whole)
  return {
    expectStatus: plan.expectStatus,
    limits: {
      connections: load((r) => r.connections, plan.connections),
      durationMs: (plan.durationSeconds ?? 0) * 1000,
      rate: plan.rate === null ? null : load((r) => r.rate ?? 0, plan.rate),
      requests: plan.requests,
      segment: WHOLE,
      threads: runs.reduce((total, run) => total + run.report.threads, 0),
      timeoutMs: plan.timeoutSeconds * 1000,
      warmupMs: plan.warmupSeconds * 1000,
    },
    targets,
  }
}

async function targetPlanOf(target: PlanSummary['targets'][number], method: string): Promise<TargetPlan> {
  const url = new URL(target.url)
  return {
    expectInstances: target.expectInstances,
    expectWorkers: target.expectWorkers,
    host: url.hostname,
    name: target.name,
    port: Number(url.port || 80),
    requests: await requestsOf(target, method),
    url: target.url,
  }
}

/**
 * The requests a run sent. A built-in server's were checked against their
 * routes' expected responses (which decides how the checks describe them):
 * the same mix again.
 */
async function requestsOf(target: PlanSummary['targets'][number], method: string): Promise<RequestSpec[]> {
  if (target.checkedByRoute && (BUILTIN_NAMES as string[]).includes(target.name)) {
    const mix = await buildMix(BUILTIN_SPECS[target.name as BuiltinName])
    if (differences(mix.map((r) => r.path), target.paths).length === 0) return mix
  }

  return target.paths.map((path) => ({headers: {}, method, path}))
}

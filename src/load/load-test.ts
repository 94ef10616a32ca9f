// `webkit load-test` as a library call: set up the targets (start the built-in
// servers, or probe the given URLs), run the load once per pool size, check the
// results, and shut down whatever was started.
import type {Logger} from '../log/logger.js'
import type {Thresholds} from './checks.js'
import type {LoadLimits, LoadPlan} from './plan.js'

import {UserError} from '../errors.js'
import {type BuiltinName, startBuiltinTargets} from './builtin.js'
import {buildReport, buildScalingReport, type LoadReport, type ScalingReport} from './report.js'
import {type RunningLoad, startLoad} from './threads.js'
import {resolveAndProbe, targetsFromUrls, type UrlRequest} from './url-targets.js'

export interface BuiltinSource {
  backlog: number
  kind: 'builtin'
  targets: BuiltinName[]
  /** One run per pool size. */
  workers: number[]
}

export interface UrlSource {
  /** --expect-instances: servers behind a balancer that must all answer. */
  expectInstances: null | number
  expectStatus: string[]
  expectWorkers: null | number
  kind: 'url'
  request: UrlRequest
  urls: string[]
}

export interface LoadTestOptions {
  /** The command line, for the report. */
  command?: string[]
  limits: LoadLimits
  /** Ends the run under way early (its report says so) and skips any pool sizes left. */
  signal?: AbortSignal
  source: BuiltinSource | UrlSource
  /** Epoch ms at which to start (--start-at); absent: at once. */
  startAt?: number
  thresholds: Thresholds
}

export interface LoadTestHooks {
  /** Server events (default mode). */
  logger: Logger
  /** A run is under way; `label` names it when there are several ("4 workers"). */
  onRun?(load: RunningLoad, plan: LoadPlan, label: string | undefined): void
  onRunEnd?(): void
}

export type LoadTestResult = {kind: 'scaling'; report: ScalingReport} | {kind: 'single'; report: LoadReport}

export async function runLoadTest(options: LoadTestOptions, hooks: LoadTestHooks): Promise<LoadTestResult> {
  const {source} = options
  if (source.kind === 'url') {
    const given = targetsFromUrls(source.urls, source.request, source.expectWorkers, source.expectInstances)
    checkConnections(given.length, options.limits)
    const targets = await resolveAndProbe(given, options.limits.timeoutMs)
    const plan = {expectStatus: source.expectStatus, limits: options.limits, targets}
    return {kind: 'single', report: await runOnce(plan, options, hooks, undefined, false)}
  }

  checkConnections(source.targets.length, options.limits)
  const runs: {report: LoadReport; workers: number}[] = []
  for (const workers of source.workers) {
    if (options.signal?.aborted && runs.length > 0) break
    const label = source.workers.length > 1 ? `${workers} worker${workers === 1 ? '' : 's'}` : undefined
    const servers = await startBuiltinTargets(source.targets, {backlog: source.backlog, workers}, hooks.logger)
    try {
      const plan = {expectStatus: ['2xx'], limits: options.limits, targets: servers.targets}
      // A pool of one serves from this process: keep the load off its event loop.
      runs.push({report: await runOnce(plan, options, hooks, label, workers === 1), workers})
    } finally {
      await servers.close()
    }
  }

  return runs.length === 1 ? {kind: 'single', report: runs[0].report} : {kind: 'scaling', report: buildScalingReport(runs)}
}

async function runOnce(
  plan: LoadPlan,
  options: LoadTestOptions,
  hooks: LoadTestHooks,
  label: string | undefined,
  isolate: boolean,
): Promise<LoadReport> {
  if (options.startAt !== undefined && options.startAt < Date.now()) {
    const when = new Date(options.startAt).toISOString()
    throw new UserError(
      `--start-at ${when} has passed (it is ${new Date().toISOString()}): this run would measure another window than the generators it goes with; give a later time`,
    )
  }

  const load = startLoad(plan, {isolate, signal: options.signal, startAt: options.startAt})
  hooks.onRun?.(load, plan, label)
  try {
    return buildReport(plan, await load.result, options.thresholds, options.command)
  } finally {
    hooks.onRunEnd?.()
  }
}

function checkConnections(servers: number, limits: LoadLimits): void {
  if (limits.connections < servers) {
    throw new UserError(
      `--connections ${limits.connections} cannot load ${servers} servers: use at least one connection per server`,
    )
  }

  const {count, index} = limits.segment
  if (limits.connections < count) {
    throw new UserError(
      `--segment ${index + 1}/${count} gets none of --connections ${limits.connections}: use at least one connection per generator`,
    )
  }
}

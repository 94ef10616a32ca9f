// What makes a run pass: every response right for its route (or with an expected
// status), every worker of a pool served, no failures (or no more than allowed),
// and the user's latency and throughput thresholds.
import type {LatencySummary, WorkerBalance} from './stats.js'
import type {Tally} from './tally.js'

import {type LoadPlan, shareOf} from './plan.js'
import {describeStatuses} from './status.js'

export interface Check {
  detail: string
  name: string
  passed: boolean
}

export interface Thresholds {
  /** Fraction of requests allowed to fail, 0..1. */
  maxErrorRate: number
  maxP99Ms: null | number
  minRps: null | number
}

export interface CheckInput {
  balances: WorkerBalance[]
  latency: LatencySummary | null
  plan: LoadPlan
  requestsPerSecond: number
  tally: Tally
  thresholds: Thresholds
}

const percent = (fraction: number) => `${(fraction * 100).toFixed(fraction > 0 && fraction < 0.001 ? 3 : 2)}%`

export function evaluateChecks(input: CheckInput): Check[] {
  const checks = [responsesCheck(input), ...workerChecks(input), errorsCheck(input)]
  if (input.tally.interrupted) {
    checks.unshift({detail: 'interrupted before the end: the figures cover the time it ran', name: 'completed', passed: false})
  }

  const {maxP99Ms, minRps} = input.thresholds
  if (maxP99Ms !== null) {
    const p99 = input.latency?.p99
    checks.push({
      detail: p99 === undefined ? 'no responses to measure' : `p99 ${p99} ms, at most ${maxP99Ms} ms allowed`,
      name: 'p99 latency',
      passed: p99 !== undefined && p99 <= maxP99Ms,
    })
  }

  if (minRps !== null) {
    checks.push({
      detail: `${input.requestsPerSecond} req/s, at least ${minRps} required`,
      name: 'throughput',
      passed: input.requestsPerSecond >= minRps,
    })
  }

  return checks
}

function responsesCheck({plan, tally}: CheckInput): Check {
  const routes = plan.targets.some((t) => t.requests.some((r) => r.expect))
  const name = 'responses'
  if (tally.responses === 0) return {detail: 'no responses received', name, passed: false}
  const bad = tally.targets.reduce((sum, t) => sum + t.mismatches, 0)
  const first = tally.targets.find((t) => t.firstMismatch)?.firstMismatch
  if (bad > 0) {
    const what = routes ? 'differed from their routes' : 'had an unexpected status'
    return {detail: `${bad} of ${tally.responses} ${what}; first: ${first}`, name, passed: false}
  }

  const detail = routes
    ? `all ${tally.responses} right for their routes (status, Content-Type and body)`
    : `all ${tally.responses} had status ${describeStatuses(plan.expectStatus)}`
  return {detail, name, passed: true}
}

function workerChecks(input: CheckInput): Check[] {
  const {balances, plan, tally} = input
  // One generator of several sees only its share of the connections: the merged report judges the workers.
  if (plan.limits.segment.count > 1) return []
  return plan.targets.flatMap((target, i) => {
    if (target.expectInstances !== null || Object.keys(tally.targets[i].instances).length > 0) return instanceChecks(input, i)
    const want = target.expectWorkers
    if (want === null) return []
    const name = plan.targets.length > 1 ? `workers (${target.name})` : 'workers'
    const seen = balances[i].workers.filter((w) => w.requests > 0).length
    if (balances[i].workers.length === 0) {
      return [{detail: `no X-Worker header in the responses: workers cannot be told apart`, name, passed: false}]
    }

    const imbalance = balances[i].imbalance
    const spread = imbalance === null || !Number.isFinite(imbalance) ? '' : `; imbalance ${imbalance.toFixed(2)}`
    // A pool spreads connections, not requests: fewer connections than workers leaves some idle.
    const connections = shareOf(plan.limits.connections, i, plan.targets.length)
    const hint = seen < want && connections < want ? ` (only ${connections} connections: use at least ${want})` : ''
    return [{detail: `${Math.min(seen, want)} of ${want} workers served${spread}${hint}`, name, passed: seen >= want}]
  })
}

/**
 * Servers behind a balancer, each naming itself in X-Instance: every
 * instance expected must have served, and every worker of each of them.
 */
function instanceChecks({plan, tally}: CheckInput, i: number): Check[] {
  const target = plan.targets[i]
  const suffix = plan.targets.length > 1 ? ` (${target.name})` : ''
  const served = Object.entries(tally.targets[i].instances).filter(([, n]) => n > 0)
  const checks: Check[] = []
  if (target.expectInstances !== null) {
    const want = target.expectInstances
    const detail =
      served.length === 0
        ? 'no X-Instance header in the responses: instances cannot be told apart'
        : `${Math.min(served.length, want)} of ${want} instances served (${served.map(([id, n]) => `${id} ${n}`).join(', ')})`
    checks.push({detail, name: `instances${suffix}`, passed: served.length >= want})
  }

  const want = target.expectWorkers
  if (want !== null) {
    const workersOf = (instance: string) =>
      Object.entries(tally.targets[i].workers).filter(([key, n]) => n > 0 && key.startsWith(`${instance}/`)).length
    const short = served.map(([id]) => [id, workersOf(id)] as const).filter(([, n]) => n < want)
    const detail =
      served.length === 0
        ? 'no X-Instance header in the responses'
        : short.length === 0
          ? `${want} of ${want} workers served on each of ${served.length} instances`
          : short.map(([id, n]) => `${id}: ${n} of ${want} workers served`).join('; ')
    checks.push({detail, name: `workers${suffix}`, passed: served.length > 0 && short.length === 0})
  }

  return checks
}

function errorsCheck({tally, thresholds}: CheckInput): Check {
  const settled = tally.ok + tally.failed
  const rate = settled > 0 ? tally.failed / settled : 0
  const allowed = thresholds.maxErrorRate
  const kinds = Object.entries(tally.errors)
    .sort((a, b) => b[1] - a[1])
    .map(([kind, n]) => `${kind} ${n}`)
    .join(', ')
  const detail =
    tally.failed === 0
      ? `no failures in ${settled} requests`
      : `${tally.failed} of ${settled} requests failed (${percent(rate)}: ${kinds})` +
        (allowed > 0 ? `; at most ${percent(allowed)} allowed` : '')
  return {detail, name: allowed > 0 ? 'error rate' : 'errors', passed: rate <= allowed}
}

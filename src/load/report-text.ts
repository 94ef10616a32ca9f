// The report for people: a few aligned lines per aspect of the run, the checks,
// and PASS or FAIL. Colors come from the caller's chalk (level 0: plain text).
import type {ChalkInstance} from 'chalk'

import type {LatencySummary} from './stats.js'
import type {LoadReport, ScalingReport, TargetReport} from './report.js'

import {bytesRate, count, decimal} from './format.js'

function latencyLine(l: LatencySummary | null | undefined): string {
  if (!l) return 'no responses'
  const ms = (v: number) => (v >= 100 ? decimal(v, 1) : decimal(v, 2))
  return `mean ${ms(l.mean)} · p50 ${ms(l.p50)} · p90 ${ms(l.p90)} · p99 ${ms(l.p99)} · p99.9 ${ms(l.p999)} · max ${ms(l.max)} ms`
}

function imbalanceText(target: TargetReport): string {
  if (target.workers.length === 0) return ''
  return target.imbalance === null ? ' · imbalance ∞ (a worker served nothing)' : ` · imbalance ${target.imbalance.toFixed(2)}`
}

function describeRun(r: LoadReport): string {
  const length = ` · ${decimal(r.durationSeconds, 1)} s`
  const warmup = r.warmupSeconds > 0 ? ` after ${decimal(r.warmupSeconds, 1)} s warm-up` : ''
  const pace = r.rate === null ? 'closed loop' : `${decimal(r.rate, 1)} req/s constant rate`
  const threads = r.threads > 1 ? ` · ${r.threads} threads` : ''
  return `${r.connections} connections${length}${warmup} · ${pace}${threads}`
}

export function renderReport(r: LoadReport, chalk: ChalkInstance): string {
  const lines: string[] = []
  const row = (label: string, text: string) => lines.push(`${chalk.bold(label.padEnd(12))}${text}`)
  lines.push(chalk.bold(`webkit load-test · ${describeRun(r)}`))
  for (const t of r.targets) {
    const pool = t.poolWorkers === null ? '' : ` · pool of ${t.poolWorkers}`
    lines.push(`  ${chalk.cyan(t.name)}  ${t.url}${pool} · ${t.paths.length} path${t.paths.length === 1 ? '' : 's'}`)
  }

  lines.push('')
  const q = r.requests
  const queued = q.queued > 0 ? ` · ${count(q.queued)} due but not sent (every connection busy)` : ''
  row('Requests', `${count(q.total)} sent · ${count(q.ok)} ok · ${count(q.failed)} failed · ${count(q.inFlight)} in flight at the end${queued}`)
  row('Throughput', `${decimal(q.perSecond)} req/s · ${bytesRate(r.bytesPerSecond)}`)
  row('Latency', latencyLine(r.latencyMs))
  if (r.uncorrectedLatencyMs !== undefined) row('Uncorrected', `${latencyLine(r.uncorrectedLatencyMs)} (from the actual send)`)
  const statuses = Object.entries(r.statusCodes).map(([s, n]) => `${s} × ${count(n)}`)
  row('Status', statuses.length > 0 ? statuses.join(' · ') : 'none')
  const errors = Object.entries(r.errors).sort((a, b) => b[1] - a[1])
  row('Errors', errors.length > 0 ? chalk.red(errors.map(([k, n]) => `${k} ${count(n)}`).join(' · ')) : 'none')
  for (const t of r.targets) {
    const label = r.targets.length > 1 ? `${t.name}: ` : ''
    const workers = t.workers.map((w) => `${w.id} → ${count(w.requests)} (${decimal(w.share * 100)}%, ${w.connections} conn)`)
    const instances = Object.entries(t.instances)
    if (instances.length > 0) row('Instances', label + instances.map(([id, n]) => `${id} → ${count(n)}`).join(' · '))
    row('Workers', label + (workers.length > 0 ? workers.join(' · ') + imbalanceText(t) : 'no X-Worker header'))
  }

  lines.push('', chalk.bold('Checks'))
  for (const c of r.checks) {
    lines.push(`  ${c.passed ? chalk.green('✔') : chalk.red('✘')} ${c.name}: ${c.detail}`)
  }

  lines.push('', verdict(r.passed, chalk))
  return lines.join('\n')
}

export function renderScaling(s: ScalingReport, chalk: ChalkInstance): string {
  const parts = s.runs.map((run, i) => `${chalk.bold(`## ${s.scaling[i].workers} worker${s.scaling[i].workers === 1 ? '' : 's'}`)}\n${renderReport(run, chalk)}`)
  const header = ['workers', 'req/s', 'p50 ms', 'p99 ms', 'speedup']
  const rows = s.scaling.map((row) => [
    String(row.workers),
    decimal(row.requestsPerSecond),
    row.p50 === null ? '-' : decimal(row.p50, 2),
    row.p99 === null ? '-' : decimal(row.p99, 2),
    row.speedup === null ? '-' : `${row.speedup.toFixed(2)}x`,
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
  const line = (cells: string[]) => '  ' + cells.map((c, i) => c.padStart(widths[i])).join('   ')
  const table = [chalk.bold('Scaling: req/s and latency against workers'), line(header), ...rows.map(line)]
  return [...parts, table.join('\n'), verdict(s.passed, chalk)].join('\n\n')
}

function verdict(passed: boolean, chalk: ChalkInstance): string {
  return passed ? chalk.green.bold('PASS') : chalk.red.bold('FAIL')
}

// The live view of a run, on stderr: the last second (req/s, p50, p99,
// failures), the run so far, and each worker's share as a bar, redrawn in
// place a few times a second (log-update rewrites only the lines, so nothing
// flickers). Off when stderr is not a terminal, when NO_COLOR is set, and with
// --json: then nothing is written while the run goes.
import {Chalk} from 'chalk'
import {createLogUpdate} from 'log-update'

import type {LoadPlan} from './plan.js'
import type {RunningLoad} from './threads.js'

import {type LiveSnapshot, percentileBetween} from './live.js'

export interface ProgressView {
  start(load: RunningLoad, plan: LoadPlan, label: string | undefined): void
  stop(): void
}

const REFRESH_MS = 250
/** Snapshots kept: the oldest is a second old, the window "the last second" reads. */
const WINDOW = 1000 / REFRESH_MS
const BAR_WIDTH = 24
const MAX_WORKER_ROWS = 16

export function progressEnabled(stream: {columns?: number; isTTY?: boolean}, json: boolean): boolean {
  // A terminal that reports no width (some pseudo-terminals) cannot be redrawn in place.
  return Boolean(stream.isTTY) && Boolean(stream.columns) && !process.env.NO_COLOR && !json
}

const count = (n: number) => Math.round(n).toLocaleString('en-US')
const ms = (value: null | number) => (value === null ? '–' : value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : count(value))

interface Sample {
  at: number
  snapshot: LiveSnapshot
}

/** The lines of the view, from the samples of the last second (oldest first): pure, for tests. */
export function renderLive(plan: LoadPlan, label: string | undefined, started: number, samples: Sample[], chalk: InstanceType<typeof Chalk>): string {
  const {limits} = plan
  const first = samples[0]
  const last = samples.at(-1)!
  const now = last.at
  const elapsed = (now - started) / 1000
  const warmup = limits.warmupMs / 1000
  const phase =
    elapsed < warmup
      ? `warming up ${elapsed.toFixed(1)} of ${warmup} s`
      : limits.requests === null
        ? `${(elapsed - warmup).toFixed(1)} of ${limits.durationMs / 1000} s`
        : `${elapsed.toFixed(1)} s, ${count(limits.requests)} requests to make`
  const span = (now - first.at) / 1000
  const rate = span > 0 ? (last.snapshot.responses - first.snapshot.responses) / span : 0
  const failed = last.snapshot.failures - first.snapshot.failures
  const p50 = percentileBetween(first.snapshot, last.snapshot, 50)
  const p99 = percentileBetween(first.snapshot, last.snapshot, 99)
  const lines = [
    chalk.bold(`${label ? `${label}: ` : ''}${plan.targets.map((t) => t.name).join(', ')}`) + chalk.dim(` · ${phase} · ${limits.connections} connections`),
    `  last second  ${chalk.bold(count(rate))} req/s · p50 ${ms(p50)} ms · p99 ${ms(p99)} ms · ` +
      (failed > 0 ? chalk.red(`${count(failed)} failed`) : chalk.green('0 failed')),
    `  so far       ${count(last.snapshot.responses)} responses · ` +
      (last.snapshot.failures > 0 ? chalk.red(`${count(last.snapshot.failures)} failed`) : '0 failed'),
  ]
  const workers = Object.entries(last.snapshot.workers).sort(([a], [b]) => a.localeCompare(b, 'en', {numeric: true}))
  // A worker's share of its own pool: with several servers the keys are "target:id".
  const poolOf = (key: string) => (plan.targets.length > 1 ? key.slice(0, key.lastIndexOf(':')) : '')
  const totals = new Map<string, number>()
  for (const [key, n] of workers) totals.set(poolOf(key), (totals.get(poolOf(key)) ?? 0) + n)
  if (workers.length > 0) {
    const width = Math.max(...workers.map(([key]) => key.length))
    for (const [key, n] of workers.slice(0, MAX_WORKER_ROWS)) {
      const share = n / (totals.get(poolOf(key)) || 1)
      const filled = Math.round(share * BAR_WIDTH)
      const bar = chalk.cyan('█'.repeat(filled)) + chalk.dim('░'.repeat(BAR_WIDTH - filled))
      lines.push(`  ${key === workers[0][0] ? 'workers' : '       '}  ${key.padEnd(width)}  ${bar} ${(share * 100).toFixed(1).padStart(5)}%  ${count(n)}`)
    }

    if (workers.length > MAX_WORKER_ROWS) lines.push(chalk.dim(`           … and ${workers.length - MAX_WORKER_ROWS} more workers`))
  }

  return lines.join('\n')
}

export function createProgressView(enabled: boolean): ProgressView {
  if (!enabled) return {start() {}, stop() {}}
  const chalk = new Chalk({level: 1})
  let timer: NodeJS.Timeout | undefined
  let update: ReturnType<typeof createLogUpdate> | undefined
  return {
    start(load, plan, label) {
      const started = Date.now()
      const samples: Sample[] = []
      update = createLogUpdate(process.stderr, {showCursor: true})
      const render = () => {
        samples.push({at: Date.now(), snapshot: load.live()})
        if (samples.length > WINDOW + 1) samples.shift()
        update!(renderLive(plan, label, started, samples, chalk))
      }

      render()
      timer = setInterval(render, REFRESH_MS)
    },
    stop() {
      clearInterval(timer)
      update?.clear()
      update = undefined
    },
  }
}

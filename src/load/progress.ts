// The live view of a run: an ora spinner on stderr with elapsed time, requests
// so far and the current req/s. Off when stderr is not a terminal, when NO_COLOR
// is set, and with --json: then nothing is written while the run goes.
import ora, {type Ora} from 'ora'

import type {LoadPlan} from './plan.js'
import type {RunningLoad} from './threads.js'

export interface ProgressView {
  start(load: RunningLoad, plan: LoadPlan, label: string | undefined): void
  stop(): void
}

const REFRESH_MS = 500

export function progressEnabled(stream: {columns?: number; isTTY?: boolean}, json: boolean): boolean {
  // A terminal that reports no width (some pseudo-terminals) makes ora miscount its lines.
  return Boolean(stream.isTTY) && Boolean(stream.columns) && !process.env.NO_COLOR && !json
}

export function createProgressView(enabled: boolean): ProgressView {
  if (!enabled) return {start() {}, stop() {}}
  let spinner: Ora | undefined
  let timer: NodeJS.Timeout | undefined
  return {
    start(load, plan, label) {
      const {limits} = plan
      const started = Date.now()
      let last = {at: started, responses: 0}
      let rate = 0
      const render = () => {
        const now = Date.now()
        const {failures, responses} = load.progress()
        if (now > last.at) rate = ((responses - last.responses) / (now - last.at)) * 1000
        last = {at: now, responses}
        const elapsed = (now - started) / 1000
        const warmup = limits.warmupMs / 1000
        const phase =
          elapsed < warmup
            ? `warming up ${elapsed.toFixed(1)} of ${warmup} s`
            : limits.requests === null
              ? `${(elapsed - warmup).toFixed(1)} of ${limits.durationMs / 1000} s`
              : `${elapsed.toFixed(1)} s, ${limits.requests.toLocaleString('en-US')} requests to make`
        const names = plan.targets.map((t) => t.name).join(', ')
        spinner!.text =
          `${label ? `${label}: ` : ''}${names} · ${phase} · ${responses.toLocaleString('en-US')} responses · ` +
          `${Math.round(rate).toLocaleString('en-US')} req/s` +
          (failures > 0 ? ` · ${failures.toLocaleString('en-US')} failed` : '')
      }

      // discardStdin would put stdin in raw mode and swallow Ctrl+C.
      spinner = ora({discardStdin: false, stream: process.stderr}).start()
      render()
      timer = setInterval(render, REFRESH_MS)
    },
    stop() {
      clearInterval(timer)
      spinner?.stop()
      spinner = undefined
    },
  }
}

// Head to head: a target and its baseline, both on the servers' CPU (see
// lib.ts), loaded at the same moment, each by its own wrk on the clients'
// CPU. The scheduler gives both servers half the CPU, so the ratio of their
// req/s is the ratio of the work each does per request; and since both run through the same seconds,
// the machine's drift, which swamps alternating rounds on a shared VM,
// cancels out. Needs taskset, wrk and at least 2 CPUs.
import {execFile} from 'node:child_process'
import {promisify} from 'node:util'

import {
  canPin,
  CLIENT_CPU,
  DEFAULT_LOAD,
  type Load,
  type Measured,
  parseWrk,
  printRows,
  ratioRow,
  type Row,
  SERVER_CPU,
  type Target,
  withTargets,
  wrkCommand,
  wrkPath,
} from './lib.js'

const run = promisify(execFile)

/** Why head-to-head cannot run here, or undefined when it can. */
function headToHeadUnavailable(): string | undefined {
  if (!canPin()) return 'it needs 2 CPUs and taskset (apt-get install util-linux)'
  if (wrkPath() === undefined) return 'wrk is not installed (apt-get install wrk)'
  return undefined
}

async function load(url: string, connections: number, seconds: number): Promise<Measured> {
  const {stdout} = await run(...wrkCommand(wrkPath()!, url, connections, seconds))
  return parseWrk(stdout)
}

/** How compareHeadToHead measures, for printRows. */
function headToHeadMethod(load: Load): string {
  return (
    `head to head: each server with the first, both on CPU ${SERVER_CPU}, both loaded at once by wrk -t1 -c ${load.connections} on CPU ${CLIENT_CPU}, ` +
    `${load.rounds} rounds of ${load.duration} s. req/s: the median round on half a CPU; ratio: the median of per-round ratios, with their middle half`
  )
}

/** Each target after the first, head to head with the first; rows as compareAlternating's. */
export async function compareHeadToHead(targets: Target[], settings: Load): Promise<Row[]> {
  const [baseline, ...others] = targets
  let baselineProblems = 0
  const rows: Row[] = []
  for (const target of others) {
    const both = (seconds: number) =>
      Promise.all([load(baseline.url, settings.connections, seconds), load(target.url, settings.connections, seconds)])
    await both(settings.warmup)
    const ratios: number[] = []
    const rounds: number[] = []
    let problems = 0
    for (let round = 0; round < settings.rounds; round++) {
      const [base, own] = await both(settings.duration)
      ratios.push(own.rps / base.rps)
      rounds.push(own.rps)
      problems += own.errors + own.non2xx
      baselineProblems += base.errors + base.non2xx
    }

    rows.push(ratioRow(target.name, ratios, rounds, problems))
  }

  return [{name: baseline.name, problems: baselineProblems, ratio: 1, ratioQuartiles: [1, 1], rounds: [], rps: Number.NaN}, ...rows]
}

/**
 * Head to head on processes started for it, not on ones other measurements
 * have loaded: after minutes of load a process can read lower than a fresh copy
 * of itself (README, Benchmarks). The first server is the baseline.
 */
export async function printHeadToHead(title: string, servers: () => Array<Promise<Target>>, settings: Load = DEFAULT_LOAD): Promise<void> {
  const unavailable = headToHeadUnavailable()
  if (unavailable) console.log(`\n(no head-to-head run: ${unavailable})`)
  else await withTargets(servers, async (targets) => printRows(title, await compareHeadToHead(targets, settings), headToHeadMethod(settings)))
}

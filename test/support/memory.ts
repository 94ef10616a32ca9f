// Memory of a group of server processes, sampled from /proc while they work.
// A process's resident set (RSS) is its private memory (heap, buffers: the
// anonymous pages) plus the pages of files it maps (the node binary, libraries),
// which every process running the same binary shares: RSS counts them in full in
// each. PSS (proportional set size, /proc/PID/smaps_rollup) splits each shared
// page between the processes that map it, so the PSS of a group adds up to what
// the group itself holds.
import {readFileSync} from 'node:fs'

export interface ProcessMemory {
  /** Private resident memory (RssAnon): what the process itself allocated. */
  anonKb: number
  /** Peak resident set since the process started (VmHWM), shared pages counted in full. */
  hwmKb: number
  /** Proportional set size: private pages, plus each shared page divided by the number of its users. */
  pssKb: number
  /** Resident set (VmRSS), shared pages counted in full. */
  rssKb: number
}

const field = (text: string, name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? Number.NaN)

export function readMemory(pid: number): ProcessMemory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8')
  const memory = {
    anonKb: field(status, 'RssAnon'),
    hwmKb: field(status, 'VmHWM'),
    pssKb: field(rollup, 'Pss'),
    rssKb: field(status, 'VmRSS'),
  }
  for (const [name, kb] of Object.entries(memory)) {
    if (!Number.isFinite(kb)) throw new Error(`no ${name} for process ${pid} in /proc (status or smaps_rollup changed?)`)
  }

  return memory
}

export interface ProcessPeaks {
  /** How far private memory rose above its first sample (the process idle, before the load). */
  anonGrowthKb: number
  /** VmHWM at the end. */
  hwmKb: number
  /** The first sample. */
  idle: ProcessMemory
  pid: number
}

export interface GroupPeaks {
  /** Σ VmHWM at the end: every process's own peak, shared pages counted in each. */
  hwmSumKb: number
  /** One entry per process, in the order given. */
  processes: ProcessPeaks[]
  /** Largest Σ PSS seen in one sample: the group's own memory at its peak. */
  pssKb: number
  /** Largest Σ VmRSS seen in one sample (shared pages counted in each process). */
  rssSumKb: number
  samples: number
}

/**
 * Samples the processes now (their idle state) and every `everyMs` until stop(),
 * which returns the peaks.
 */
export function watchMemory(pids: number[], everyMs = 25): {stop(): GroupPeaks} {
  const idle = pids.map((pid) => readMemory(pid))
  const processes = pids.map((pid, i): ProcessPeaks => ({anonGrowthKb: 0, hwmKb: idle[i].hwmKb, idle: idle[i], pid}))
  const peaks: GroupPeaks = {hwmSumKb: 0, processes, pssKb: 0, rssSumKb: 0, samples: 0}
  const record = (all: ProcessMemory[]) => {
    const sum = (pick: (m: ProcessMemory) => number) => all.reduce((total, m) => total + pick(m), 0)
    for (const [i, m] of all.entries()) {
      processes[i].anonGrowthKb = Math.max(processes[i].anonGrowthKb, m.anonKb - processes[i].idle.anonKb)
      processes[i].hwmKb = m.hwmKb
    }

    peaks.pssKb = Math.max(peaks.pssKb, sum((m) => m.pssKb))
    peaks.rssSumKb = Math.max(peaks.rssSumKb, sum((m) => m.rssKb))
    peaks.hwmSumKb = sum((m) => m.hwmKb)
    peaks.samples++
  }

  record(idle)
  const timer = setInterval(() => record(pids.map((pid) => readMemory(pid))), everyMs)
  return {
    stop() {
      clearInterval(timer)
      record(pids.map((pid) => readMemory(pid)))
      return peaks
    },
  }
}

/**
 * Samples the peak resident set (VmHWM) of `pid` every `everyMs` until stop(),
 * which returns the highest seen, in kB. The process may exit while watched:
 * the last sample before its exit holds its peak up to then.
 */
export function watchPeakRss(pid: number, everyMs = 20): {stop(): number} {
  let peakKb = 0
  const sample = () => {
    try {
      peakKb = Math.max(peakKb, field(readFileSync(`/proc/${pid}/status`, 'utf8'), 'VmHWM') || 0)
    } catch {
      // Gone: its last peak is already recorded.
    }
  }

  sample()
  const timer = setInterval(sample, everyMs)
  return {
    stop() {
      clearInterval(timer)
      sample()
      return peakKb
    },
  }
}

// Memory of a group of server processes, sampled from /proc while they work.
// A process's resident memory is private (anonymous: heap, buffers) plus pages
// of files it maps (the node binary, libraries), which every node process on
// the machine shares. So the group's footprint counts private memory per
// process and shared file pages once, and PSS (the kernel's own split of
// shared pages between their users) is recorded alongside.
import {readFileSync} from 'node:fs'

export interface ProcessMemory {
  /** Private resident memory (RssAnon). */
  anonKb: number
  /** Resident pages of mapped files (RssFile), shared with other node processes. */
  fileKb: number
  /** Peak resident set (VmHWM), shared pages included. */
  hwmKb: number
  pssKb: number
  rssKb: number
}

const field = (text: string, name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? Number.NaN)

export function readMemory(pid: number): ProcessMemory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8')
  return {
    anonKb: field(status, 'RssAnon'),
    fileKb: field(status, 'RssFile'),
    hwmKb: field(status, 'VmHWM'),
    pssKb: field(rollup, 'Pss'),
    rssKb: field(status, 'VmRSS'),
  }
}

export interface GroupPeaks {
  /** Largest Σ private + largest shared file pages seen in one sample. */
  footprintKb: number
  /** Σ VmHWM at the end: every process's own peak, shared pages counted in each. */
  hwmSumKb: number
  /** Largest Σ PSS seen in one sample. */
  pssKb: number
  /** Largest Σ VmRSS seen in one sample (shared pages counted in each process). */
  rssSumKb: number
  samples: number
}

/** Samples the processes every `everyMs` until stop(), which returns the peaks. */
export function watchMemory(pids: number[], everyMs = 25): {stop(): GroupPeaks} {
  const peaks: GroupPeaks = {footprintKb: 0, hwmSumKb: 0, pssKb: 0, rssSumKb: 0, samples: 0}
  const sample = () => {
    const all = pids.map((pid) => readMemory(pid))
    const sum = (pick: (m: ProcessMemory) => number) => all.reduce((total, m) => total + pick(m), 0)
    peaks.footprintKb = Math.max(peaks.footprintKb, sum((m) => m.anonKb) + Math.max(...all.map((m) => m.fileKb)))
    peaks.pssKb = Math.max(peaks.pssKb, sum((m) => m.pssKb))
    peaks.rssSumKb = Math.max(peaks.rssSumKb, sum((m) => m.rssKb))
    peaks.hwmSumKb = sum((m) => m.hwmKb)
    peaks.samples++
  }

  sample()
  const timer = setInterval(sample, everyMs)
  return {
    stop() {
      clearInterval(timer)
      sample()
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

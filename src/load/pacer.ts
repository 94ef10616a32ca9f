// The send schedule of a constant-rate run. Sends are numbered globally
// g = 0, 1, 2, ...; send g is due at start + g / rate. With several threads,
// thread t of T takes the sends g ≡ t (mod T), so together they stay evenly
// spaced. Latency is measured from a send's due time, whatever delayed it
// (coordinated omission corrected, as in wrk2).
export interface Schedule {
  /** performance.now() ms of global send 0. */
  startAt: number
  /** ms between consecutive global sends. */
  interval: number
  thread: number
  threads: number
  /** The first measured global send: sends due in the warm-up come before it. */
  firstMeasured: number
  /** One past the last global send, or Infinity for a timed run. */
  end: number
}

export function createSchedule(options: {
  rate: number
  requests: null | number
  startAt: number
  thread: number
  threads: number
  warmupMs: number
}): Schedule {
  const interval = 1000 / options.rate
  const firstMeasured = Math.ceil(options.warmupMs / interval - 1e-9)
  return {
    end: options.requests === null ? Number.POSITIVE_INFINITY : firstMeasured + options.requests,
    firstMeasured,
    interval,
    startAt: options.startAt,
    thread: options.thread,
    threads: options.threads,
  }
}

/** The global number of this thread's k-th send. */
export function globalIndex(s: Schedule, k: number): number {
  return s.thread + k * s.threads
}

export function dueAt(s: Schedule, k: number): number {
  return s.startAt + globalIndex(s, k) * s.interval
}

/** How many of this thread's sends exist in total (Infinity for a timed run). */
export function sendCount(s: Schedule): number {
  if (s.end === Number.POSITIVE_INFINITY) return s.end
  return Math.max(0, Math.ceil((s.end - s.thread) / s.threads))
}

/** How many of this thread's sends are due at or before `time` (ms), capped by sendCount. */
export function dueBy(s: Schedule, time: number): number {
  if (time < s.startAt) return 0
  const lastGlobal = Math.floor((time - s.startAt) / s.interval + 1e-9)
  if (lastGlobal < s.thread) return 0
  return Math.min(sendCount(s), Math.floor((lastGlobal - s.thread) / s.threads) + 1)
}

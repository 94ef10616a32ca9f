// The load engine for one thread: keeps its share of the connections busy, in a
// closed loop (each connection sends again as soon as it is answered) or at a
// constant arrival rate, and counts every outcome. One coarse timer sweeps for
// timeouts; nothing is allocated per request beyond what the socket does.
import {performance} from 'node:perf_hooks'

import {Connection, type ConnectionOwner, type PreparedRequest} from './connection.js'
import {laneOf, type LoadPlan, shareOf} from './plan.js'
import {IntervalRecorder, type IntervalWorker} from './intervals.js'
import {bucketOf, LATENCY_BUCKETS, type LiveSnapshot} from './live.js'
import {createSchedule, dueAt, dueBy, globalIndex, type Schedule, sendCount} from './pacer.js'
import {serializeRequest} from './request.js'
import {compileExpectation} from './response-check.js'
import {statusTable} from './status.js'
import {atTime} from './timer.js'
import {createHistogram} from './histogram.js'
import {emptyTally, type Latencies, type Tally} from './tally.js'

export interface EngineOptions {
  plan: LoadPlan
  /**
   * Live counters for progress: [responses, failures] at 2 * thread. May be
   * shared with other threads; written as the run goes.
   */
  progress?: Float64Array
  /** Ends the run early, as if its time were up; the tally says it was interrupted. */
  signal?: AbortSignal
  /** Wall-clock ms (Date.now() scale) at which every thread starts. */
  startEpochMs: number
  thread: number
  threads: number
}

export interface EngineResult {
  latencies: Latencies
  tally: Tally
}

/** Pause before a connection that could not connect tries again, so a dead server is not hammered in a spin. */
const RETRY_MS = 20
/** How often requests are checked for timeouts; also bounds how late a retry starts. */
const MAX_SWEEP_MS = 20
/** One read buffer per thread: every read is framed before the next can land. */
const READ_BUFFER_BYTES = 64 * 1024

interface WorkerCount extends IntervalWorker {
  connections: number
  /** The X-Instance of "instance/worker", if the server names one. */
  instance: string | undefined
  requests: number
}

export function prepareRequests(plan: LoadPlan): PreparedRequest[][] {
  return plan.targets.map((target) =>
    target.requests.map((spec) => ({
      bytes: serializeRequest(spec, new URL(target.url).host),
      expect: spec.expect ? compileExpectation(spec.expect) : undefined,
      head: spec.method.toUpperCase() === 'HEAD',
      label: `${spec.method} ${spec.path}`,
      status: spec.expect?.status ?? -1,
    })),
  )
}

export interface StartedEngine {
  /** The run so far, for the terminal view. */
  live(): LiveSnapshot
  result: Promise<EngineResult>
}

export function startEngine(options: EngineOptions): StartedEngine {
  const engine = new Engine(options)
  return {live: () => engine.live(), result: engine.run()}
}

class Engine implements ConnectionOwner {
  private readonly connections: Connection[] = []
  private readonly requests: PreparedRequest[][]
  private readonly okStatus: Uint8Array
  private readonly limits: LoadPlan['limits']
  private readonly latency = createHistogram()
  private readonly uncorrected
  private readonly statuses = new Float64Array(1000)
  /** Every response's latency, coarsely, for the live view. */
  private readonly liveLatency = new Float64Array(LATENCY_BUCKETS)
  private readonly errors = new Map<string, number>()
  private readonly workers: Map<string, WorkerCount>[]
  /** Per connection: the worker its last response came from, to skip the map lookup. */
  private readonly lastWorker: ({count: WorkerCount; name: string} | undefined)[] = []
  private readonly tally: Tally
  private readonly progress: Float64Array
  private readonly progressAt: number
  private readonly sweepMs: number
  // Set when the run begins: a timer may fire a little before the agreed start,
  // and every measurement must count from the same instant.
  private measureStart = Number.POSITIVE_INFINITY
  private deadline = Number.POSITIVE_INFINITY
  private schedule: Schedule | undefined
  /** Set when the run begins, with measureStart. */
  private intervals!: IntervalRecorder

  private measuring = false
  private stopped = false
  private inFlight = 0
  /** Closed loop with --requests: measured sends this thread may still make. */
  private quota: number
  /**
   * Rate mode: this thread's next send number; idle connections, longest idle
   * first, so every connection takes its turn (reusing the one freed last
   * would keep the load on whichever worker answers fastest).
   */
  private nextSend = 0
  private readonly idle = new ConnectionQueue()
  private pacerArmed = false
  private readonly timers = new Set<NodeJS.Timeout>()
  private finish!: (result: EngineResult) => void

  constructor(private readonly options: EngineOptions) {
    const {plan, thread, threads} = options
    this.limits = plan.limits
    this.requests = prepareRequests(plan)
    this.okStatus = statusTable(plan.expectStatus)
    this.uncorrected = this.limits.rate === null ? null : createHistogram()
    this.workers = plan.targets.map(() => new Map())
    this.tally = emptyTally(plan.targets.length)
    this.progress = options.progress ?? new Float64Array(2 * (thread + 1))
    this.progressAt = 2 * thread
    this.sweepMs = Math.max(1, Math.min(MAX_SWEEP_MS, this.limits.timeoutMs / 2))
    const lane = laneOf(this.limits.segment, thread, threads)
    this.quota = this.limits.requests === null ? Number.POSITIVE_INFINITY : shareOf(this.limits.requests, lane.offset, lane.stride)
    const readBuffer = Buffer.allocUnsafe(READ_BUFFER_BYTES)
    for (let i = lane.offset; i < this.limits.connections; i += lane.stride) {
      const target = i % plan.targets.length
      const {host, port} = plan.targets[target]
      const connection = new Connection(this.connections.length, target, host, port, readBuffer, this)
      // Spread the connections of a target over its requests, so each is sent from the start.
      connection.cursor = Math.floor(i / plan.targets.length)
      this.connections.push(connection)
      this.lastWorker.push(undefined)
    }
  }

  run(): Promise<EngineResult> {
    return new Promise((resolve) => {
      this.finish = resolve
      const begin = () => {
        const {limits, options} = this
        const startAt = performance.now()
        this.measureStart = startAt + limits.warmupMs
        this.tally.startedAtMs = Math.round(performance.timeOrigin + this.measureStart)
        this.intervals = new IntervalRecorder(this.measureStart, this.tally.startedAtMs)
        this.measuring = limits.warmupMs === 0
        if (limits.requests === null) this.deadline = this.measureStart + limits.durationMs
        if (limits.rate !== null) {
          const {offset, stride} = laneOf(limits.segment, options.thread, options.threads)
          this.schedule = createSchedule({...limits, rate: limits.rate, startAt, thread: offset, threads: stride})
        }

        this.timers.add(setInterval(() => this.sweep(), this.sweepMs))
        this.at(this.measureStart, () => this.startMeasuring())
        if (this.deadline !== Number.POSITIVE_INFINITY) this.at(this.deadline, () => this.stop())

        if (this.schedule) {
          for (const connection of this.connections) this.idle.push(connection)
          this.pump()
        } else {
          const now = performance.now()
          for (const connection of this.connections) this.sendNext(connection, now)
          this.checkDone()
        }
      }

      const startAt = this.options.startEpochMs - performance.timeOrigin
      this.at(startAt, begin)
      const {signal} = this.options
      if (signal?.aborted) this.interrupt()
      else signal?.addEventListener('abort', this.interrupt, {once: true})
    })
  }

  // --- ConnectionOwner -------------------------------------------------

  onBytes(count: number): void {
    if (this.measuring) this.tally.bytes += count
  }

  onResponse(connection: Connection): void {
    if (this.stopped) return
    const now = performance.now()
    this.progress[this.progressAt]++
    this.liveLatency[bucketOf(Math.round((now - connection.intendedAt) * 1000))]++
    if (connection.measured) this.inFlight--
    // Judged when the connection next sends (or the run ends): until then an
    // answer nobody asked for can still arrive and show the exchange was wrong.
    connection.answeredAt = now
    connection.held = true
    if (!connection.framer.keepAlive) connection.drop()
    this.next(connection, now)
  }

  onUnsolicited(connection: Connection): void {
    if (this.stopped || !connection.held) return
    connection.held = false
    this.progress[this.progressAt]--
    this.progress[this.progressAt + 1]++
    if (connection.measured) this.countFailure('unsolicited', connection.answeredAt)
  }

  onFailure(connection: Connection, kind: string): void {
    if (this.stopped) return
    const now = performance.now()
    this.progress[this.progressAt + 1]++
    if (connection.measured) {
      this.inFlight--
      this.countFailure(kind, now)
    }

    if (connection.connectFailed) connection.retryAt = now + RETRY_MS
    this.next(connection, now)
  }

  /** Counts the response a connection holds: its latency, status, worker and whether it was right. */
  private settle(connection: Connection): void {
    if (!connection.held) return
    connection.held = false
    const {check, framer} = connection
    const {tally} = this
    const request = connection.request!
    const target = tally.targets[connection.target]
    const worker = check.worker === undefined ? undefined : this.workerCount(connection, check.worker, check.instance)
    if (worker && !connection.socketServed) worker.connections++
    connection.socketServed = true
    if (!connection.measured) return

    const now = connection.answeredAt
    const latencyUs = Math.round((now - connection.intendedAt) * 1000)
    tally.responses++
    target.responses++
    this.latency.recordValue(latencyUs)
    this.uncorrected?.recordValue(Math.round((now - connection.sentAt) * 1000))
    this.statuses[framer.status]++
    if (worker) worker.requests++
    const statusOk = request.status < 0 ? this.okStatus[framer.status] === 1 : framer.status === request.status
    let failure: string | undefined
    if (statusOk && check.mismatch === undefined) {
      tally.ok++
    } else {
      failure = statusOk ? 'bad-content' : 'bad-status'
      target.mismatches++
      target.firstMismatch ??= `${request.label}: ${statusOk ? check.mismatch : this.statusMismatch(request, framer.status)}`
      this.countFailure(failure)
    }

    this.intervals.response(now, latencyUs, failure, worker)
  }

  live(): LiveSnapshot {
    const workers: Record<string, number> = {}
    for (const map of this.workers) for (const count of map.values()) workers[count.key] = (workers[count.key] ?? 0) + count.requests
    return {
      failures: this.progress[this.progressAt + 1],
      latency: this.liveLatency.slice(),
      responses: this.progress[this.progressAt],
      workers,
    }
  }

  // --- sending ---------------------------------------------------------

  private next(connection: Connection, now: number): void {
    if (connection.retryAt > now) return
    connection.retryAt = 0
    if (this.schedule) {
      this.idle.push(connection)
      this.pump()
    } else {
      this.sendNext(connection, now)
      this.checkDone()
    }
  }

  /** Closed loop: the connection's next request, now. */
  private sendNext(connection: Connection, now: number): void {
    if (this.stopped || now >= this.deadline) return
    const measured = now >= this.measureStart
    if (measured) {
      if (this.quota === 0) return
      this.quota--
      this.tally.sent++
      this.inFlight++
    }

    this.settle(connection)
    connection.send(this.nextRequest(connection), now, now, measured)
  }

  private nextRequest(connection: Connection): PreparedRequest {
    const list = this.requests[connection.target]
    return list[connection.cursor++ % list.length]
  }

  /** Rate mode: sends whatever is due on idle connections, then waits for the next due time or a free connection. */
  private pump(): void {
    const schedule = this.schedule!
    if (this.stopped) return
    const now = performance.now()
    const due = Math.min(dueBy(schedule, now), dueBy(schedule, this.deadline - 1e-6))
    while (this.nextSend < due && this.idle.length > 0) {
      const connection = this.idle.shift()
      const k = this.nextSend++
      const measured = globalIndex(schedule, k) >= schedule.firstMeasured
      if (measured) {
        this.tally.sent++
        this.inFlight++
      }

      this.settle(connection)
      connection.send(this.nextRequest(connection), dueAt(schedule, k), now, measured)
    }

    if (this.nextSend >= sendCount(schedule)) {
      this.checkDone()
      return
    }

    // Behind schedule: the next free connection calls pump() again.
    if (this.nextSend < due || this.pacerArmed) return
    this.pacerArmed = true
    setTimeout(() => {
      this.pacerArmed = false
      this.pump()
    }, Math.max(0, dueAt(schedule, this.nextSend) - now))
  }

  // --- bookkeeping -----------------------------------------------------

  private workerCount(connection: Connection, name: string, instance: string | undefined): WorkerCount {
    const cached = this.lastWorker[connection.index]
    if (cached?.name === name) return cached.count
    const map = this.workers[connection.target]
    let count = map.get(name)
    if (!count) {
      const several = this.options.plan.targets.length > 1
      const key = several ? `${this.options.plan.targets[connection.target].name}:${name}` : name
      count = {connections: 0, instance, interval: [0, 0], key, requests: 0}
      map.set(name, count)
      this.intervals.addWorker(count)
    }

    this.lastWorker[connection.index] = {count, name}
    return count
  }

  private statusMismatch(request: PreparedRequest, status: number): string {
    if (request.status >= 0) return `status ${status}, expected ${request.status}`
    return `status ${status}, expected ${this.options.plan.expectStatus.join(', ')}`
  }

  /** A failure; `at`: when, for the interval it falls in (a failure judged from a response is counted there by settle). */
  private countFailure(kind: string, at?: number): void {
    this.tally.failed++
    this.errors.set(kind, (this.errors.get(kind) ?? 0) + 1)
    if (at !== undefined) this.intervals.failure(at, kind)
  }

  private at(time: number, fn: () => void): void {
    atTime(time, fn, this.timers)
  }

  private startMeasuring(): void {
    this.measuring = true
  }

  private sweep(): void {
    const now = performance.now()
    if (this.measuring) this.intervals.advance(now, this.tally.bytes, this.settleAnsweredBefore)
    const limit = now - this.limits.timeoutMs
    for (const connection of this.connections) {
      if (connection.busy) {
        if (connection.sentAt < limit) connection.fail('timeout')
      } else if (connection.retryAt !== 0 && connection.retryAt <= now) {
        this.next(connection, now)
      }
    }
  }

  /** --requests: done once every measured request is sent and settled. */
  private checkDone(): void {
    if (this.stopped || this.deadline !== Number.POSITIVE_INFINITY || this.inFlight > 0) return
    const allSent = this.schedule ? this.nextSend >= sendCount(this.schedule) : this.quota === 0
    if (allSent) this.stop()
  }

  private readonly interrupt = () => {
    this.tally.interrupted = true
    this.stop()
  }

  /** Counts every held response that completed before `time`: its second is about to be closed. */
  private readonly settleAnsweredBefore = (time: number) => {
    for (const connection of this.connections) if (connection.held && connection.answeredAt < time) this.settle(connection)
  }

  private stop(): void {
    if (this.stopped) return
    this.stopped = true
    this.options.signal?.removeEventListener('abort', this.interrupt)
    const now = performance.now()
    for (const timer of this.timers) clearTimeout(timer)
    for (const connection of this.connections) {
      this.settle(connection)
      connection.drop()
    }

    const {tally} = this
    tally.inFlight = this.inFlight
    tally.measuredMs = Math.max(0, now - this.measureStart)
    if (this.measureStart <= now) tally.intervals = this.intervals.finish(now, tally.bytes)
    if (this.schedule) tally.queued = this.queuedAt(this.schedule, Math.min(now, this.deadline - 1e-6))
    for (const [kind, n] of this.errors) tally.errors[kind] = n
    for (let status = 0; status < this.statuses.length; status++) {
      if (this.statuses[status] > 0) tally.statuses[status] = this.statuses[status]
    }

    for (const [i, map] of this.workers.entries()) {
      for (const [name, count] of map) {
        if (count.requests > 0) tally.targets[i].workers[name] = count.requests
        if (count.instance !== undefined && count.requests > 0) {
          const {instances} = tally.targets[i]
          instances[count.instance] = (instances[count.instance] ?? 0) + count.requests
        }

        if (count.connections > 0) tally.targets[i].connections[name] = count.connections
      }
    }

    this.finish({latencies: {corrected: this.latency, uncorrected: this.uncorrected}, tally})
  }

  /** Measured sends that fell due by `time` but never went out: every connection was busy. */
  private queuedAt(schedule: Schedule, time: number): number {
    const firstMeasuredK = Math.max(0, Math.ceil((schedule.firstMeasured - schedule.thread) / schedule.threads))
    return Math.max(0, dueBy(schedule, time) - Math.max(this.nextSend, firstMeasuredK))
  }
}

/** First in, first out, without Array.shift()'s copying. */
class ConnectionQueue {
  private items: Connection[] = []
  private head = 0

  get length(): number {
    return this.items.length - this.head
  }

  push(connection: Connection): void {
    this.items.push(connection)
  }

  shift(): Connection {
    const connection = this.items[this.head++]
    // Drop the taken part now and then: amortised O(1).
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head)
      this.head = 0
    }

    return connection
  }
}

// How a pool's primary hands the connections it accepts to its workers, round
// robin. node:cluster's own round robin strands a connection in the primary
// when the worker it was handed to dies or stops listening at that moment
// (nodejs/node#21746): its client hangs and the primary leaks the descriptor.
// Here every connection in transit is tracked until it is written to a worker's
// channel, so it is passed on to another worker or closed at once.
import type {Worker} from 'node:cluster'
import type {Socket} from 'node:net'

import type {PrimaryMessage} from './protocol.js'

const CONNECTION: PrimaryMessage = {type: 'webkit:connection'}

export class Dispatcher {
  private closed = false
  private next = 0
  private readonly retired = new Set<Worker>()
  /** Connections that arrived while no worker was ready; served when one is. */
  private readonly waiting: Socket[] = []
  /** Ready workers, each with the connections sent to it but not yet written to its channel. */
  private readonly workers = new Map<Worker, Set<Socket>>()

  /** @param maxWaiting connections held while no worker is ready; more are closed. */
  constructor(private readonly maxWaiting: number) {}

  /** A worker is ready to serve. */
  add(worker: Worker): void {
    this.workers.set(worker, new Set())
    for (const socket of this.waiting.splice(0)) this.dispatch(socket)
  }

  /** The pool is stopping: closes what waits for a worker, and whatever would wait from now on. */
  close(): void {
    this.closed = true
    for (const socket of this.waiting.splice(0)) socket.destroy()
  }

  dispatch(socket: Socket): void {
    // This process never reads or writes the connection; what goes wrong is for the worker to see.
    if (socket.listenerCount('error') === 0) socket.on('error', () => {})
    const worker = this.pick()
    if (!worker) {
      if (!this.closed && this.waiting.length < this.maxWaiting) this.waiting.push(socket)
      else socket.destroy()
      return
    }

    const transit = this.workers.get(worker)!
    transit.add(socket)
    // keepOpen: this process keeps its descriptor until the message is written, so a send that
    // fails or never happens (the worker died first) leaves the socket here to pass on or close.
    worker.send(CONNECTION, socket, {keepOpen: true}, (error: Error | null) => {
      if (!transit.delete(socket)) return
      if (error) this.dispatch(socket)
      // The worker's channel holds its own descriptor now: this one is a duplicate.
      else socket.destroy()
    })
  }

  /** A worker is draining: it gets nothing more, while what is on its way still reaches it. */
  retire(worker: Worker): void {
    this.retired.add(worker)
  }

  /** A worker exited: what was on its way to it fails at once, like its requests in flight. */
  remove(worker: Worker): void {
    const transit = this.workers.get(worker)
    if (!transit) return
    this.workers.delete(worker)
    this.retired.delete(worker)
    for (const socket of transit) socket.destroy()
    transit.clear()
  }

  /** The next worker in turn, preferring one with nothing in transit (a busy worker acknowledges slowly). */
  private pick(): undefined | Worker {
    const workers = [...this.workers.keys()].filter((w) => w.isConnected() && !this.retired.has(w))
    if (workers.length === 0) return undefined
    for (let i = 0; i < workers.length; i++) {
      const worker = workers[(this.next + i) % workers.length]
      if (this.workers.get(worker)!.size === 0) {
        this.next = (this.next + i + 1) % workers.length
        return worker
      }
    }

    const worker = workers[this.next % workers.length]
    this.next = (this.next + 1) % workers.length
    return worker
  }
}

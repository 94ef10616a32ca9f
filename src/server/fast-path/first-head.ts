// The deadline of a connection's first request head, kept when the fast path
// hands the connection to node:http: node:http's headers clock starts at the
// handover, so a client silent until just before its deadline would otherwise
// get a whole headers timeout more.
import type {Socket} from 'node:net'

import {performance} from 'node:perf_hooks'

export class FirstHeadDeadlines {
  private readonly due = new Map<Socket, NodeJS.Timeout>()

  /** `timedOut` answers a connection whose head is late (a 408). */
  constructor(private readonly timedOut: (socket: Socket) => void) {}

  /** Cuts `socket` at `deadline` (performance.now() ms) unless its head is complete by then. */
  arm(socket: Socket, deadline: number): void {
    // Timers run before the loop reads sockets: look again once bytes that came in time are read.
    const timer = setTimeout(() => setImmediate(this.cutIfStillDue, socket, timer), Math.max(0, deadline - performance.now()))
    this.due.set(socket, timer)
    socket.once('close', () => this.complete(socket))
  }

  /** The head has been read (node:http made a response for it, the app's or its own), or the connection is gone. */
  complete(socket: Socket): void {
    if (this.due.size === 0) return
    const timer = this.due.get(socket)
    if (timer === undefined) return
    clearTimeout(timer)
    this.due.delete(socket)
  }

  private readonly cutIfStillDue = (socket: Socket, timer: NodeJS.Timeout) => {
    if (this.due.get(socket) !== timer) return
    this.due.delete(socket)
    if (!socket.destroyed) this.timedOut(socket)
  }
}

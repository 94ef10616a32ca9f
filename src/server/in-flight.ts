// The node:http responses of each connection that are not over yet, in the
// order node:http will send them. What a graceful close and a 4xx for a bad
// request need to know (is anything still to be sent on this connection?),
// kept here from public events rather than read from node:http's private
// socket._httpMessage, which names only the response being sent, not those queued behind it.
import type {IncomingMessage, ServerResponse} from 'node:http'
import type {Socket} from 'node:net'

export class InFlight {
  private readonly bySocket = new Map<Socket, Set<ServerResponse>>()
  private readonly lastRead = new WeakMap<Socket, IncomingMessage>()
  private readonly waiting = new Map<Socket, Array<() => void>>()

  /** A response node:http has just made for a request read on `socket`. */
  add(socket: Socket, response: ServerResponse): void {
    this.lastRead.set(socket, response.req)
    // Read from bytes node:http still had when the connection closed: over before it began.
    if (socket.destroyed) {
      process.nextTick(abandon, response)
      return
    }

    let responses = this.bySocket.get(socket)
    if (responses === undefined) {
      responses = new Set()
      this.bySocket.set(socket, responses)
      socket.once('close', () => {
        for (const queued of [...responses!]) abandon(queued)
        this.settle(socket, true)
      })
    }

    responses.add(response)
    // 'close' comes once the response is over, sent or not, and after node:http has acted on
    // it: a response that said Connection: close has ended the socket by then.
    response.once('close', () => {
      if (responses.delete(response) && responses.size === 0) this.settle(socket, false)
    })
  }

  /** The request node:http read last on `socket`, if any: a bad byte after its head is in its body until it is complete. */
  lastRequest(socket: Socket): IncomingMessage | undefined {
    return this.lastRead.get(socket)
  }

  /** Whether a response on `socket` is still to be sent, in part or in full. */
  busy(socket: Socket): boolean {
    return (this.bySocket.get(socket)?.size ?? 0) > 0
  }

  /** Runs `then` once nothing is left to send on `socket` (at once if nothing is), or once it closes. */
  whenIdle(socket: Socket, then: () => void): void {
    if (!this.busy(socket)) {
      then()
      return
    }

    const waiting = this.waiting.get(socket)
    if (waiting) waiting.push(then)
    else this.waiting.set(socket, [then])
  }

  private settle(socket: Socket, closed: boolean): void {
    if (closed) this.bySocket.delete(socket)
    const waiting = this.waiting.get(socket)
    if (waiting === undefined) return
    this.waiting.delete(socket)
    for (const then of waiting) then()
  }
}

/**
 * A response still queued behind another when its connection closed. Node 20's
 * node:http leaves it as it was: not destroyed, no 'close' (the event it
 * documents for a response whose connection ended first), its writes held for
 * a socket it will never get. Whatever waits on it (a file being streamed, its
 * handle open) would wait for ever; destroyed and closed, it is over for all.
 */
function abandon(response: ServerResponse): void {
  if (response.socket !== null || response.writableFinished) return
  response.destroy()
  response.emit('close')
}

// A graceful close of a server's connections: idle ones are ended at once,
// busy ones once their last answer is out, and whatever is left at the
// deadline is cut.
import type {Socket} from 'node:net'

import {closeLingering} from './lingering-close.js'

/** How often idle connections are looked for again while draining. */
const SWEEP_MS = 50

/**
 * Resolves when every connection in `open` (which removes each as it closes)
 * is gone; `forced` when some were cut at `timeoutMs`. `busy` says whether a
 * connection still has an answer to send.
 */
export function drain(open: ReadonlySet<Socket>, busy: (socket: Socket) => boolean, timeoutMs: number): Promise<{forced: boolean}> {
  return new Promise((resolve) => {
    let forced = false
    // Not destroy(): what is still buffered goes before the FIN, and what the client sends meanwhile
    // is read, not answered with a reset (lingering-close.ts). Answers to requests read while
    // draining say Connection: close, and node:http ends those connections the same way.
    const endIdle = () => {
      for (const socket of open) if (!socket.writableEnded && !busy(socket)) closeLingering(socket)
    }

    const finish = () => {
      if (open.size > 0) return
      clearTimeout(deadline)
      clearInterval(sweep)
      resolve({forced})
    }

    const deadline = setTimeout(() => {
      forced = true
      for (const socket of open) socket.destroy()
    }, timeoutMs)
    const sweep = setInterval(() => {
      endIdle()
      finish()
    }, SWEEP_MS)
    endIdle()
    finish()
  })
}

// Slow clients: many connections that send a request head one byte at a time
// and never finish it, recording when and how the server ends each one.
import {connect, type Socket} from 'node:net'

export interface SlowConnection {
  /**
   * When connect() was called. The server cannot have accepted the connection
   * before, so its header timeout ends no sooner than this plus the timeout;
   * the 'connect' event can come hundreds of ms late while thousands open.
   */
  connectedAt: number
  /** When the first byte was written. */
  startedAt: number
  /** When the server ended the connection (undefined: still open). */
  endedAt?: number
  /** What the server sent before it ended the connection. */
  reply: string
}

export interface Slowloris {
  connections: SlowConnection[]
  /** How many are still open. */
  open(): number
  /** Resolves once the server has ended every connection. */
  allEnded: Promise<void>
  /** Closes whatever is still open. */
  destroy(): void
}

// An endless header: the head never completes, whatever the pace.
const HEAD = 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: '

/**
 * Opens `count` connections to `url`, then sends each one byte every `everyMs`
 * (spread over that interval, so the load on the server is even).
 */
export async function slowloris(url: string, count: number, everyMs = 1000): Promise<Slowloris> {
  const {hostname, port} = new URL(url)
  const sockets: Socket[] = []
  const connections: SlowConnection[] = []
  let ended = 0
  let allEnded!: () => void
  const done = new Promise<void>((resolve) => {
    allEnded = resolve
  })

  await Promise.all(
    Array.from({length: count}, (_, i) => {
      const conn: SlowConnection = {connectedAt: Date.now(), reply: '', startedAt: 0}
      const socket = connect(Number(port), hostname)
      sockets[i] = socket
      connections[i] = conn
      socket.setEncoding('latin1')
      socket.on('data', (text: string) => {
        conn.reply += text
      })
      socket.on('error', () => {})
      socket.on('close', () => {
        conn.endedAt ??= Date.now()
        if (++ended === count) allEnded()
      })
      return new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve())
        socket.once('error', reject)
      })
    }),
  )

  const sent = new Array<number>(count).fill(0)
  const slices = 10
  let slice = 0
  const timer = setInterval(() => {
    for (let i = slice; i < count; i += slices) {
      const socket = sockets[i]
      if (socket.destroyed || socket.writableEnded) continue
      if (sent[i] === 0) connections[i].startedAt = Date.now()
      socket.write(sent[i] < HEAD.length ? HEAD[sent[i]] : 'a')
      sent[i]++
    }

    slice = (slice + 1) % slices
  }, everyMs / slices)
  done.then(() => clearInterval(timer))

  return {
    allEnded: done,
    connections,
    destroy() {
      clearInterval(timer)
      for (const socket of sockets) socket.destroy()
    },
    open: () => count - ended,
  }
}

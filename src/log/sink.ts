// A write-behind buffer for log lines. Under load many requests finish in one
// event-loop turn; writing them as one chunk costs one syscall instead of one
// each. flushSync() runs on exit so no line is lost.
import {writeSync} from 'node:fs'

export interface LineSink {
  flushSync(): void
  write(line: string): void
}

/** Buffers lines for file descriptor `fd` and writes them once per event-loop turn. */
export function createFdSink(fd: number, maxBuffered = 64 * 1024): LineSink {
  let buffer = ''
  let scheduled = false

  const flushSync = () => {
    scheduled = false
    if (buffer === '') return
    const chunk = buffer
    buffer = ''
    writeAll(fd, chunk)
  }

  return {
    flushSync,
    write(line) {
      buffer += line
      if (buffer.length >= maxBuffered) flushSync()
      else if (!scheduled) {
        scheduled = true
        setImmediate(flushSync)
      }
    },
  }
}

function writeAll(fd: number, text: string): void {
  let data = Buffer.from(text)
  while (data.length > 0) {
    try {
      data = data.subarray(writeSync(fd, data))
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      // A non-blocking pipe that is full: spin until the reader catches up.
      if (code === 'EAGAIN') continue
      // The reader went away (e.g. `| head`): logging must never crash the server.
      if (code === 'EPIPE') return
      throw error
    }
  }
}

/** Collects lines in memory; for tests. */
export function createMemorySink(): LineSink & {lines: string[]} {
  const lines: string[] = []
  return {flushSync() {}, lines, write: (line) => lines.push(line)}
}

import { write } from 'node:fs'

/** Past this much text waiting for a slow reader, lines are counted instead of kept. */
const MAX_PENDING_BYTES = 1024 * 1024
/**
 * Lines are gathered this long before a write. A write on the thread pool costs ~30 µs of CPU
 * (two thread hand-overs) whatever its size: one per turn of the event loop was 5 % of a busy
 * listen's main thread; a reader sees no difference.
 */
const GATHER_MS = 20

/**
 * A writer for lines that must never hold up or take down the process printing them (listen's one
 * line per delivery, relay-server's one per request). process.stdout writes files synchronously,
 * keeps in memory without bound what a pipe whose reader stopped cannot take, and raises EPIPE
 * once the reader goes away (`| head -3`). Here each write runs on libuv's thread pool, one at a
 * time; lines are gathered for GATHER_MS, and text that arrives during a write joins the next one;
 * past MAX_PENDING_BYTES lines are dropped and counted (said once the reader catches up); a full
 * pipe is written again once it has room; once the reader is gone, printing stops quietly.
 */
export function nonBlockingLines(fd: number): (text: string) => void {
  let pending: string[] = []
  let pendingBytes = 0
  let dropped = 0
  let writing = false
  let gone = false
  let gathering = false

  const flushSoon = () => {
    if (gathering) return
    gathering = true
    setTimeout(() => {
      gathering = false
      flush()
    }, GATHER_MS)
  }

  const flush = () => {
    if (dropped > 0 && pendingBytes < MAX_PENDING_BYTES / 2) {
      pending.push(`(${dropped} ${dropped === 1 ? 'line' : 'lines'} not printed: the output was not read fast enough)`)
      dropped = 0
    }
    if (pending.length === 0 || gone) return
    const text = pending.join('\n') + '\n'
    pending = []
    pendingBytes = 0
    writing = true
    writeAll(Buffer.from(text), () => {
      writing = false
      if (pending.length > 0 || dropped > 0) flushSoon()
    })
  }

  const writeAll = (buffer: Buffer, done: () => void) => {
    write(fd, buffer, 0, buffer.length, null, (error, written) => {
      // A pipe whose reader is slow: Node made it non-blocking when process.stdout first wrote to
      // it, so a full pipe answers EAGAIN. The reader is still there: try again a little later.
      if (error?.code === 'EAGAIN' || error?.code === 'EWOULDBLOCK') {
        setTimeout(() => writeAll(buffer, done), GATHER_MS)
        return
      }
      if (error) {
        // EPIPE: the reader went away. Anything else (a full disk...): printing is not worth capture either.
        gone = true
        return done()
      }
      if (written < buffer.length) return writeAll(buffer.subarray(written), done)
      done()
    })
  }

  return (text) => {
    if (gone) return
    if (pendingBytes + text.length > MAX_PENDING_BYTES) {
      dropped += text.split('\n').length
      return
    }
    pending.push(text)
    pendingBytes += text.length
    if (!writing) flushSoon()
  }
}

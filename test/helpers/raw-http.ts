import { connect } from 'node:net'

/**
 * Sends bytes exactly as given over a fresh TCP connection and collects everything the server
 * writes until it closes (or `timeoutMs` passes). For tests that need control no HTTP client gives:
 * header case and order, chunk boundaries, malformed heads, slow senders.
 */
export function rawRequest(
  port: number,
  parts: (string | Buffer)[],
  options: { gapMs?: number; timeoutMs?: number; halfClose?: boolean } = {}
): Promise<{ response: string; closedAfterMs: number }> {
  const started = Date.now()
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port })
    const chunks: Buffer[] = []
    const timer = setTimeout(() => {
      socket.destroy()
      reject(new Error(`no close within ${options.timeoutMs ?? 5000} ms; got: ${Buffer.concat(chunks).toString('latin1')}`))
    }, options.timeoutMs ?? 5000)
    socket.on('data', (chunk) => chunks.push(chunk))
    socket.on('error', () => {
      // A reset after the server answered is an ordinary way for a server to close.
    })
    socket.on('close', () => {
      clearTimeout(timer)
      resolve({ response: Buffer.concat(chunks).toString('latin1'), closedAfterMs: Date.now() - started })
    })
    socket.on('connect', async () => {
      for (const part of parts) {
        if (socket.destroyed) return
        socket.write(part)
        if (options.gapMs) await new Promise((r) => setTimeout(r, options.gapMs))
      }
      // Half-close: "that was all I have to say", while still reading the answer.
      if (options.halfClose && !socket.destroyed) socket.end()
    })
  })
}

export function statusOf(response: string): number {
  return Number(/^HTTP\/1\.[01] (\d{3})/.exec(response)?.[1] ?? 0)
}

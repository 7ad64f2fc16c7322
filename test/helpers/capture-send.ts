import { connect } from 'node:net'

/**
 * Sends exactly these request bytes to a capture port and resolves with the new delivery's id,
 * read from the endpoint's default answer (`{"id": ...}`, also in a 413 for a truncated body).
 * The connection is keep-alive: it settles on the answer, not on close. Bounded by `timeoutMs`.
 */
export function sendToCapture(port: number, head: string, body: Buffer = Buffer.alloc(0), timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    let answer = ''
    socket.setEncoding('latin1')
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error('no answer from the capture endpoint')))
    socket.on('data', (chunk: string) => {
      answer += chunk
      const id = /"id":"([^"]+)"/.exec(answer)?.[1]
      if (id) {
        resolve(id)
        socket.destroy()
      }
    })
    socket.on('error', reject)
    socket.on('close', () => reject(new Error(`no delivery id in the answer: ${answer.slice(0, 200)}`)))
    socket.write(Buffer.concat([Buffer.from(head, 'latin1'), body]))
  })
}

/** A request head for `sendToCapture`: request line, Host, the given header lines, Content-Length. */
export function requestHead(port: number, target: string, headers: ReadonlyArray<[string, string]>, bodyLength: number, method = 'POST'): string {
  const lines = headers.map(([name, value]) => `${name}: ${value}\r\n`).join('')
  return `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n${lines}Content-Length: ${bodyLength}\r\n\r\n`
}

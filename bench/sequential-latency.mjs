import { Agent, request } from 'node:http'

/**
 * `count` POSTs one after another on one keep-alive connection (no queueing: what a path adds to
 * one delivery), timed in this process to the microsecond. `accept(status, body)` says whether an
 * answer is the expected one; the others are counted as `foreign`. Times in ms.
 */
export async function sequentialLatency(url, count, { body, headers = {}, accept = () => true }) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 })
  const target = new URL(url)
  const times = new Float64Array(count)
  let foreign = 0
  try {
    for (let i = 0; i < count; i++) {
      const started = process.hrtime.bigint()
      const answer = await new Promise((resolve, reject) => {
        const req = request(target, { method: 'POST', agent, headers: { ...headers, 'content-length': String(body.length) }, timeout: 10_000 }, (res) => {
          let text = ''
          res.setEncoding('utf8').on('data', (chunk) => (text += chunk))
          res.on('end', () => resolve({ status: res.statusCode, text }))
          res.on('error', reject)
        })
        req.on('timeout', () => req.destroy(new Error(`${url}: no answer within 10 s`)))
        req.on('error', reject)
        req.end(body)
      })
      times[i] = Number(process.hrtime.bigint() - started) / 1e6
      if (!accept(answer.status, answer.text)) foreign += 1
    }
  } finally {
    agent.destroy()
  }
  times.sort()
  const at = (q) => times[Math.min(count - 1, Math.floor(q * count))]
  return { p50: at(0.5), p99: at(0.99), foreign }
}

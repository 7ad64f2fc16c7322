// The smee side of bench/tunnel.mjs, in its own process like smee.io: a smee-protocol server.
// GET /<channel> with `Accept: text/event-stream` subscribes; POST /<channel> is answered 200 at
// once and broadcast to the subscribers as JSON (headers, parsed body, query, timestamp), the way
// smee.io re-serialises it. GET /stats says how many events were broadcast.
//
//   node bench/smee-server.mjs   → prints `Listening: http://127.0.0.1:<port>`; SIGTERM/SIGINT stop it.
import { createServer } from 'node:http'

const streams = new Set()
let id = 0
/** Events sent to subscribers so far (GET /stats): what the bench waits to see captured. */
let broadcast = 0
const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/stats') {
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ broadcast }))
    return
  }
  if (req.method === 'GET' && req.headers.accept === 'text/event-stream') {
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' })
    streams.add(res)
    req.on('close', () => streams.delete(res))
    res.write(`id: ${id++}\nevent: ready\ndata: {}\n\n`)
    return
  }
  const chunks = []
  req.on('data', (chunk) => chunks.push(chunk))
  req.on('end', () => {
    const url = new URL(req.url, 'http://x')
    let body
    try {
      body = JSON.parse(Buffer.concat(chunks).toString())
    } catch {
      res.writeHead(400).end()
      return
    }
    const payload = { ...req.headers, body, query: Object.fromEntries(url.searchParams), timestamp: Date.now() }
    for (const stream of streams) stream.write(`id: ${id++}\ndata: ${JSON.stringify(payload)}\n\n`)
    if (streams.size > 0) broadcast += 1
    res.writeHead(200).end()
  })
})
server.keepAliveTimeout = 5_000
server.listen({ host: '127.0.0.1', port: 0 }, () => process.stdout.write(`Listening: http://127.0.0.1:${server.address().port}\n`))
const stop = () => {
  for (const stream of streams) stream.destroy()
  server.close(() => process.exit(0))
  server.closeAllConnections()
}
process.once('SIGTERM', stop)
process.once('SIGINT', stop)

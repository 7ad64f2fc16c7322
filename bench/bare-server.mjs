// The baseline for bench/capture.mjs: the least a Node HTTP server can do for a webhook — read
// the whole body, answer 200 {"id":"x"} — in its own process, like `hookscope listen`.
// Prints `Listening: http://127.0.0.1:<port>/`; SIGTERM/SIGINT close it and exit 0.
import { createServer } from 'node:http'

const port = Number(process.argv[2] ?? 0)
const body = '{"id":"x"}'
const server = createServer((req, res) => {
  req.on('data', () => {})
  req.on('end', () => {
    res.writeHead(200, ['Content-Type', 'application/json', 'Content-Length', String(Buffer.byteLength(body))])
    res.end(body)
  })
})
server.keepAliveTimeout = 5_000
server.listen({ host: '127.0.0.1', port }, () => {
  process.stdout.write(`Listening: http://127.0.0.1:${server.address().port}/\n`)
})
const stop = () => {
  server.close(() => process.exit(0))
  server.closeAllConnections()
}
process.once('SIGTERM', stop)
process.once('SIGINT', stop)

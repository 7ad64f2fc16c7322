// The http-proxy baseline for bench/relay.mjs: a reverse proxy made with the `http-proxy` package
// (the library most Node relays are built on), in its own process like `hookscope listen`.
//
//   node bench/http-proxy-server.mjs TARGET_URL
//
// Prints `Listening: http://127.0.0.1:<port>/`; SIGTERM/SIGINT close it and exit 0.
import { Agent, createServer } from 'node:http'
import httpProxy from 'http-proxy'

const target = process.argv[2]
if (!target) {
  process.stderr.write('usage: node bench/http-proxy-server.mjs TARGET_URL\n')
  process.exit(2)
}
// Keep-alive to the target, as Hookscope's relay does (a keep-alive node:http Agent, no socket cap).
const proxy = httpProxy.createProxyServer({ target, agent: new Agent({ keepAlive: true, scheduling: 'lifo' }), xfwd: true })
proxy.on('error', (error, _req, res) => {
  if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'text/plain' })
  res.end(`proxy error: ${error.message}`)
})
const server = createServer((req, res) => proxy.web(req, res))
server.keepAliveTimeout = 5_000
server.listen({ host: '127.0.0.1', port: 0 }, () => {
  process.stdout.write(`Listening: http://127.0.0.1:${server.address().port}/\n`)
})
const stop = () => {
  server.close(() => process.exit(0))
  server.closeAllConnections()
}
process.once('SIGTERM', stop)
process.once('SIGINT', stop)

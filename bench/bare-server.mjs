// The baseline for bench/capture.mjs: the least a Node HTTP server can do for a webhook — read
// the whole body, answer 200 {"id":"x"} — in its own process, like `hookscope listen`.
//
//   node bench/bare-server.mjs [PORT]                          → node:http
//   node bench/bare-server.mjs [PORT] --https CERT.pem KEY.pem → node:https with that certificate,
//     and the TLS settings Hookscope's https endpoints use (TLS 1.2 minimum, ALPN http/1.1)
//
// Prints `Listening: http(s)://127.0.0.1:<port>/`; SIGTERM/SIGINT close it and exit 0.
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'

const args = process.argv.slice(2)
const httpsAt = args.indexOf('--https')
const tls = httpsAt === -1 ? null : { cert: readFileSync(args[httpsAt + 1]), key: readFileSync(args[httpsAt + 2]) }
const rest = httpsAt === -1 ? args : [...args.slice(0, httpsAt), ...args.slice(httpsAt + 3)]
const port = Number(rest[0] ?? 0)
const body = '{"id":"x"}'
const handler = (req, res) => {
  req.on('data', () => {})
  req.on('end', () => {
    res.writeHead(200, ['Content-Type', 'application/json', 'Content-Length', String(Buffer.byteLength(body))])
    res.end(body)
  })
}
const server = tls ? createHttpsServer({ ...tls, minVersion: 'TLSv1.2', ALPNProtocols: ['http/1.1'] }, handler) : createServer(handler)
server.keepAliveTimeout = 5_000
server.listen({ host: '127.0.0.1', port }, () => {
  process.stdout.write(`Listening: ${tls ? 'https' : 'http'}://127.0.0.1:${server.address().port}/\n`)
})
const stop = () => {
  server.close(() => process.exit(0))
  server.closeAllConnections()
}
process.once('SIGTERM', stop)
process.once('SIGINT', stop)

import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { connect, createServer } from 'node:net'

export const REDIS_SERVER = '/usr/bin/redis-server'

export interface TestRedis {
  url: string
  port: number
  stop(): Promise<void>
}

/** A free TCP port on 127.0.0.1 (the OS picks; released just before use). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

/**
 * Debian's redis-server on a free loopback port, without persistence (the tests restart relay
 * instances, not Redis). `.ci/run` installs it when missing.
 */
export async function startRedis(): Promise<TestRedis> {
  if (!existsSync(REDIS_SERVER)) throw new Error(`${REDIS_SERVER} is missing: apt-get install redis-server (.ci/run does)`)
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort()
    const child = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'], {
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let output = ''
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()))
    const ready = await waitReady(child, port)
    if (ready) return { url: `redis://127.0.0.1:${port}`, port, stop: () => stopChild(child) }
    await stopChild(child)
    if (!/Address already in use/.test(output)) throw new Error(`redis-server did not start:\n${output}`)
  }
  throw new Error('redis-server: no free port after 5 attempts')
}

async function waitReady(child: ChildProcess, port: number): Promise<boolean> {
  const deadline = Date.now() + 10_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) return false
    if (await ping(port)) return true
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return false
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port })
    let reply = ''
    socket.setTimeout(1_000, () => socket.destroy())
    socket.on('connect', () => socket.write('PING\r\n'))
    socket.on('data', (chunk) => {
      reply += chunk.toString()
      if (reply.includes('\r\n')) socket.end()
    })
    socket.on('error', () => undefined)
    socket.on('close', () => resolve(reply.startsWith('+PONG')))
  })
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve()
    })
    child.kill('SIGTERM')
  })
}

import type { Writable } from 'node:stream'

/**
 * Returns `beforeSend()`: call it before each WebSocket send, and everything sent in one turn of
 * the event loop leaves in one write. ws writes every message on its own (a system call per
 * frame); under load a tunnel sends many small frames per turn, and on loopback those calls cost
 * more than the rest of the relaying. The socket is corked at the first send and uncorked on
 * the next tick, so nothing waits longer than the current turn.
 */
export function corkPerTick(socket: Pick<Writable, 'cork' | 'uncork'>): () => void {
  let corked = false
  const uncork = () => {
    corked = false
    socket.uncork()
  }
  return () => {
    if (corked) return
    corked = true
    socket.cork()
    process.nextTick(uncork)
  }
}

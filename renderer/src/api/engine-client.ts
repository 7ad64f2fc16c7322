import type { PreloadBridge } from '../../../shared/api/bridge'
import { RUN_HASH_PARAM, TOKEN_HASH_PARAM } from '../../../shared/api/http-routes'
import { EngineError } from '../../../shared/errors'
import type { EngineConnection } from './connection'
import { createHttpTransport } from './http-transport'
import { createIpcTransport } from './ipc-transport'

/**
 * Picks the transport once, at startup: Electron's preload bridge when present, else the headless
 * HTTP/WS API with the token from the URL fragment (it never reaches the server's logs).
 * Nothing else in the renderer touches `window.hookscope` or `fetch`.
 */
export function createEngineConnection(win: Window = window): EngineConnection {
  const bridge = (win as Window & { hookscope?: PreloadBridge }).hookscope
  if (bridge) return createIpcTransport(bridge)
  const token = readTokenFromHash(win.location.hash)
  if (!token) {
    throw new EngineError('UNAUTHORIZED', 'This page needs the access token: open the UI address printed by `hookscope listen` (it ends in #token=…).')
  }
  return createHttpTransport({ origin: win.location.origin, token, runId: readRunFromHash(win.location.hash) })
}

/** The run that printed the address; lets a tab tell a restarted server from a mistyped token. */
export function readRunFromHash(hash: string): string | null {
  return new URLSearchParams(hash.replace(/^#/, '')).get(RUN_HASH_PARAM) || null
}

export function readTokenFromHash(hash: string): string | null {
  return new URLSearchParams(hash.replace(/^#/, '')).get(TOKEN_HASH_PARAM) || null
}

import { EngineError } from '../../../shared/errors'
import type { KeyEntry } from '../../../shared/model/keyring'
import type { AttemptError } from '../../../shared/model/relay'
import type { Clock } from '../engine-types'
import type { KeyringSnapshot } from '../verify/verify-delivery'
import { attemptError } from './attempt-errors'
import type { OutboundRequest } from './forward-request'
import type { SignRequest, SignResult } from './sign-seam'

export interface RequestSignerDeps {
  keys: () => KeyringSnapshot
  signRequest: SignRequest
  clock: Clock
  nextId: () => string
}

/** Keyring lookups and signing for re-signed replays and the sender. */
export class RequestSigner {
  constructor(private readonly deps: RequestSignerDeps) {}

  /** A keyring key by id (or, failing that, by name). Throws VAULT_LOCKED / NOT_FOUND. */
  key(idOrName: string): KeyEntry {
    const snapshot = this.deps.keys()
    if (snapshot.locked) throw new EngineError('VAULT_LOCKED', 'the keyring is locked: unlock it to sign with its keys')
    const key = snapshot.keys.find((entry) => entry.id === idOrName) ?? snapshot.keys.find((entry) => entry.name === idOrName)
    if (!key) throw new EngineError('NOT_FOUND', `no key "${idOrName}" in the keyring`)
    return key
  }

  /**
   * The request signed with `key`: fresh id and timestamp, signature headers replaced in place
   * (or added), the body re-encrypted where the scheme encrypts; Content-Length follows the body.
   */
  sign(
    request: OutboundRequest,
    key: KeyEntry,
    fresh: { now?: number; newId?: string; plaintext?: Buffer } = {}
  ): { ok: true; request: OutboundRequest; notes: string[] } | { ok: false; error: AttemptError } {
    let result: SignResult
    try {
      result = this.deps.signRequest(
        {
          method: request.method,
          url: request.url.href,
          headers: request.headers,
          body: request.body,
          now: fresh.now ?? this.deps.clock.now(),
          newId: fresh.newId ?? this.deps.nextId(),
          ...(fresh.plaintext ? { plaintext: fresh.plaintext } : {})
        },
        key
      )
    } catch (error) {
      return { ok: false, error: attemptError('SIGNING_FAILED', `signing with key "${key.name}" failed inside Hookscope (${(error as Error).name})`) }
    }
    if (!result.ok) {
      return { ok: false, error: attemptError('SIGNING_FAILED', `cannot sign with key "${key.name}" (${key.scheme}): ${result.reason} [${result.code}]`) }
    }
    const length = String(result.body.length)
    // A scheme may change the URL (Twilio's bodySHA256 query parameter): Host follows it.
    const url = result.url ? new URL(result.url) : request.url
    const headers = result.headers.map(([name, value]): [string, string] => {
      const lower = name.toLowerCase()
      if (lower === 'content-length') return [name, length]
      if (lower === 'host' && url !== request.url && value === request.url.host) return [name, url.host]
      return [name, value]
    })
    return { ok: true, request: { ...request, url, headers, body: result.body }, notes: result.notes }
  }
}

import type { VerifyRequest } from '../../electron/engine/verify/verify-request'
import type { RawHeader } from '../../shared/model/delivery'
import type { KeyEntry, KeyMaterial } from '../../shared/model/keyring'

let counter = 0

/** A keyring entry for tests; ACTIVE and unbound unless told otherwise. */
export function makeKey(scheme: string, material: KeyMaterial, overrides: Partial<KeyEntry> = {}): KeyEntry {
  counter += 1
  return {
    id: `key${counter}`,
    name: `${scheme} key ${counter}`,
    scheme,
    keyId: null,
    group: scheme,
    status: 'ACTIVE',
    createdAt: 0,
    activatedAt: 0,
    deletedAt: null,
    endpointIds: [],
    pathPrefixes: [],
    notes: '',
    options: {},
    fields: Object.keys(material) as KeyEntry['fields'],
    material,
    ...overrides
  }
}

export function makeRequest(headers: RawHeader[] | Record<string, string>, body: string | Buffer, overrides: Partial<VerifyRequest> = {}): VerifyRequest {
  return {
    method: 'POST',
    url: 'https://hooks.example.test/webhook',
    headers: Array.isArray(headers) ? headers : Object.entries(headers),
    body: typeof body === 'string' ? Buffer.from(body) : body,
    endpointId: 'default',
    ...overrides
  }
}

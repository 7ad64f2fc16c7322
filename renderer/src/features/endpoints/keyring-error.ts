import type { Endpoint } from '../../../../shared/model/endpoint'

/**
 * "TLS: the keyring is locked…" / "…not set up yet…": an HTTPS endpoint could not start because its
 * server key is sealed in the keyring. Unlocking it (Keyring page) fixes that.
 */
const KEYRING_ERROR = /^TLS: .*(locked|not set up)/i

export function waitsForKeyring(endpoint: Endpoint): boolean {
  return endpoint.state.status === 'error' && endpoint.state.error !== null && KEYRING_ERROR.test(endpoint.state.error)
}

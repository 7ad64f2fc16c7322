import type { Endpoint } from '../../../../shared/model/endpoint'

/**
 * An HTTPS endpoint that could not start because its server key is sealed in the keyring. Unlocking
 * it (Keyring page) fixes that: the engine then starts the endpoint by itself.
 */
export function waitsForKeyring(endpoint: Endpoint): boolean {
  return endpoint.state.status === 'error' && endpoint.state.code === 'VAULT_LOCKED'
}

/**
 * Encrypts private keys before they reach the store. The engine passes the keyring, whose data
 * key lives outside the data folder (OS keychain or passphrase), so a copied hookscope.db alone
 * never yields a usable CA or client key. `context` is bound in as associated data: a box sealed
 * for one certificate row does not open as another's.
 *
 * Implementations throw (the keyring: EngineError VAULT_LOCKED) while the key is unavailable;
 * callers let that propagate so the user is told to unlock rather than getting a half-done action.
 */
export interface Sealer {
  seal(plaintext: Buffer, context: string): Buffer
  unseal(sealed: Buffer, context: string): Buffer
}

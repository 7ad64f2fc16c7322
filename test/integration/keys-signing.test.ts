import { generateKeyPairSync } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { engineEachTest } from '../helpers/test-engine'

/**
 * `keys.signing` is what the replay's and the sender's key pickers show: which keys can sign and,
 * for the others, the refusal signRequest would give. It never carries key material.
 */
const PASSPHRASE = 'correct horse battery staple'
const SECRET = 'gh-secret-for-the-signing-overview'

const engines = engineEachTest()

describe('keys.signing', () => {
  it('says which keys sign and why the others cannot, without material; locked: every key waits for the keyring', async () => {
    let hook = await engines.start({ passphrase: PASSPHRASE })
    const publicPem = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString()
    const github = await hook.client.invoke('keys.create', { name: 'GitHub', scheme: 'github', material: { secret: SECRET } })
    const verifyOnly = await hook.client.invoke('keys.create', { name: 'Provider v1a', scheme: 'standard-webhooks-v1a', material: { publicKey: publicPem } })
    const inactive = await hook.client.invoke('keys.create', { name: 'Next', scheme: 'github', status: 'INACTIVE', material: { secret: SECRET } })

    const overview = await hook.client.invoke('keys.signing', {})
    expect(overview.locked).toBe(false)
    expect(overview.capabilities.find((capability) => capability.scheme === 'github')?.signsWith).toEqual(['secret'])
    const problems = Object.fromEntries(overview.keys.map((key) => [key.id, key.problem?.code ?? null]))
    expect(problems).toEqual({ [github.id]: null, [verifyOnly.id]: 'KEY_CANNOT_SIGN', [inactive.id]: 'KEY_NOT_ACTIVE' })
    expect(overview.keys.find((key) => key.id === verifyOnly.id)?.problem?.reason).toContain('privateKey')
    const wire = JSON.stringify(overview)
    expect(wire).not.toContain(SECRET)
    expect(wire).not.toContain(publicPem.split('\n')[1]!)

    await hook.stop()
    hook = await engines.start()
    const locked = await hook.client.invoke('keys.signing', {})
    expect(locked.locked).toBe(true)
    expect(locked.keys.map((key) => key.problem?.code)).toEqual(['VAULT_LOCKED', 'VAULT_LOCKED', 'VAULT_LOCKED'])
  })
})

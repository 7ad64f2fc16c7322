import { z } from 'zod'

/**
 * The plaintext keyring file (for `hookscope verify --keyring`, imports and tests):
 * `{"keys": [{"id", "scheme", "secret" | "publicKey" | "privateKey" | "certificate" | "jwks", "keyId", "status", "options", ...}]}`.
 * Only the fields a scheme needs are required; the schemes decide which (README lists them).
 */
const text = (max: number) => z.string().min(1).max(max)

export const keyringFileEntrySchema = z.strictObject({
  id: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,64}$/, 'key id: letters, digits and . _ : -, at most 64')
    .optional(),
  name: text(120).optional(),
  scheme: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'scheme: a kebab-case scheme id'),
  secret: text(16 * 1024).optional(),
  publicKey: text(64 * 1024).optional(),
  privateKey: text(64 * 1024).optional(),
  certificate: text(256 * 1024).optional(),
  jwks: z.object({ keys: z.array(z.record(z.string(), z.unknown())).min(1).max(100) }).optional(),
  keyId: text(256).optional(),
  group: text(120).optional(),
  status: z.enum(['INACTIVE', 'ACTIVE', 'DELETED']).optional(),
  endpointIds: z.array(text(64)).max(100).optional(),
  pathPrefixes: z.array(z.string().startsWith('/').max(1024)).max(100).optional(),
  notes: z.string().max(4096).optional(),
  options: z.record(z.string(), z.unknown()).optional()
})

export const keyringFileSchema = z.strictObject({
  keys: z.array(keyringFileEntrySchema).max(10_000)
})

export type KeyringFile = z.infer<typeof keyringFileSchema>
export type KeyringFileEntry = z.infer<typeof keyringFileEntrySchema>

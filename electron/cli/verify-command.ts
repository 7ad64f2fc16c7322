import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { deliveryFileSchema } from '../../shared/api/delivery-file'
import { headersFromText } from '../../shared/lib/header-text'
import type { RawHeader } from '../../shared/model/delivery'
import type { KeyEntry, KeyMaterialField } from '../../shared/model/keyring'
import type { Verdict } from '../../shared/model/verdict'
import { isEngineError } from '../../shared/errors'
import { materialOfEntry, parseKeyringFile } from '../engine/keyring/keyring-file-entries'
import { allSchemes, checkKeyForScheme } from '../engine/verify/registry'
import { checkDelivery } from '../engine/verify/verify-delivery'
import type { VerifyRequest } from '../engine/verify/verify-request'
import type { CliContext } from './cli-context'
import { parseFlags } from './parse-flags'
import { UsageError } from './usage-error'

/**
 * `hookscope verify --delivery FILE --keyring FILE [--now UNIX_SECONDS] [--json]`: checks one
 * delivery against a plaintext keyring file, auto-detecting the scheme. Exit 0 valid (or
 * decrypted), 1 anything else, 2 bad input.
 */
export async function verifyCommand(args: string[], context: CliContext): Promise<number> {
  const flags = parseFlags(args, {
    delivery: { type: 'string' },
    keyring: { type: 'string' },
    now: { type: 'string' },
    json: { type: 'boolean' }
  })
  if (!flags.delivery) throw new UsageError('--delivery FILE is required')
  if (!flags.keyring) throw new UsageError('--keyring FILE is required')
  if (flags.now !== undefined && !/^\d{1,12}$/.test(flags.now)) throw new UsageError('--now must be Unix seconds, e.g. 1700000000')

  const request = readDelivery(flags.delivery)
  const keys = readKeyring(flags.keyring)
  const now = flags.now !== undefined ? Number(flags.now) * 1000 : Date.now()
  const { verdict, expected } = await checkDelivery(request, { locked: false, keys }, { schemes: allSchemes, now, checkedAt: Date.now() })

  // The keyring file is the caller's own (it holds the secrets): the whole expected signature is
  // theirs to see. Nothing here is stored.
  if (flags.json) context.out(JSON.stringify(expected === null ? verdict : { ...verdict, expected }, null, 2))
  else context.out(describeVerdict(verdict, expected))
  return verdict.status === 'valid' || verdict.status === 'decrypted' ? 0 : 1
}

function readJson(path: string, what: string): unknown {
  let text: string
  try {
    text = readFileSync(resolve(path), 'utf8')
  } catch (error) {
    throw new UsageError(`cannot read the ${what} file ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`)
  }
  try {
    return JSON.parse(text)
  } catch {
    throw new UsageError(`the ${what} file ${path} is not valid JSON`)
  }
}

function readDelivery(path: string): VerifyRequest {
  const parsed = deliveryFileSchema.safeParse(readJson(path, 'delivery'))
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new UsageError(`delivery file: ${issue.path.length ? issue.path.join('.') + ': ' : ''}${issue.message}`)
  }
  const file = parsed.data
  const text: RawHeader[] = Array.isArray(file.headers) ? file.headers : Object.entries(file.headers)
  // Verification sees header values as the bytes that were sent, as a capture does.
  const headers = headersFromText({ headers: text, latin1: file.latin1Headers ?? [] })
  const body = file.bodyBase64 !== undefined ? Buffer.from(file.bodyBase64, 'base64') : Buffer.from(file.body ?? '', 'utf8')
  return { method: file.method.toUpperCase(), url: file.url, headers, body, endpointId: null }
}

function readKeyring(path: string): KeyEntry[] {
  let file
  try {
    file = parseKeyringFile(readJson(path, 'keyring'), 'keyring file')
  } catch (error) {
    if (isEngineError(error)) throw new UsageError(error.message.replace(/; nothing imported$/, ''))
    throw error
  }
  return file.keys.map((entry, index) => {
    const material = materialOfEntry(entry)
    const options = entry.options ?? {}
    const problem = checkKeyForScheme(entry.scheme, { material, options, keyId: entry.keyId ?? null })
    if (problem) throw new UsageError(`keyring file: keys.${index} (${entry.id ?? entry.scheme}): ${problem}`)
    return {
      id: entry.id ?? `key${index + 1}`,
      name: entry.name ?? entry.id ?? `key ${index + 1}`,
      scheme: entry.scheme,
      keyId: entry.keyId ?? null,
      group: entry.group ?? entry.scheme,
      status: entry.status ?? 'ACTIVE',
      createdAt: 0,
      activatedAt: null,
      deletedAt: null,
      endpointIds: [],
      pathPrefixes: entry.pathPrefixes ?? [],
      notes: entry.notes ?? '',
      options,
      fields: Object.keys(material) as KeyMaterialField[],
      material
    }
  })
}

/** The human form: status, why, the steps, and what would have made it pass. */
export function describeVerdict(verdict: Verdict, expected: string | null = null): string {
  const lines = [`${verdict.status.toUpperCase()}${verdict.scheme ? ` (${verdict.scheme})` : ''}${verdict.code ? ` ${verdict.code}` : ''}`]
  lines.push(verdict.summary)
  for (const step of verdict.steps) lines.push(`  ${step.ok ? 'ok  ' : 'FAIL'} ${step.label}${step.detail ? `: ${step.detail}` : ''}`)
  for (const finding of verdict.findings) lines.push(`  hint ${finding.code}: ${finding.message}`)
  if (expected && verdict.status !== 'valid') lines.push(`  expected: ${expected}`)
  if (verdict.received?.length && verdict.status !== 'valid') lines.push(`  received: ${verdict.received.join(' ')}`)
  return lines.join('\n')
}

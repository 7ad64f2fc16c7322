import { deliveryFileSchema } from '../../shared/api/delivery-file'
import { headersFromText } from '../../shared/lib/header-text'
import type { RawHeader } from '../../shared/model/delivery'
import type { Verdict } from '../../shared/model/verdict'
import { allSchemes } from '../engine/verify/registry'
import { checkDelivery } from '../engine/verify/verify-delivery'
import type { VerifyRequest } from '../engine/verify/verify-request'
import type { CliContext } from './cli-context'
import { readJsonFile, readKeyringFile } from './keyring-file'
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
  const keys = readKeyringFile(flags.keyring)
  const now = flags.now !== undefined ? Number(flags.now) * 1000 : Date.now()
  const { verdict, expected } = await checkDelivery(request, { locked: false, keys }, { schemes: allSchemes, now, checkedAt: Date.now() })

  // The keyring file is the caller's own (it holds the secrets): the whole expected signature is
  // theirs to see. Nothing here is stored.
  if (flags.json) context.out(JSON.stringify(expected === null ? verdict : { ...verdict, expected }, null, 2))
  else context.out(describeVerdict(verdict, expected))
  return verdict.status === 'valid' || verdict.status === 'decrypted' ? 0 : 1
}

function readDelivery(path: string): VerifyRequest {
  const parsed = deliveryFileSchema.safeParse(readJsonFile(path, 'delivery'))
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

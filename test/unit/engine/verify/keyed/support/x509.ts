import { type KeyObject, sign, X509Certificate } from 'node:crypto'

/**
 * A tiny DER writer for test certificates: node:crypto can read and verify X.509 but not create
 * it, and generating certificates per test keeps private keys out of the repository and lets
 * tests choose validity windows, CA flags and serials freely.
 */
function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n])
  const bytes: number[] = []
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff)
  return Buffer.from([0x80 | bytes.length, ...bytes])
}
const tlv = (tag: number, content: Buffer) => Buffer.concat([Buffer.from([tag]), length(content.length), content])
const seq = (...items: Buffer[]) => tlv(0x30, Buffer.concat(items))
const set = (...items: Buffer[]) => tlv(0x31, Buffer.concat(items))
const contextTag = (n: number, content: Buffer) => tlv(0xa0 + n, content)
const utf8 = (text: string) => tlv(0x0c, Buffer.from(text, 'utf8'))
const octets = (content: Buffer) => tlv(0x04, content)
const bits = (content: Buffer) => tlv(0x03, Buffer.concat([Buffer.from([0]), content]))
const TRUE = Buffer.from([0x01, 0x01, 0xff])
const NULL = Buffer.from([0x05, 0x00])

function integer(value: Buffer): Buffer {
  let i = 0
  while (i < value.length - 1 && value[i] === 0) i++
  const trimmed = value.subarray(i)
  return tlv(0x02, trimmed[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed)
}

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = (dotted.match(/\d+/g) ?? []).map(Number)
  const out = [a! * 40 + b!]
  for (const part of rest) {
    const chunk: number[] = []
    let v = part
    do {
      chunk.unshift(v & 0x7f)
      v = Math.floor(v / 128)
    } while (v > 0)
    for (let i = 0; i < chunk.length - 1; i++) chunk[i]! |= 0x80
    out.push(...chunk)
  }
  return tlv(0x06, Buffer.from(out))
}

function time(date: Date): Buffer {
  const iso = date.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z'
  return date.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(iso.slice(2))) : tlv(0x18, Buffer.from(iso))
}

const name = (cn: string) => seq(set(seq(oid('2.5.4.3'), utf8(cn))))

function algorithm(signer: KeyObject): { id: Buffer; digest: 'sha256' | null } {
  switch (signer.asymmetricKeyType) {
    case 'ec':
      return { id: seq(oid('1.2.840.10045.4.3.2')), digest: 'sha256' }
    case 'rsa':
      return { id: seq(oid('1.2.840.113549.1.1.11'), NULL), digest: 'sha256' }
    case 'ed25519':
      return { id: seq(oid('1.3.101.112')), digest: null }
    default:
      throw new Error(`unsupported signer ${signer.asymmetricKeyType}`)
  }
}

export interface CertificateSpec {
  subject: string
  publicKey: KeyObject
  /** Issuer name and private key; omitted: self-signed with `selfKey`. */
  issuer?: { subject: string; privateKey: KeyObject }
  selfKey?: KeyObject
  serialHex?: string
  notBefore: Date
  notAfter: Date
  ca: boolean
  /** Extra (non-critical) extensions by OID with a NULL value, like Apple's marker extensions. */
  markers?: string[]
}

export interface TestCertificate {
  pem: string
  der: Buffer
  x509: X509Certificate
}

export function makeCertificate(spec: CertificateSpec): TestCertificate {
  const signer = spec.issuer?.privateKey ?? spec.selfKey
  if (!signer) throw new Error('a self-signed certificate needs selfKey')
  const alg = algorithm(signer)
  const basicConstraints = seq(oid('2.5.29.19'), TRUE, octets(spec.ca ? seq(TRUE) : seq()))
  const tbs = seq(
    contextTag(0, integer(Buffer.from([2]))),
    integer(Buffer.from(spec.serialHex ?? '01', 'hex')),
    alg.id,
    name(spec.issuer?.subject ?? spec.subject),
    seq(time(spec.notBefore), time(spec.notAfter)),
    name(spec.subject),
    spec.publicKey.export({ type: 'spki', format: 'der' }),
    contextTag(3, seq(basicConstraints, ...(spec.markers ?? []).map((marker) => seq(oid(marker), octets(NULL)))))
  )
  const signature = sign(alg.digest, tbs, signer)
  const der = seq(tbs, alg.id, bits(signature))
  const pem = `-----BEGIN CERTIFICATE-----\n${der
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`
  return { pem, der, x509: new X509Certificate(der) }
}

import type { X509Certificate } from 'node:crypto'

/**
 * The extension OIDs of a certificate, read from its DER (X509Certificate exposes only a few
 * extensions). Used to require provider-specific markers, e.g. Apple's App Store signing leaf
 * (1.2.840.113635.100.6.11.1) and its WWDR intermediate (1.2.840.113635.100.6.2.1): a chain to
 * Apple's root alone would also accept certificates Apple issues to any developer.
 */
interface Tlv {
  tag: number
  start: number
  end: number
}

function readTlv(der: Buffer, offset: number, limit: number): Tlv | null {
  if (offset + 2 > limit) return null
  const tag = der[offset]!
  let length = der[offset + 1]!
  let start = offset + 2
  if (length & 0x80) {
    const count = length & 0x7f
    if (count === 0 || count > 4 || start + count > limit) return null
    length = 0
    for (let i = 0; i < count; i++) length = length * 256 + der[start + i]!
    start += count
  }
  const end = start + length
  return end <= limit ? { tag, start, end } : null
}

function children(der: Buffer, parent: Tlv): Tlv[] {
  const out: Tlv[] = []
  for (let offset = parent.start; offset < parent.end; ) {
    const child = readTlv(der, offset, parent.end)
    if (!child) return out
    out.push(child)
    offset = child.end
  }
  return out
}

function oidText(bytes: Buffer): string {
  const parts: number[] = []
  let value = 0
  for (const byte of bytes) {
    value = value * 128 + (byte & 0x7f)
    if (byte & 0x80) continue
    if (parts.length === 0) {
      const first = value < 80 ? Math.floor(value / 40) : 2
      parts.push(first, value - first * 40)
    } else {
      parts.push(value)
    }
    value = 0
  }
  return parts.join('.')
}

export function extensionOids(cert: X509Certificate): string[] {
  const der = cert.raw
  const certificate = readTlv(der, 0, der.length)
  if (certificate?.tag !== 0x30) return []
  const tbs = children(der, certificate)[0]
  if (tbs?.tag !== 0x30) return []
  const wrapper = children(der, tbs).find((field) => field.tag === 0xa3)
  const list = wrapper && children(der, wrapper)[0]
  if (list?.tag !== 0x30) return []
  return children(der, list)
    .map((extension) => children(der, extension)[0])
    .filter((oid): oid is Tlv => oid !== undefined && oid.tag === 0x06)
    .map((oid) => oidText(der.subarray(oid.start, oid.end)))
}

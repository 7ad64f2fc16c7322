import { createPrivateKey, X509Certificate } from 'node:crypto'
import forge from 'node-forge'
import { EngineError } from '../../../shared/errors'
import { splitPemCertificates } from './cert-facts'
import type { CertificateStore } from './certificate-store'
import type { LocalCa } from './local-ca'

export type CaExportFormat = 'pem' | 'der'

/** The local CA certificate (created on first use) as PEM text bytes or DER. Never the key. */
export function exportCaCertificate(ca: LocalCa, format: CaExportFormat): Buffer {
  const stored = ca.ensureCa()
  if (format === 'pem') return Buffer.from(stored.certPem, 'utf8')
  if (format === 'der') return new X509Certificate(stored.certPem).raw
  throw new EngineError('BAD_INPUT', `unknown CA export format "${String(format)}" (pem or der)`)
}

/** File name suggestions; `.crt` for DER because Windows and macOS open it with their certificate viewers. */
export function caFileName(format: CaExportFormat): string {
  return format === 'pem' ? 'hookscope-ca.pem' : 'hookscope-ca.crt'
}

export interface ClientCertificatePem {
  /** The leaf only. */
  certPem: string
  /** The issuer certificates, for tools that want `--cert` to carry the whole chain. */
  chainPem: string
  /** PKCS#8, unencrypted: treat the file like a password. */
  keyPem: string
}

/** A client certificate and its key as PEM. Throws VAULT_LOCKED while the keyring is locked. */
export function exportClientCertificatePem(store: CertificateStore, id: string): ClientCertificatePem {
  const stored = store.require(id, 'client')
  return { certPem: stored.certPem, chainPem: stored.chainPem ?? '', keyPem: store.privateKeyPem(id) }
}

/**
 * PBKDF2 rounds for the .p12 key bag and MAC. forge runs them in JavaScript, so this stays in the
 * range OpenSSL 3 itself uses by default (2048) times a few; forge's MAC writer supports < 65536.
 */
const PKCS12_ITERATIONS = 10_000

/**
 * A client certificate as PKCS#12 (.p12/.pfx): the key under PBES2 (PBKDF2-HMAC-SHA256,
 * AES-256-CBC), the leaf and its issuers as certificate bags, an HMAC over it all. That is the
 * profile OpenSSL 3 and Node read without the legacy provider (forge's default 3DES/RC2 need it
 * in some builds). forge only writes RSA keys into PKCS#12; Hookscope issues RSA keys, and an
 * imported non-RSA certificate can still be exported as PEM.
 */
export function exportClientCertificatePkcs12(store: CertificateStore, id: string, password: string): Buffer {
  if (password.length === 0) throw new EngineError('BAD_INPUT', 'a .p12 file needs a password')
  // PKCS#12 encodes the password twice (UTF-8 for the key bag, UTF-16 for the MAC); tools
  // disagree on non-ASCII, so refuse it rather than write a file some tools cannot open.
  if (!/^[\x20-\x7e]+$/.test(password)) throw new EngineError('BAD_INPUT', 'use printable ASCII characters for a .p12 password')
  const stored = store.require(id, 'client')
  const keyPem = store.privateKeyPem(id)
  if (createPrivateKey(keyPem).asymmetricKeyType !== 'rsa') {
    throw new EngineError('BAD_INPUT', 'PKCS#12 export supports RSA keys only; export this certificate as PEM instead')
  }
  const certs = [stored.certPem, ...splitPemCertificates(stored.chainPem ?? '')]
  // prfAlgorithm is passed through to PBES2 (forge's typings list it only for key encryption).
  const options = { algorithm: 'aes256' as const, count: PKCS12_ITERATIONS, friendlyName: stored.name, prfAlgorithm: 'sha256' }
  let asn1: forge.asn1.Asn1
  try {
    asn1 = forge.pkcs12.toPkcs12Asn1(
      forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey,
      certs.map((pem) => forge.pki.certificateFromPem(pem)),
      password,
      options
    )
  } catch (error) {
    throw new EngineError('BAD_INPUT', `cannot write this certificate as PKCS#12: ${(error as Error).message}`)
  }
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary')
}

/**
 * Short, copyable instructions for trusting the CA. Pass the path of the PEM export: curl's
 * --cacert and NODE_EXTRA_CA_CERTS read PEM only (the OS stores take either).
 */
export function trustInstructions(pemPath: string): string {
  return [
    `Hookscope's HTTPS endpoints use certificates from a local CA. Trust ${pemPath} where your client runs:`,
    '',
    `  curl:     curl --cacert "${pemPath}" https://localhost:PORT/`,
    `  Node.js:  NODE_EXTRA_CA_CERTS="${pemPath}" node app.js`,
    `  macOS:    sudo security add-trusted-cert -d -r trustRoot -k /Library/Keychains/System.keychain "${pemPath}"`,
    `  Debian/Ubuntu: sudo cp "${pemPath}" /usr/local/share/ca-certificates/hookscope-ca.crt && sudo update-ca-certificates`,
    `  Windows (admin):  certutil -addstore Root "${pemPath}"`,
    '',
    'update-ca-certificates wants PEM content in a .crt file; certutil and macOS accept PEM or DER.',
    'Trusting a CA lets it vouch for any site on this machine: remove it when you no longer need it',
    '(and regenerating the CA in Hookscope means trusting the new one again).'
  ].join('\n')
}

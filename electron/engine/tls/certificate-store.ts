import { createPrivateKey, type KeyObject, type X509Certificate } from 'node:crypto'
import type { Statement } from 'better-sqlite3'
import { EngineError } from '../../../shared/errors'
import type { CertificateKind } from '../../../shared/model/tls'
import type { Clock, Logger } from '../engine-types'
import { createIdGenerator } from '../ids'
import type { SqliteDatabase } from '../store/open-database'
import { certFacts, parseCertificate } from './cert-facts'
import type { Sealer } from './sealer'

/** A stored certificate with its public parts; the key stays sealed until privateKeyPem(). */
export interface StoredCertificate {
  id: string
  kind: CertificateKind
  name: string
  certPem: string
  chainPem: string | null
  hasKey: boolean
  fingerprint256: string
  subject: string
  issuer: string
  serial: string
  notBefore: number
  notAfter: number
  hosts: string[]
  createdAt: number
}

export interface NewCertificate {
  kind: CertificateKind
  name: string
  certPem: string
  chainPem?: string | null
  /** Any PEM private key; stored as sealed PKCS#8. Must match the certificate. */
  keyPem?: string | null
  hosts?: string[]
}

export interface CertificateStoreDeps {
  clock: Clock
  logger: Logger
  sealer: Sealer
}

interface Row {
  id: string
  kind: CertificateKind
  name: string
  cert_pem: string
  chain_pem: string | null
  has_key: number
  fingerprint256: string
  subject: string
  issuer: string
  serial: string
  not_before: number
  not_after: number
  hosts: string
  created_at: number
}

const COLUMNS = `id, kind, name, cert_pem, chain_pem, sealed_key IS NOT NULL AS has_key, fingerprint256, subject,
  issuer, serial, not_before, not_after, hosts, created_at`

/**
 * The `certificates` table. Knows how to seal and unseal keys (through the Sealer) but nothing
 * about issuing: LocalCa and TrustedIssuers build on it, and relay targets can read client
 * certificates from it later.
 */
export class CertificateStore {
  private readonly nextId: () => string
  private readonly selectAll: Statement
  private readonly selectKind: Statement
  private readonly selectOne: Statement
  private readonly selectByFingerprint: Statement
  private readonly selectServerByHosts: Statement
  private readonly selectSealedKey: Statement
  private readonly insertStatement: Statement
  private readonly deleteStatement: Statement
  private readonly retireStatement: Statement

  constructor(
    private readonly db: SqliteDatabase,
    private readonly deps: CertificateStoreDeps
  ) {
    this.nextId = createIdGenerator(() => deps.clock.now())
    this.selectAll = db.prepare(`SELECT ${COLUMNS} FROM certificates ORDER BY created_at, id`)
    this.selectKind = db.prepare(`SELECT ${COLUMNS} FROM certificates WHERE kind = ? ORDER BY created_at, id`)
    this.selectOne = db.prepare(`SELECT ${COLUMNS} FROM certificates WHERE id = ?`)
    this.selectByFingerprint = db.prepare(`SELECT ${COLUMNS} FROM certificates WHERE kind = ? AND fingerprint256 = ?`)
    this.selectServerByHosts = db.prepare(`SELECT ${COLUMNS} FROM certificates WHERE kind = 'server' AND hosts = ? ORDER BY created_at DESC, id DESC`)
    this.selectSealedKey = db.prepare(`SELECT kind, sealed_key FROM certificates WHERE id = ?`)
    this.insertStatement = db.prepare(`INSERT INTO certificates (id, kind, name, cert_pem, chain_pem, sealed_key,
      fingerprint256, subject, issuer, serial, not_before, not_after, hosts, created_at)
      VALUES (@id, @kind, @name, @certPem, @chainPem, @sealedKey, @fingerprint256, @subject, @issuer, @serial,
      @notBefore, @notAfter, @hosts, @createdAt)`)
    this.deleteStatement = db.prepare(`DELETE FROM certificates WHERE id = ?`)
    this.retireStatement = db.prepare(`UPDATE certificates SET kind = 'issuer', name = ?, sealed_key = NULL WHERE id = ?`)
  }

  /** Stores a certificate (and its key, sealed). Throws CONFLICT if the same one is already stored as this kind. */
  insert(input: NewCertificate): StoredCertificate {
    const cert = parseCertificate(input.certPem)
    const facts = certFacts(cert)
    const existing = this.findByFingerprint(input.kind, facts.fingerprint256)
    if (existing) throw new EngineError('CONFLICT', `this ${input.kind} certificate is already stored (${existing.name})`)
    const id = this.nextId()
    const sealedKey = input.keyPem ? this.sealKey(input.kind, id, input.keyPem, cert) : null
    this.insertStatement.run({
      id,
      kind: input.kind,
      name: input.name,
      certPem: cert.toString(),
      chainPem: input.chainPem ?? null,
      sealedKey,
      fingerprint256: facts.fingerprint256,
      subject: facts.subject,
      issuer: facts.issuer,
      serial: facts.serial,
      notBefore: facts.validFrom,
      notAfter: facts.validTo,
      hosts: JSON.stringify(input.hosts ?? []),
      createdAt: this.deps.clock.now()
    })
    this.deps.logger.info('certificate stored', { id, kind: input.kind, fingerprint256: facts.fingerprint256 })
    return this.get(id)!
  }

  get(id: string): StoredCertificate | undefined {
    const row = this.selectOne.get(id) as Row | undefined
    return row && toStored(row)
  }

  /** Like get(), but a missing id is an error a caller can show. */
  require(id: string, kind?: CertificateKind): StoredCertificate {
    const found = this.get(id)
    if (!found || (kind && found.kind !== kind)) {
      throw new EngineError('NOT_FOUND', `no ${kind ?? ''}${kind ? ' ' : ''}certificate with id ${id}`)
    }
    return found
  }

  list(kind?: CertificateKind): StoredCertificate[] {
    const rows = (kind ? this.selectKind.all(kind) : this.selectAll.all()) as Row[]
    return rows.map(toStored)
  }

  findByFingerprint(kind: CertificateKind, fingerprint256: string): StoredCertificate | undefined {
    const row = this.selectByFingerprint.get(kind, fingerprint256) as Row | undefined
    return row && toStored(row)
  }

  /** Server certificates for exactly this (normalised, sorted) host list, newest first. */
  serversFor(hosts: string[]): StoredCertificate[] {
    return (this.selectServerByHosts.all(JSON.stringify(hosts)) as Row[]).map(toStored)
  }

  /** Unseals the private key (PKCS#8 PEM). Throws VAULT_LOCKED while the keyring is locked. */
  privateKeyPem(id: string): string {
    const row = this.selectSealedKey.get(id) as { kind: CertificateKind; sealed_key: Buffer | null } | undefined
    if (!row) throw new EngineError('NOT_FOUND', `no certificate with id ${id}`)
    if (!row.sealed_key) throw new EngineError('BAD_INPUT', `certificate ${id} has no private key in Hookscope`)
    const plain = this.deps.sealer.unseal(row.sealed_key, keyContext(row.kind, id))
    try {
      return plain.toString('utf8')
    } finally {
      plain.fill(0)
    }
  }

  remove(id: string): boolean {
    const removed = this.deleteStatement.run(id).changes > 0
    if (removed) this.deps.logger.info('certificate removed', { id })
    return removed
  }

  /**
   * A replaced CA stays as a trusted issuer (certificate only, its key destroyed), so client
   * certificates it issued keep verifying where endpoints trust it by id, until the user removes it.
   */
  retireCa(id: string, name: string): void {
    this.retireStatement.run(name, id)
    this.deps.logger.info('local CA retired', { id })
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate()
  }

  private sealKey(kind: CertificateKind, id: string, keyPem: string, cert: X509Certificate): Buffer {
    let key: KeyObject
    try {
      key = createPrivateKey(keyPem)
    } catch (error) {
      throw new EngineError('BAD_INPUT', `the private key is not readable (an unencrypted PEM is expected): ${(error as Error).message}`)
    }
    if (!cert.checkPrivateKey(key)) throw new EngineError('BAD_INPUT', 'the private key does not belong to this certificate')
    const pkcs8 = Buffer.from(key.export({ type: 'pkcs8', format: 'pem' }) as string, 'utf8')
    try {
      return this.deps.sealer.seal(pkcs8, keyContext(kind, id))
    } finally {
      pkcs8.fill(0)
    }
  }
}

/** Associated data for a key's box: binds it to its row, so boxes cannot be swapped between rows. */
function keyContext(kind: CertificateKind, id: string): string {
  return kind === 'ca' ? `ca-key:${id}` : `cert-key:${id}`
}

function toStored(row: Row): StoredCertificate {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    certPem: row.cert_pem,
    chainPem: row.chain_pem,
    hasKey: row.has_key === 1,
    fingerprint256: row.fingerprint256,
    subject: row.subject,
    issuer: row.issuer,
    serial: row.serial,
    notBefore: row.not_before,
    notAfter: row.not_after,
    hosts: JSON.parse(row.hosts) as string[],
    createdAt: row.created_at
  }
}

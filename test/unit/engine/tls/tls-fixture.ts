import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import type { Clock, Logger } from '../../../../electron/engine/engine-types'
import { silentLogger } from '../../../../electron/engine/logger'
import { openDatabase, type SqliteDatabase } from '../../../../electron/engine/store/open-database'
import { CertificateStore } from '../../../../electron/engine/tls/certificate-store'
import { LocalCa } from '../../../../electron/engine/tls/local-ca'
import type { Sealer } from '../../../../electron/engine/tls/sealer'
import { TrustedIssuers } from '../../../../electron/engine/tls/trusted-issuers'

/**
 * Stands in for the keyring: AES-256-GCM under a fixed key, context bound as associated data
 * (as Keyring.seal does). `locked` makes it throw like a locked keyring.
 */
export function testSealer(key: Buffer = randomBytes(32)): Sealer & { locked: boolean; sealed: number } {
  const sealer = {
    locked: false,
    sealed: 0,
    seal(plaintext: Buffer, context: string): Buffer {
      if (sealer.locked) throw Object.assign(new Error('keyring is locked'), { code: 'VAULT_LOCKED' })
      sealer.sealed++
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', key, iv)
      cipher.setAAD(Buffer.from(`test:${context}`))
      return Buffer.concat([iv, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()])
    },
    unseal(sealed: Buffer, context: string): Buffer {
      if (sealer.locked) throw Object.assign(new Error('keyring is locked'), { code: 'VAULT_LOCKED' })
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12))
      decipher.setAAD(Buffer.from(`test:${context}`))
      decipher.setAuthTag(sealed.subarray(sealed.length - 16))
      return Buffer.concat([decipher.update(sealed.subarray(12, sealed.length - 16)), decipher.final()])
    }
  }
  return sealer
}

export interface MutableClock extends Clock {
  set(ms: number): void
}

/** Real time by default (handshakes check dates against the real clock on the client side). */
export function mutableClock(start = Date.now()): MutableClock {
  let time = start
  return {
    now: () => time,
    set: (ms) => {
      time = ms
    }
  }
}

export interface TlsHarness {
  db: SqliteDatabase
  store: CertificateStore
  ca: LocalCa
  issuers: TrustedIssuers
  sealer: ReturnType<typeof testSealer>
  clock: MutableClock
}

/** A fresh store in `dir` (migrations include the certificates table), as the engine has it. */
export function openTlsHarness(dir: string, options: { clock?: MutableClock; logger?: Logger } = {}): TlsHarness {
  const db = openDatabase(dir)
  const clock = options.clock ?? mutableClock()
  const sealer = testSealer()
  const store = new CertificateStore(db, { clock, logger: options.logger ?? silentLogger, sealer })
  const ca = new LocalCa(store, { clock, logger: options.logger ?? silentLogger })
  return { db, store, ca, issuers: new TrustedIssuers(store, ca), sealer, clock }
}

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import type { KeyProtector, Logger } from '../../../../electron/engine/engine-types'
import { Keyring } from '../../../../electron/engine/keyring/keyring'
import { openDatabase, type SqliteDatabase } from '../../../../electron/engine/store/open-database'
import type { EngineEvent } from '../../../../shared/api/contract'
import { type KeyMaterial, WHK_KEY_ID } from '../../../../shared/model/keyring'

/**
 * Stand-in for the scheme registry's checkKey: `stripe` needs a secret, `aes-256-gcm` a secret and
 * a whk_ key id, `basic` a `user:pass` secret, `jwe` a private key; anything else is unknown.
 * Like the real one, its sentences never quote material.
 */
export function checkKey(scheme: string, material: KeyMaterial, _options: Record<string, unknown>, keyId: string | null): string | null {
  switch (scheme) {
    case 'stripe':
      return material.secret ? null : 'stripe needs a secret'
    case 'aes-256-gcm':
      if (!material.secret) return 'aes-256-gcm needs a secret'
      return keyId !== null && WHK_KEY_ID.exec(keyId) !== null ? null : 'aes-256-gcm needs a keyId like whk_YYYYMMDD_NN'
    case 'basic':
      return material.secret?.includes(':') ? null : 'basic needs a user:pass secret'
    case 'jwe':
      return material.privateKey ? null : 'jwe needs a private key'
    default:
      return `unknown scheme "${scheme}"`
  }
}

export interface FakeClock {
  now(): number
  set(ms: number): void
}

export function fakeClock(start = Date.UTC(2025, 9, 21, 12, 0, 0)): FakeClock {
  let time = start
  return {
    now: () => time,
    set: (ms) => {
      time = ms
    }
  }
}

/** Captures every log call as one JSON line so tests can scan them for secrets. */
export function recordingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = []
  const record = (level: string) => (message: string, fields?: Record<string, unknown>) => void lines.push(JSON.stringify({ level, message, fields }))
  return { lines, logger: { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') } }
}

/**
 * Test double for the OS keychain: AES-256-GCM under a fixed per-"machine" key. It stands in for
 * safeStorage, which tests cannot reach; the keyring only sees the KeyProtector interface.
 */
export function fakeOsProtector(machineKey: Buffer = randomBytes(32)): KeyProtector {
  return {
    kind: 'os',
    protect(plain) {
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', machineKey, iv)
      return Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()])
    },
    unprotect(wrapped) {
      const decipher = createDecipheriv('aes-256-gcm', machineKey, wrapped.subarray(0, 12))
      decipher.setAuthTag(wrapped.subarray(wrapped.length - 16))
      return Buffer.concat([decipher.update(wrapped.subarray(12, wrapped.length - 16)), decipher.final()])
    }
  }
}

export interface KeyringHarness {
  db: SqliteDatabase
  keyring: Keyring
  clock: FakeClock
  events: EngineEvent[]
  logs: string[]
}

export function openKeyring(dataDir: string, options: { osProtector?: KeyProtector; clock?: FakeClock } = {}): KeyringHarness {
  const db = openDatabase(dataDir)
  const clock = options.clock ?? fakeClock()
  const events: EngineEvent[] = []
  const { logger, lines } = recordingLogger()
  const keyring = new Keyring(db, { clock, logger, osProtector: options.osProtector, checkKey, emit: (event) => events.push(event) })
  return { db, keyring, clock, events, logs: lines }
}

/**
 * Every text form in which an (ASCII) secret could leak: itself, hex, and base64/base64url at all
 * three alignments (a secret inside a larger base64-encoded blob encodes differently depending on
 * its offset; the core of each alignment, without the edge groups, must appear if it leaked).
 */
export function leakForms(secret: string): string[] {
  const utf8 = Buffer.from(secret, 'utf8')
  const forms = [secret, utf8.toString('hex'), utf8.toString('hex').toUpperCase()]
  for (let shift = 0; shift < 3; shift++) {
    const shifted = Buffer.concat([Buffer.alloc(shift, 0x78), utf8])
    for (const encoding of ['base64', 'base64url'] as const) {
      const text = shifted.toString(encoding).replace(/=+$/, '')
      forms.push(text.slice(4, -4))
    }
  }
  return forms
}

/** The forms above as bytes, plus UTF-16LE (how a careless writer might store a JS string). */
export function leakBytes(secret: string): Buffer[] {
  return [...leakForms(secret).map((form) => Buffer.from(form, 'latin1')), Buffer.from(secret, 'utf16le')]
}

/** Which of `secrets` leak (in any form) into `text`; [] when none. */
export function leakedIn(text: string, secrets: readonly string[]): string[] {
  return secrets.filter((secret) => leakForms(secret).some((form) => text.includes(form)))
}

export const PASSPHRASE = 'correct horse battery staple'

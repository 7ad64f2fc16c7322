// Bench-only (never shipped): the server certificate AND key that `hookscope listen --https` will
// use, so bench/capture.mjs --https can give the bare node:https baseline the very same ones.
//
// The engine API never hands out a server key (it is sealed under the keyring), so this opens the
// data folder the way the engine does (lock, store, keyring unlocked with the passphrase) and asks
// the local CA for the server certificate of the default host set. The engine's endpoint start
// makes the same call and reuses that stored certificate; capture.mjs checks that both servers
// then present the same fingerprint. Bundled on the fly by capture.mjs (rolldown) to out/bench/.
import { systemClock } from '../electron/engine/clock'
import { Keyring } from '../electron/engine/keyring/keyring'
import { silentLogger } from '../electron/engine/logger'
import { acquireDataDirLock } from '../electron/engine/store/data-dir-lock'
import { openDatabase } from '../electron/engine/store/open-database'
import { CertificateStore } from '../electron/engine/tls/certificate-store'
import { LocalCa } from '../electron/engine/tls/local-ca'

export interface BenchServerCertificate {
  certPem: string
  keyPem: string
  caPem: string
  fingerprint256: string
}

/** The data folder must already hold a passphrase keyring and the CA (`hookscope ca export` makes both). */
export function serverCertificate(dataDir: string, passphrase: string, extraHosts: string[] = []): BenchServerCertificate {
  const lock = acquireDataDirLock(dataDir)
  const db = openDatabase(dataDir)
  const deps = { clock: systemClock, logger: silentLogger }
  const keyring = new Keyring(db, { ...deps, checkKey: () => null, emit: () => {} })
  try {
    keyring.unlock(passphrase)
    const store = new CertificateStore(db, { ...deps, sealer: keyring })
    const issued = new LocalCa(store, deps).issueServerCertificate(extraHosts)
    return { certPem: issued.certPem, keyPem: issued.keyPem, caPem: issued.caPem, fingerprint256: issued.stored.fingerprint256 }
  } finally {
    keyring.lock()
    db.close()
    lock.release()
  }
}

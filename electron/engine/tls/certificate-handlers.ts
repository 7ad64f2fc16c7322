import type { CertificateFile, EngineResult, ParsedParams } from '../../../shared/api/contract'
import { EngineError } from '../../../shared/errors'
import { clientCertFiles } from '../../../shared/lib/cert-file-names'
import type { CertificateSummary } from '../../../shared/model/tls'
import type { EventHub } from '../event-hub'
import { caFileName, exportCaCertificate, exportClientCertificatePem, exportClientCertificatePkcs12, trustInstructions } from './certificate-export'
import type { CertificateStore } from './certificate-store'
import type { LocalCa } from './local-ca'
import { importClientCertificate, type TrustedIssuers } from './trusted-issuers'

type CertificateMethod =
  | 'certificates.list'
  | 'certificates.issueClient'
  | 'certificates.importClient'
  | 'certificates.exportClient'
  | 'certificates.remove'
  | 'certificates.importIssuer'
  | 'certificates.exportCa'
  | 'certificates.regenerateCa'

export interface CertificateHandlerDeps {
  store: CertificateStore
  localCa: LocalCa
  issuers: TrustedIssuers
  events: EventHub
}

/** The Certificates page's API: the local CA, client certificates and trusted issuers. */
export function certificateHandlers({ store, localCa, issuers, events }: CertificateHandlerDeps): {
  [M in CertificateMethod]: (params: ParsedParams<M>) => EngineResult<M>
} {
  const summaryOf = (id: string): CertificateSummary => {
    const found = localCa.summaries().find((summary) => summary.id === id)
    if (!found) throw new EngineError('NOT_FOUND', `no certificate with id "${id}"`)
    return found
  }
  const changed = <T>(value: T): T => {
    events.emit({ type: 'certificates.changed' })
    return value
  }
  const file = (fileName: string, content: Buffer | string): CertificateFile => ({
    fileName,
    contentBase64: Buffer.from(content).toString('base64')
  })

  return {
    'certificates.list': () => ({ certificates: localCa.summaries(), warnings: localCa.expiryWarnings() }),
    'certificates.issueClient': ({ name }) => changed(summaryOf(localCa.issueClientCertificate({ name }).id)),
    'certificates.importClient': ({ certPem, keyPem, name }) => changed(summaryOf(importClientCertificate(store, certPem, keyPem, name).id)),
    'certificates.exportClient': ({ id, format, password }) => {
      const stored = store.require(id, 'client')
      const names = clientCertFiles(stored.name)
      if (format === 'p12') {
        if (!password) throw new EngineError('BAD_INPUT', 'a PKCS#12 export needs a password')
        return { files: [file(names.p12File, exportClientCertificatePkcs12(store, id, password))] }
      }
      const pem = exportClientCertificatePem(store, id)
      return {
        files: [file(names.certFile, pem.certPem + pem.chainPem), file(names.keyFile, pem.keyPem), file(caFileName('pem'), exportCaCertificate(localCa, 'pem'))]
      }
    },
    'certificates.remove': ({ id }) => {
      if (store.get(id)?.kind === 'ca') throw new EngineError('CONFLICT', 'the local CA is replaced with certificates.regenerateCa, not removed')
      return changed({ removed: store.remove(id) })
    },
    'certificates.importIssuer': ({ pem, name }) => changed(issuers.importPem(pem, name).map((stored) => summaryOf(stored.id))),
    'certificates.exportCa': ({ format }) => {
      localCa.ensureCa()
      const name = caFileName(format)
      // curl --cacert and NODE_EXTRA_CA_CERTS read PEM, whichever format was downloaded.
      return { ...file(name, exportCaCertificate(localCa, format)), instructions: trustInstructions(caFileName('pem')) }
    },
    'certificates.regenerateCa': () => changed(summaryOf(localCa.regenerateCa().id))
  }
}

import { createStore, type StoreApi } from 'zustand/vanilla'
import type { CertificateFile, EngineClient, EngineEvent } from '../../../shared/api/contract'
import type { CertificateSummary, ExpiryWarning } from '../../../shared/model/tls'
import { describeError } from '../api/describe-error'
import type { LoadStatus } from './deliveries-store'
import { attempt, type Outcome } from './outcome'

export interface ClientImport {
  certPem: string
  keyPem: string
  name?: string
}

export type CaExport = CertificateFile & { instructions: string }

export interface CertificatesState {
  /** Summaries only: never a PEM or a key (exports go straight to the caller, see exportClient). */
  certificates: readonly CertificateSummary[]
  warnings: readonly ExpiryWarning[]
  loadStatus: LoadStatus
  loadError: string | null
  /** The last failed row action (remove), shown until dismissed or replaced. */
  actionError: string | null
  /** Certificates with an action in flight, so their buttons can be disabled. */
  busyIds: Readonly<Record<string, true>>

  load(): Promise<void>
  issueClient(name: string): Promise<Outcome<CertificateSummary>>
  importClient(input: ClientImport): Promise<Outcome<CertificateSummary>>
  importIssuer(pem: string, name?: string): Promise<Outcome<CertificateSummary[]>>
  /**
   * The files (PEM: certificate, key, CA; or one .p12) for the caller to save. Like revealed key
   * material they are never put in this store.
   */
  exportClient(id: string, format: 'pem' | 'p12', password?: string): Promise<Outcome<CertificateFile[]>>
  exportCa(format: 'pem' | 'der'): Promise<Outcome<CaExport>>
  regenerateCa(): Promise<Outcome<CertificateSummary>>
  remove(id: string): Promise<void>
  dismissActionError(): void
  handleEvent(event: EngineEvent): void
}

export type CertificatesStore = StoreApi<CertificatesState>

/** The local CA, server and client certificates and trusted issuers, as the Certificates page lists them. */
export function createCertificatesStore(client: EngineClient): CertificatesStore {
  /** Bumped by every refresh; answers from an older one are stale and dropped. */
  let generation = 0

  return createStore<CertificatesState>()((set, get) => {
    const refresh = async (): Promise<void> => {
      const gen = ++generation
      try {
        const { certificates, warnings } = await client.invoke('certificates.list', {})
        if (gen === generation) set({ certificates, warnings, loadStatus: 'ready', loadError: null })
      } catch (error) {
        if (gen === generation) set({ loadStatus: 'error', loadError: describeError(error) })
      }
    }

    /** Every change also arrives as certificates.changed; refreshing here too keeps the page right without the stream. */
    const changing = async <T>(run: () => Promise<T>): Promise<Outcome<T>> => {
      const outcome = await attempt(run)
      if (outcome.ok) void refresh()
      return outcome
    }

    return {
      certificates: [],
      warnings: [],
      loadStatus: 'idle',
      loadError: null,
      actionError: null,
      busyIds: {},

      async load() {
        if (get().loadStatus !== 'ready') set({ loadStatus: 'loading', loadError: null })
        await refresh()
      },

      issueClient: (name) => changing(() => client.invoke('certificates.issueClient', { name })),
      importClient: ({ certPem, keyPem, name }) =>
        changing(() => client.invoke('certificates.importClient', name ? { certPem, keyPem, name } : { certPem, keyPem })),
      importIssuer: (pem, name) => changing(() => client.invoke('certificates.importIssuer', name ? { pem, name } : { pem })),
      regenerateCa: () => changing(() => client.invoke('certificates.regenerateCa', {})),

      async exportClient(id, format, password) {
        const params = password === undefined ? { id, format } : { id, format, password }
        const outcome = await attempt(() => client.invoke('certificates.exportClient', params))
        return outcome.ok ? { ok: true, value: outcome.value.files } : outcome
      },

      // Exporting may create the CA on first use: refresh so it shows up.
      exportCa: (format) => changing(() => client.invoke('certificates.exportCa', { format })),

      async remove(id) {
        set({ busyIds: { ...get().busyIds, [id]: true }, actionError: null })
        try {
          await client.invoke('certificates.remove', { id })
          set({ certificates: get().certificates.filter((cert) => cert.id !== id), warnings: get().warnings.filter((warning) => warning.id !== id) })
          void refresh()
        } catch (error) {
          set({ actionError: describeError(error) })
        } finally {
          const busyIds = { ...get().busyIds }
          delete busyIds[id]
          set({ busyIds })
        }
      },

      dismissActionError() {
        set({ actionError: null })
      },

      handleEvent(event) {
        if (event.type === 'certificates.changed') void refresh()
        else if (event.type === 'stream.reset') void get().load()
      }
    }
  })
}

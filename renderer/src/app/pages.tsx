import type { ComponentType } from 'react'
import { CertificatesPage } from '../features/certificates/certificates-page'
import { DiffPage } from '../features/diff/diff-page'
import { KeyringPage } from '../features/keyring/keyring-page'
import { ForwardingPage } from '../features/relay/forwarding-page'
import { SenderPage } from '../features/sender/sender-page'
import type { PageId } from '../stores/navigation-store'
import { DeliveriesPage } from './deliveries-page'

export interface PageDefinition {
  id: PageId
  label: string
  View: ComponentType
}

/** The top-level switch, in display order. */
export const PAGES: readonly PageDefinition[] = [
  { id: 'deliveries', label: 'Deliveries', View: DeliveriesPage },
  { id: 'keyring', label: 'Keyring', View: KeyringPage },
  { id: 'certificates', label: 'Certificates', View: CertificatesPage },
  { id: 'forwarding', label: 'Forwarding', View: ForwardingPage },
  { id: 'sender', label: 'Sender', View: SenderPage },
  { id: 'compare', label: 'Compare', View: DiffPage }
]

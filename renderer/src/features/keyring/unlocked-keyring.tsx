import { useState } from 'react'
import type { VaultStatus } from '../../../../shared/api/contract'
import { useKeys } from '../../app/services-context'
import { ErrorBanner } from '../../components/error-banner'
import { AddKeyForm } from './add-key-form'
import { ExportKeysForm } from './export-keys-form'
import { ImportKeysForm } from './import-keys-form'
import { KeysTable } from './keys-table'
import { PassphraseForm } from './passphrase-form'

type Panel = 'add' | 'import' | 'export' | 'passphrase' | null

/** The key list with its tools; one tool panel open at a time. */
export function UnlockedKeyring({ protections }: { protections: VaultStatus['protections'] }) {
  const actionError = useKeys((s) => s.actionError)
  const dismissActionError = useKeys((s) => s.dismissActionError)
  const keyCount = useKeys((s) => s.keys.length)
  const [panel, setPanel] = useState<Panel>(null)
  const close = () => setPanel(null)
  const toggle = (next: Exclude<Panel, null>) => setPanel((current) => (current === next ? null : next))

  return (
    <>
      <div className="page-toolbar">
        <button
          type="button"
          className={panel === 'add' ? 'btn btn-primary' : 'btn'}
          data-testid="add-key-toggle"
          aria-expanded={panel === 'add'}
          onClick={() => toggle('add')}
        >
          Add key
        </button>
        <button type="button" className="btn" data-testid="import-toggle" aria-expanded={panel === 'import'} onClick={() => toggle('import')}>
          Import…
        </button>
        <button
          type="button"
          className="btn"
          data-testid="export-toggle"
          aria-expanded={panel === 'export'}
          disabled={keyCount === 0}
          onClick={() => toggle('export')}
        >
          Export…
        </button>
        <span className="spacer" />
        <button type="button" className="btn" data-testid="passphrase-toggle" aria-expanded={panel === 'passphrase'} onClick={() => toggle('passphrase')}>
          {protections.includes('passphrase') ? 'Change passphrase' : 'Add a passphrase'}
        </button>
      </div>
      {panel === 'add' && <AddKeyForm onClose={close} />}
      {panel === 'import' && <ImportKeysForm onClose={close} />}
      {panel === 'export' && <ExportKeysForm onClose={close} />}
      {panel === 'passphrase' && <PassphraseForm mode="change" onDone={close} />}
      {actionError && <ErrorBanner message={actionError} onDismiss={dismissActionError} testId="keys-action-error" />}
      <KeysTable />
    </>
  )
}

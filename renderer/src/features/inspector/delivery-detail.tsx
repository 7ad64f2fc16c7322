import { useMemo, useState } from 'react'
import { decodeBase64 } from '../../../../shared/lib/base64'
import { detectBodyFormat } from '../../../../shared/lib/body-format'
import { buildCurlCommand } from '../../../../shared/lib/curl-command'
import type { Delivery } from '../../../../shared/model/delivery'
import { useDeliveries, useEndpoints } from '../../app/services-context'
import { ConfirmButton } from '../../components/confirm-button'
import { ViewBoundary } from '../../components/view-boundary'
import { copyText } from '../../lib/clipboard'
import { downloadBytes } from '../../lib/download'
import { requestUrl } from '../../lib/request-url'
import { SignaturePanel } from '../signature/signature-panel'
import { TlsPanel } from '../tls/tls-panel'
import { VerdictStrip } from '../signature/verdict-strip'
import { BodyPanel } from './body-panel'
import { fileExtension, safeFileName } from './download-body'
import { HeadersTable } from './headers-table'
import { sniffImage } from './image-sniff'
import type { InspectorTab } from './inspector-tab'
import { InspectorTabs } from './inspector-tabs'
import { MetaGrid } from './meta-grid'
import { RequestLine } from './request-line'

type CurlState = { command: string; copied: 'pending' | 'copied' | 'failed' } | null

interface DeliveryDetailProps {
  delivery: Delivery
  tab: InspectorTab
  onTab: (tab: InspectorTab) => void
}

export function DeliveryDetail({ delivery, tab, onTab }: DeliveryDetailProps) {
  const endpoints = useEndpoints((s) => s.endpoints)
  const remove = useDeliveries((s) => s.remove)
  const [curl, setCurl] = useState<CurlState>(null)
  // The TLS tab stays chosen while moving through the list; a plain-HTTP delivery shows its request.
  const shown: InspectorTab = tab === 'tls' && delivery.tls === null ? 'request' : tab

  const decoded = useMemo(() => {
    try {
      return { ok: true as const, bytes: decodeBase64(delivery.bodyBase64) }
    } catch {
      return { ok: false as const }
    }
  }, [delivery.bodyBase64])
  const bytes = decoded.ok ? decoded.bytes : new Uint8Array(0)
  const format = useMemo(() => detectBodyFormat(delivery.contentType, bytes), [delivery.contentType, bytes])

  const copyCurl = () => {
    const command = buildCurlCommand({
      method: delivery.method,
      url: requestUrl(delivery, delivery.headers, endpoints),
      headers: delivery.headers,
      body: bytes
    })
    setCurl({ command, copied: 'pending' })
    copyText(command).then(
      () => setCurl({ command, copied: 'copied' }),
      () => setCurl({ command, copied: 'failed' })
    )
  }

  return (
    <div className="delivery-detail" data-testid="delivery-detail" data-id={delivery.id}>
      <div className="detail-toolbar">
        <RequestLine delivery={delivery} />
        <button type="button" className="btn" data-testid="copy-curl" onClick={copyCurl} disabled={!decoded.ok}>
          Copy as cURL
        </button>
        <button
          type="button"
          className="btn"
          data-testid="download-body"
          disabled={!decoded.ok || bytes.length === 0}
          onClick={() => downloadBytes(bytes, safeFileName(`delivery-${delivery.id}`) + fileExtension(format, format === 'binary' ? sniffImage(bytes) : null))}
        >
          Download body
        </button>
        <ConfirmButton label="Delete" confirmLabel="Delete delivery" onConfirm={() => void remove(delivery.id)} testId="delete-delivery" />
      </div>

      {curl && (
        <section className="curl-panel" data-testid="curl-panel">
          <div className="section-title">
            <span>cURL command</span>
            <span className="muted">
              {curl.copied === 'copied' ? 'copied to the clipboard' : curl.copied === 'failed' ? 'clipboard unavailable: select and copy it' : ''}
            </span>
            <span className="spacer" />
            <button type="button" className="btn-link" onClick={() => setCurl(null)} aria-label="Close">
              ×
            </button>
          </div>
          <pre className="code-block" data-testid="curl-command">
            {curl.command}
          </pre>
          <p className="muted small">
            Replays the delivery byte for byte to its capture URL: same method, target, header lines in order and body.
            Bodies that are not plain text are piped through printf.
          </p>
        </section>
      )}

      <InspectorTabs tab={shown} onTab={onTab} verdict={delivery.verdict} secure={delivery.tls !== null} />

      {shown === 'signature' ? (
        <ViewBoundary view="signature panel" deliveryId={delivery.id} failure="The signature panel could not show this delivery">
          <SignaturePanel delivery={delivery} />
        </ViewBoundary>
      ) : shown === 'tls' ? (
        <ViewBoundary view="TLS panel" deliveryId={delivery.id} failure="The TLS panel could not show this delivery">
          <TlsPanel delivery={delivery} />
        </ViewBoundary>
      ) : (
        <>
          {delivery.verdictDetail && (
            <ViewBoundary view="verdict strip" deliveryId={delivery.id} failure="The verdict could not be shown">
              <VerdictStrip verdict={delivery.verdictDetail} onOpen={() => onTab('signature')} />
            </ViewBoundary>
          )}

          <ViewBoundary view="request facts" deliveryId={delivery.id} failure="The request facts could not be shown">
            <MetaGrid delivery={delivery} storedBytes={bytes.length} />

            <section>
              <div className="section-title">
                <span>Headers</span>
                <span className="muted">{delivery.headers.length}</span>
              </div>
              <HeadersTable headers={delivery.headers} latin1={delivery.latin1Headers} />
            </section>

            {delivery.trailers.length > 0 && (
              <section data-testid="trailers-section">
                <div className="section-title">
                  <span>Trailers</span>
                  <span className="muted">{delivery.trailers.length}</span>
                </div>
                <HeadersTable headers={delivery.trailers} latin1={delivery.latin1Trailers} />
              </section>
            )}
          </ViewBoundary>

          <section className="body-section">
            <div className="section-title">
              <span>Body</span>
            </div>
            {decoded.ok ? (
              <BodyPanel bytes={bytes} contentType={delivery.contentType} format={format} truncated={delivery.truncated} deliveryId={delivery.id} />
            ) : (
              <p className="notice">The stored body could not be decoded.</p>
            )}
          </section>
        </>
      )}
    </div>
  )
}

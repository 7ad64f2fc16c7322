import { useMemo, useState } from 'react'
import { contentCodings } from '../../../../shared/lib/content-encoding'
import type { Delivery } from '../../../../shared/model/delivery'
import { useCertificates, useDeliveries, useEndpoints } from '../../app/services-context'
import { ConfirmButton } from '../../components/confirm-button'
import { ViewBoundary } from '../../components/view-boundary'
import { copyText } from '../../lib/clipboard'
import { downloadBytes } from '../../lib/download'
import { formatBytes } from '../../lib/format'
import { CompareWithButton } from '../diff/compare-with-button'
import { RelayTab } from '../relay/relay-tab'
import { SignaturePanel } from '../signature/signature-panel'
import { VerdictStrip } from '../signature/verdict-strip'
import { TlsPanel } from '../tls/tls-panel'
import { BodyPanel } from './body-panel'
import { curlForDelivery, type DeliveryCurl } from './delivery-curl'
import { fileExtension, safeFileName } from './download-body'
import { HeadersTable } from './headers-table'
import { sniffImage } from './image-sniff'
import type { InspectorTab } from './inspector-tab'
import { InspectorTabs } from './inspector-tabs'
import { MetaGrid } from './meta-grid'
import { RequestLine } from './request-line'
import { ResponseSent } from './response-sent'
import { useContentDecoding } from './use-content-decoding'
import { base64ByteLength, useStoredBody } from './use-stored-body'
import { ContentDecodingNotice, ViewPending } from './view-notices'

const NO_BYTES = new Uint8Array(0)

type CurlState = (DeliveryCurl & { copied: 'pending' | 'copied' | 'failed' }) | null

interface DeliveryDetailProps {
  delivery: Delivery
  tab: InspectorTab
  onTab: (tab: InspectorTab) => void
}

export function DeliveryDetail({ delivery, tab, onTab }: DeliveryDetailProps) {
  const endpoints = useEndpoints((s) => s.endpoints)
  const certificates = useCertificates((s) => s.certificates)
  const remove = useDeliveries((s) => s.remove)
  const [curl, setCurl] = useState<CurlState>(null)
  // The TLS tab stays chosen while moving through the list; a plain-HTTP delivery shows its request.
  const shown: InspectorTab = tab === 'tls' && delivery.tls === null ? 'request' : tab

  const body = useStoredBody(delivery.bodyBase64, delivery.contentType)
  const ready = body.status === 'ready'
  const bytes = ready ? body.bytes : NO_BYTES
  const format = ready ? body.format : 'empty'
  // The views show (and search) the body with its Content-Encoding undone; Hex too. Download body
  // and Copy as cURL keep the bytes as received.
  const codings = useMemo(() => contentCodings(delivery.headers), [delivery.headers])
  const content = useContentDecoding(delivery.id, codings, delivery.contentType)
  const decoded = content.status === 'decoded' ? content : null
  const shownBytes = decoded ? decoded.body.bytes : bytes
  const shownFormat = decoded ? decoded.body.format : format

  const bodyFileName = () => safeFileName(`delivery-${delivery.id}`) + fileExtension(format, format === 'binary' ? sniffImage(bytes) : null)
  const copyCurl = () => {
    const built = curlForDelivery(delivery, bytes, endpoints, certificates, bodyFileName())
    setCurl({ ...built, copied: 'pending' })
    copyText(built.command).then(
      () => setCurl({ ...built, copied: 'copied' }),
      () => setCurl({ ...built, copied: 'failed' })
    )
  }

  return (
    <div className="delivery-detail" data-testid="delivery-detail" data-id={delivery.id}>
      <div className="detail-toolbar">
        <RequestLine delivery={delivery} />
        <button type="button" className="btn" data-testid="copy-curl" onClick={copyCurl} disabled={!ready}>
          Copy as cURL
        </button>
        <button
          type="button"
          className="btn"
          data-testid="download-body"
          disabled={!ready || bytes.length === 0}
          onClick={() => downloadBytes(bytes, bodyFileName())}
        >
          Download body
        </button>
        <CompareWithButton deliveryId={delivery.id} />
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
            Replays the delivery byte for byte to its capture URL: same method, target, header lines in order and body. Bodies that are not plain text are piped
            through printf.
          </p>
          {curl.bodyFile && (
            <p className="small" data-testid="curl-body-file">
              The body ({formatBytes(bytes.length)}) is read from <code>{curl.bodyFile}</code>: save it where you run the command.{' '}
              <button type="button" className="btn btn-small" data-testid="curl-save-body" onClick={() => downloadBytes(bytes, curl.bodyFile!)}>
                Save {curl.bodyFile}
              </button>
            </p>
          )}
          {curl.tlsFiles.length > 0 && (
            <p className="small" data-testid="curl-tls-files">
              Needs{' '}
              {curl.tlsFiles.map((file, i) => (
                <span key={file}>
                  {i > 0 && (i === curl.tlsFiles.length - 1 ? ' and ' : ', ')}
                  <code>{file}</code>
                </span>
              ))}{' '}
              in the same folder, as the Certificates page saves them.
            </p>
          )}
          {curl.truncated && (
            <p className="notice small" data-testid="curl-truncated">
              This delivery was truncated at capture: the command sends only the {formatBytes(curl.truncated.stored)} stored, not the{' '}
              {formatBytes(curl.truncated.sent)} the sender sent.
            </p>
          )}
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
      ) : shown === 'relay' ? (
        <ViewBoundary view="relay tab" deliveryId={delivery.id} failure="The Relay tab could not show this delivery's attempts">
          <RelayTab delivery={delivery} />
        </ViewBoundary>
      ) : (
        <>
          {delivery.verdictDetail && (
            <ViewBoundary view="verdict strip" deliveryId={delivery.id} failure="The verdict could not be shown">
              <VerdictStrip verdict={delivery.verdictDetail} onOpen={() => onTab('signature')} />
            </ViewBoundary>
          )}

          <ViewBoundary view="request facts" deliveryId={delivery.id} failure="The request facts could not be shown">
            <MetaGrid delivery={delivery} storedBytes={base64ByteLength(delivery.bodyBase64)} />

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
            {body.status === 'ready' && content.status === 'pending' ? (
              <ViewPending bytes={bytes.length} verb={`Decoding ${codings?.join(', ')}`} />
            ) : body.status === 'ready' ? (
              <>
                <ContentDecodingNotice state={content} storedBytes={bytes.length} />
                <BodyPanel
                  bytes={shownBytes}
                  contentType={delivery.contentType}
                  format={shownFormat}
                  truncated={delivery.truncated || (decoded !== null && (decoded.facts.incomplete || decoded.facts.capped))}
                  deliveryId={delivery.id}
                />
              </>
            ) : body.status === 'pending' ? (
              <ViewPending bytes={base64ByteLength(delivery.bodyBase64)} />
            ) : (
              <p className="notice">The stored body could not be decoded.</p>
            )}
          </section>

          <ViewBoundary view="response sent" deliveryId={delivery.id} failure="The response sent could not be shown">
            <ResponseSent delivery={delivery} />
          </ViewBoundary>
        </>
      )}
    </div>
  )
}

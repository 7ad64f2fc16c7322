import { CA_PEM_FILE, SAMPLE_CLIENT_FILES } from '../../../../shared/lib/cert-file-names'
import { quoteShellArg } from '../../../../shared/lib/shell-quote'
import type { Endpoint } from '../../../../shared/model/endpoint'
import { useEndpoints, useNavigation } from '../../app/services-context'
import { CopyButton } from '../../components/copy-button'

const SAMPLE_BODY = '{"event":"hello","from":"hookscope"}'

/** A curl command that works against this endpoint: HTTPS needs the CA, mTLS a client certificate too. */
export function sampleCurl(endpoint: Endpoint, url: string): string {
  const tls =
    endpoint.tls.mode === 'http'
      ? ''
      : `  --cacert ${CA_PEM_FILE} \\\n` +
        (endpoint.tls.mode === 'https+mtls' ? `  --cert ${SAMPLE_CLIENT_FILES.certFile} --key ${SAMPLE_CLIENT_FILES.keyFile} \\\n` : '')
  return `curl -X POST ${quoteShellArg(url)} \\\n${tls}  -H 'Content-Type: application/json' \\\n  --data-binary ${quoteShellArg(SAMPLE_BODY)}`
}

/** Shown before the first delivery: where to send webhooks, and a command that sends one. */
export function EmptyState() {
  const endpoints = useEndpoints((s) => s.endpoints)
  const loadStatus = useEndpoints((s) => s.loadStatus)
  const listening = endpoints.filter((endpoint) => endpoint.state.status === 'listening' && endpoint.state.url)
  const go = useNavigation((s) => s.go)

  return (
    <div className="empty-state" data-testid="empty-state">
      <h2>Waiting for the first delivery</h2>
      {listening.length === 0 ? (
        <p className="muted">{loadStatus === 'ready' ? 'No endpoint is listening. Create or start one in the Endpoints panel.' : 'Loading endpoints…'}</p>
      ) : (
        <>
          <p className="muted">Point your webhook sender at {listening.length === 1 ? 'this capture URL' : 'one of these capture URLs'}:</p>
          {listening.map((endpoint) => {
            const url = endpoint.state.url!
            const command = sampleCurl(endpoint, url)
            return (
              <div key={endpoint.id} className="capture-target">
                <div className="capture-url-row">
                  <span className="endpoint-name">{endpoint.name}</span>
                  <code className="capture-url" data-testid="capture-url">
                    {url}
                  </code>
                  <CopyButton text={url} label="Copy URL" testId="copy-capture-url" />
                </div>
                <p className="muted">Or send a test delivery from a terminal:</p>
                <div className="command-block">
                  <pre data-testid="sample-curl">{command}</pre>
                  <CopyButton text={command} label="Copy" testId="copy-sample-curl" />
                </div>
                {endpoint.tls.mode !== 'http' && (
                  <p className="muted small">
                    {endpoint.tls.mode === 'https' ? 'The CA certificate comes' : 'The CA certificate and a client certificate come'} from the{' '}
                    <button type="button" className="link-button" onClick={() => go('certificates')}>
                      Certificates page
                    </button>
                    .
                  </p>
                )}
              </div>
            )
          })}
        </>
      )}
    </div>
  )
}

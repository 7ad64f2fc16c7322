import { useMemo } from 'react'
import type { Verdict } from '../../../../shared/model/verdict'
import { JsonTextView } from '../inspector/json-view'

/** A JWS/JWE: its protected header and (when it could be read) its payload, as JSON trees. */
export function TokenView({ token }: { token: NonNullable<Verdict['token']> }) {
  const header = useMemo(() => JSON.stringify(token.protectedHeader, null, 2), [token.protectedHeader])
  const payload = useMemo(() => (token.payload === undefined ? null : toJsonText(token.payload)), [token.payload])
  return (
    <section data-testid="token-view">
      <div className="section-title">Protected header</div>
      <div data-testid="token-header">
        <JsonTextView text={header} label="Protected header" />
      </div>
      {payload !== null && (
        <>
          <div className="section-title">Token payload</div>
          <div data-testid="token-payload">
            <JsonTextView text={payload} label="Token payload" />
          </div>
        </>
      )}
    </section>
  )
}

/** A payload that is a string (a non-JSON JWS payload) is shown as a JSON string. */
function toJsonText(value: unknown): string {
  return JSON.stringify(value, null, 2) ?? 'null'
}

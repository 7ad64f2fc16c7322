import { useMemo } from 'react'
import { prettyXml } from '../../../../shared/lib/xml-pretty'

/** Re-indented as text only: the payload never becomes DOM. */
export function XmlView({ text }: { text: string }) {
  const pretty = useMemo(() => prettyXml(text), [text])
  return (
    <pre className="code-block xml-view" data-testid="xml-view">
      {pretty}
    </pre>
  )
}

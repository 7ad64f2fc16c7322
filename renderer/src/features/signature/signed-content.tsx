import { useState } from 'react'
import { showInvisibles } from '../../lib/visible-whitespace'

/** What the sender's signature should cover, as Hookscope rebuilt it (a preview of at most 4 KiB). */
export function SignedContent({ text }: { text: string }) {
  const [invisibles, setInvisibles] = useState(false)
  return (
    <section>
      <div className="section-title">
        <span>Signed content</span>
        <span className="muted">{text.length.toLocaleString()} characters</span>
        <span className="spacer" />
        <label className="toggle">
          <input type="checkbox" checked={invisibles} data-testid="show-invisibles" onChange={(event) => setInvisibles(event.target.checked)} />
          Show line ends and tabs
        </label>
      </div>
      <pre className="code-block signed-content" data-testid="signed-content">
        {invisibles ? showInvisibles(text) : text}
      </pre>
    </section>
  )
}

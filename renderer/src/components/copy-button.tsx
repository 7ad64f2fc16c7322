import { useEffect, useState } from 'react'
import { copyText } from '../lib/clipboard'

type CopyState = 'idle' | 'copied' | 'failed'

/** Copies text to the clipboard and says whether it worked (the clipboard can be refused). */
export function CopyButton({ text, label, testId }: { text: string; label: string; testId: string }) {
  const [state, setState] = useState<CopyState>('idle')
  useEffect(() => {
    if (state === 'idle') return
    const timer = setTimeout(() => setState('idle'), 1500)
    return () => clearTimeout(timer)
  }, [state])

  const copy = () => {
    copyText(text).then(
      () => setState('copied'),
      () => setState('failed')
    )
  }
  return (
    <button type="button" className="btn btn-small" data-testid={testId} data-state={state} onClick={copy}>
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed: select the text' : label}
    </button>
  )
}

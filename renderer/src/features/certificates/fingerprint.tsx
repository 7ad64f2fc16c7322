import { CopyButton } from '../../components/copy-button'

/** `AB:CD:EF:…:12:34`: enough to compare at a glance; the whole value in the tooltip and the copy. */
export function shortFingerprint(fingerprint: string): string {
  const pairs = fingerprint.split(':')
  return pairs.length <= 8 ? fingerprint : `${pairs.slice(0, 4).join(':')}:…:${pairs.slice(-3).join(':')}`
}

export function Fingerprint({ value, testId = 'cert-fingerprint' }: { value: string; testId?: string }) {
  return (
    <span className="fingerprint-cell">
      <span className="mono fingerprint" title={`SHA-256 ${value}`} data-testid={testId} data-fingerprint={value}>
        {shortFingerprint(value)}
      </span>
      <CopyButton text={value} label="Copy" testId={`${testId}-copy`} />
    </span>
  )
}

/** Beyond this many characters the raw view shows a prefix: a multi-megabyte text node makes layout crawl. */
const MAX_RAW_CHARS = 1024 * 1024

export function RawView({ text }: { text: string }) {
  const clipped = text.length > MAX_RAW_CHARS
  return (
    <>
      {clipped && (
        <p className="notice">
          Showing the first {MAX_RAW_CHARS.toLocaleString()} of {text.length.toLocaleString()} characters. Download the body for all of it.
        </p>
      )}
      <pre className="code-block raw-view" data-testid="raw-view">
        {clipped ? text.slice(0, MAX_RAW_CHARS) : text}
      </pre>
    </>
  )
}

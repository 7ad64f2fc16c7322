import { useEffect, useState } from 'react'
import { formatBytes } from '../../lib/format'
import type { SniffedImage } from './image-sniff'

/**
 * An image body drawn from its own bytes: a blob: URL typed from the sniffed format (never the
 * sender's Content-Type) in an <img>, which runs no script and loads nothing else.
 */
export function ImageView({ bytes, image, testId = 'image-view' }: { bytes: Uint8Array; image: SniffedImage; testId?: string }) {
  const [url, setUrl] = useState<string | null>(null)
  useEffect(() => {
    if (!image.previewable) return
    const objectUrl = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: image.mime }))
    setUrl(objectUrl)
    return () => URL.revokeObjectURL(objectUrl)
  }, [bytes, image])
  const facts = `${image.type.toUpperCase()}, ${image.width.toLocaleString('en-US')} × ${image.height.toLocaleString('en-US')} pixels, ${formatBytes(bytes.length)}`
  return (
    <figure className="image-view" data-testid={testId} data-type={image.type}>
      {image.previewable ? (
        url && <img src={url} alt={`Body image: ${facts}`} decoding="async" data-testid="image-preview" />
      ) : (
        <p className="notice">
          Too large to preview: decoding it would take {Math.round((image.width * image.height * 4) / 1024 / 1024).toLocaleString('en-US')} MiB.
        </p>
      )}
      <figcaption className="muted">{facts}</figcaption>
    </figure>
  )
}

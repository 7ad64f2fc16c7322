import { useVirtualizer } from '@tanstack/react-virtual'
import { useRef } from 'react'
import { hexDumpRow, hexRowCount } from '../../../../shared/lib/hex-dump'

const ROW_HEIGHT = 18

/** Virtualised `hexdump -C`: a 10 MiB body is 655,360 rows, and only the visible ones are formatted. */
export function HexView({ bytes }: { bytes: Uint8Array }) {
  const scrollRef = useRef<HTMLDivElement>(null)
  const virtualizer = useVirtualizer({
    count: hexRowCount(bytes.length),
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 30
  })
  return (
    <div ref={scrollRef} className="hex-view" data-testid="hex-view">
      <div className="hex-canvas" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((item) => {
          const row = hexDumpRow(bytes, item.index)
          return (
            <div key={item.index} className="hex-row" data-testid="hex-row" style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}>
              <span className="hex-offset">{row.offset}</span>
              <span className="hex-bytes">{row.hex}</span>
              <span className="hex-ascii">{row.ascii}</span>
            </div>
          )
        })}
      </div>
    </div>
  )
}

import { useLayoutEffect, useRef, useState } from 'react'
import { ViewBoundary } from '../components/view-boundary'
import { DeliveriesPane } from '../features/deliveries/deliveries-pane'
import { EndpointsPanel } from '../features/endpoints/endpoints-panel'
import { InspectorPane } from '../features/inspector/inspector-pane'
import {
  DETAIL_MIN,
  fitPanes,
  LIST_MIN,
  loadPaneSizes,
  type PaneSizes,
  SIDEBAR_MAX,
  SIDEBAR_MIN,
  SPLITTER_PX,
  savePaneSizes
} from '../features/layout/pane-sizes'
import { Splitter } from '../features/layout/splitter'

const storage = (): Storage | null => {
  try {
    return window.localStorage
  } catch {
    return null
  }
}

/** Endpoints, the live list and the inspector side by side; the two dividers resize them, remembered. */
export function DeliveriesPage() {
  const ref = useRef<HTMLElement>(null)
  const [width, setWidth] = useState(() => window.innerWidth)
  const [sizes, setSizes] = useState<PaneSizes>(() => loadPaneSizes(storage()))

  useLayoutEffect(() => {
    const element = ref.current
    if (!element) return
    setWidth(element.clientWidth)
    const observer = new ResizeObserver(() => setWidth(element.clientWidth))
    observer.observe(element)
    return () => observer.disconnect()
  }, [])

  const { sidebar, list } = fitPanes(sizes, width)
  const change = (next: PaneSizes) => {
    setSizes(next)
    savePaneSizes(storage(), next)
  }

  return (
    <main
      ref={ref}
      className="workspace"
      data-testid="workspace"
      // Set through CSSOM (React style), which the CSP allows.
      style={{ gridTemplateColumns: `${sidebar}px ${SPLITTER_PX}px ${list}px ${SPLITTER_PX}px minmax(0, 1fr)` }}
    >
      <aside className="sidebar" data-testid="sidebar">
        <ViewBoundary view="endpoints pane" failure="The endpoints pane failed">
          <EndpointsPanel />
        </ViewBoundary>
      </aside>
      <Splitter
        label="Resize the endpoints panel"
        testId="splitter-sidebar"
        value={sidebar}
        min={SIDEBAR_MIN}
        max={SIDEBAR_MAX}
        onChange={(value) => change({ ...sizes, sidebar: value })}
        onReset={() => change({ ...sizes, sidebar: null })}
      />
      <section className="list-pane" data-testid="list-pane">
        <ViewBoundary view="list pane" failure="The delivery list failed">
          <DeliveriesPane />
        </ViewBoundary>
      </section>
      <Splitter
        label="Resize the list"
        testId="splitter-list"
        value={list}
        min={LIST_MIN}
        max={Math.max(LIST_MIN, width - sidebar - 2 * SPLITTER_PX - DETAIL_MIN)}
        onChange={(value) => change({ ...sizes, list: value })}
        onReset={() => change({ ...sizes, list: null })}
      />
      <section className="detail-pane" data-testid="detail-pane">
        <ViewBoundary view="inspector pane" failure="The inspector failed">
          <InspectorPane />
        </ViewBoundary>
      </section>
    </main>
  )
}

import { ViewBoundary } from '../components/view-boundary'
import { DeliveriesPane } from '../features/deliveries/deliveries-pane'
import { EndpointsPanel } from '../features/endpoints/endpoints-panel'
import { InspectorPane } from '../features/inspector/inspector-pane'

/** Endpoints, the live list and the inspector side by side. */
export function DeliveriesPage() {
  return (
    <main className="workspace">
      <aside className="sidebar">
        <ViewBoundary view="endpoints pane" failure="The endpoints pane failed">
          <EndpointsPanel />
        </ViewBoundary>
      </aside>
      <section className="list-pane">
        <ViewBoundary view="list pane" failure="The delivery list failed">
          <DeliveriesPane />
        </ViewBoundary>
      </section>
      <section className="detail-pane">
        <ViewBoundary view="inspector pane" failure="The inspector failed">
          <InspectorPane />
        </ViewBoundary>
      </section>
    </main>
  )
}

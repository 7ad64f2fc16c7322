import { DeliveriesPane } from '../features/deliveries/deliveries-pane'
import { EndpointsPanel } from '../features/endpoints/endpoints-panel'
import { InspectorPane } from '../features/inspector/inspector-pane'

/** Endpoints, the live list and the inspector side by side. */
export function DeliveriesPage() {
  return (
    <main className="workspace">
      <aside className="sidebar">
        <EndpointsPanel />
      </aside>
      <section className="list-pane">
        <DeliveriesPane />
      </section>
      <section className="detail-pane">
        <InspectorPane />
      </section>
    </main>
  )
}

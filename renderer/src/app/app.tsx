import { ConnectionIndicator } from '../features/connection/connection-indicator'
import { DeliveriesPane } from '../features/deliveries/deliveries-pane'
import { EndpointsPanel } from '../features/endpoints/endpoints-panel'
import { InspectorPane } from '../features/inspector/inspector-pane'

export function App() {
  return (
    <div className="app">
      <header className="app-toolbar">
        <span className="app-title">Hookscope</span>
        <span className="app-subtitle">webhook inspector</span>
        <span className="spacer" />
        <ConnectionIndicator />
      </header>
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
    </div>
  )
}

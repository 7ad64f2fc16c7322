import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { describeError } from './api/describe-error'
import { createEngineConnection } from './api/engine-client'
import { App } from './app/app'
import { FatalScreen } from './app/fatal-screen'
import { type AppServices, startServices } from './app/services'
import { ServicesProvider } from './app/services-context'
import { readUrlState, syncUrlState } from './app/url-state'
import './styles/app.css'
import './styles/inspector.css'
import './styles/dark.css'

// Errors a ViewBoundary catches are logged by it, once and without the payload; React's own
// report would print the error's message, which can quote the payload.
const root = createRoot(document.getElementById('root')!, { onCaughtError: () => undefined })

let services: AppServices | null = null
let failure: string | null = null
try {
  const { filter, selectedId } = readUrlState(window.location.hash)
  services = startServices(createEngineConnection(), { initialFilter: filter, initialSelectedId: selectedId })
  syncUrlState(services.deliveries, window)
} catch (error) {
  failure = describeError(error)
}

root.render(
  <StrictMode>
    {services ? (
      <ServicesProvider services={services}>
        <App />
      </ServicesProvider>
    ) : (
      <FatalScreen message={failure ?? 'Hookscope could not start.'} />
    )}
  </StrictMode>
)

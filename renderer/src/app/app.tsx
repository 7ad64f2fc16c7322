import type { AuthFailure } from '../api/connection'
import { isAuthFailure } from '../api/connection'
import { ViewBoundary } from '../components/view-boundary'
import { ConnectionIndicator } from '../features/connection/connection-indicator'
import { StoreHealthBanner } from '../features/connection/store-health-banner'
import { FatalScreen } from './fatal-screen'
import { PageNav } from './page-nav'
import { PAGES } from './pages'
import { useConnectionStatus, useNavigation } from './services-context'

const AUTH_MESSAGES: Record<AuthFailure, string> = {
  'wrong-token': 'The server refused this page’s access token: open the UI address printed by `hookscope listen` (it ends in #token=…).',
  'earlier-run': 'This tab belongs to an earlier run of Hookscope: open the new URL printed by `hookscope listen`.'
}

export function App() {
  const page = useNavigation((s) => s.page)
  const status = useConnectionStatus()
  // A refused token is final: one message instead of a half-working app with banners.
  if (isAuthFailure(status)) return <FatalScreen message={AUTH_MESSAGES[status]} reason={status} />
  const View = (PAGES.find((item) => item.id === page) ?? PAGES[0]!).View
  return (
    <div className="app">
      <header className="app-toolbar">
        <span className="app-title">Hookscope</span>
        <span className="app-subtitle">webhook inspector</span>
        <PageNav />
        <span className="spacer" />
        <ConnectionIndicator />
      </header>
      <StoreHealthBanner />
      <ViewBoundary key={page} view={`${page} page`} failure="This page failed">
        <View />
      </ViewBoundary>
    </div>
  )
}

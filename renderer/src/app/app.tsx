import { ViewBoundary } from '../components/view-boundary'
import { ConnectionIndicator } from '../features/connection/connection-indicator'
import { StoreHealthBanner } from '../features/connection/store-health-banner'
import { PageNav } from './page-nav'
import { PAGES } from './pages'
import { useNavigation } from './services-context'

export function App() {
  const page = useNavigation((s) => s.page)
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

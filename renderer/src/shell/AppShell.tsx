import { useEffect, useMemo, useRef } from 'react';
import { useAppInfo } from '../hooks/useAppInfo';
import { useConnection } from '../hooks/useConnection';
import { useRoute } from '../hooks/useRoute';
import { useSettings } from '../hooks/useSettings';
import { useShortcuts, type Shortcut } from '../hooks/useShortcuts';
import { useThemeAttribute } from '../hooks/useThemeAttribute';
import { AgentsPage } from '../pages/AgentsPage';
import { HomePage } from '../pages/HomePage';
import { MessagesPage } from '../pages/MessagesPage';
import { NotFoundPage } from '../pages/NotFoundPage';
import { ProvidersPage } from '../pages/ProvidersPage';
import { SettingsPage } from '../pages/SettingsPage';
import { assertNever, type Route } from '../routes';
import { ConnectionBanner } from './ConnectionBanner';
import { NAV_ITEMS } from './navigation';
import { NoticeBanner } from './NoticeBanner';
import { Sidebar } from './Sidebar';
import { StatusBar } from './StatusBar';

function Page({ route, settings }: { route: Route; settings: ReturnType<typeof useSettings> }) {
  switch (route.page) {
    case 'home':
      return <HomePage />;
    case 'providers':
      return <ProvidersPage />;
    case 'agents':
      return <AgentsPage />;
    case 'messages':
      return <MessagesPage />;
    case 'settings':
      return <SettingsPage settings={settings.settings} save={settings.save} />;
    case 'not-found':
      return <NotFoundPage path={route.path} />;
    default:
      return assertNever(route);
  }
}

/** The window: sidebar, banners, the current page and the status bar. */
export function AppShell() {
  const { route, navigate } = useRoute();
  const connection = useConnection();
  const info = useAppInfo();
  const settings = useSettings();
  useThemeAttribute(settings.settings?.theme);

  const shortcuts = useMemo<ReadonlyArray<Shortcut>>(
    () => NAV_ITEMS.map((item) => ({ digit: item.digit, run: () => navigate({ page: item.page }) })),
    [navigate],
  );
  useShortcuts(shortcuts);

  // After a navigation (not the first render), move focus to the new page's title.
  const mainRef = useRef<HTMLElement>(null);
  const firstRender = useRef(true);
  const routeKey = route.page === 'not-found' ? `not-found:${route.path}` : route.page;
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    mainRef.current?.querySelector<HTMLElement>('[data-page-title]')?.focus({ preventScroll: true });
    mainRef.current?.scrollTo({ top: 0 });
  }, [routeKey]);

  return (
    <div className="app">
      <a className="skip-link" href="#main-content" onClick={(e) => { e.preventDefault(); mainRef.current?.focus(); }}>
        Skip to content
      </a>
      <Sidebar route={route} />
      <div className="main-column">
        <ConnectionBanner state={connection} />
        {info ? <NoticeBanner notices={info.notices} /> : null}
        <main id="main-content" className="content" ref={mainRef} tabIndex={-1} data-page={route.page}>
          <Page route={route} settings={settings} />
        </main>
        <StatusBar info={info} connection={connection} />
      </div>
    </div>
  );
}

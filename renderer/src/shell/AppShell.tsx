import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { AgentInfo } from '../../../preload/contract';
import { useAgents } from '../hooks/useAgents';
import { useAppInfo } from '../hooks/useAppInfo';
import { useConnection } from '../hooks/useConnection';
import { useEffectiveTheme } from '../hooks/useEffectiveTheme';
import { useRoute } from '../hooks/useRoute';
import { useSettings } from '../hooks/useSettings';
import { useShortcuts, type Shortcut } from '../hooks/useShortcuts';
import { useThemeAttribute } from '../hooks/useThemeAttribute';
import type { AgentAlert } from '../notifications/agent-alerts';
import { useAgentNotifications } from '../notifications/useAgentNotifications';
import { OnboardingPage } from '../onboarding/OnboardingPage';
import { AgentsPage } from '../pages/AgentsPage';
import { HomePage } from '../pages/HomePage';
import { MessagesPage } from '../pages/MessagesPage';
import { NotFoundPage } from '../pages/NotFoundPage';
import { ProvidersPage } from '../pages/ProvidersPage';
import { SettingsPage } from '../pages/SettingsPage';
import { assertNever, type Route } from '../routes';
import { ConnectionBanner } from './ConnectionBanner';
import { SearchDialog } from '../search/SearchDialog';
import { RestoreOffer } from './RestoreOffer';
import { IS_MAC } from '../hooks/useShortcuts';
import { NAV_ITEMS } from './navigation';
import { NoticeBanner } from './NoticeBanner';
import { Sidebar } from './Sidebar';
import { StatusBar } from './StatusBar';
import { Toasts } from './Toasts';

// xterm.js and its addons load only when a console opens: the rest of the app starts faster.
const ConsolePage = lazy(() => import('../pages/ConsolePage').then((m) => ({ default: m.ConsolePage })));

interface PageProps {
  route: Route;
  settings: ReturnType<typeof useSettings>;
  agents: ReadonlyArray<AgentInfo> | undefined;
  theme: 'light' | 'dark';
}

function Page({ route, settings, agents, theme }: PageProps) {
  switch (route.page) {
    case 'home':
      return <HomePage />;
    case 'welcome':
      return <OnboardingPage />;
    case 'providers':
      return <ProvidersPage focus={route.section} />;
    case 'agents':
      return <AgentsPage agents={agents} />;
    case 'console':
      return (
        <Suspense fallback={<p className="page-loading">Opening {route.agent}'s console…</p>}>
          <ConsolePage key={route.agent} name={route.agent} agents={agents} settings={settings.settings} theme={theme} reveal={route.find} />
        </Suspense>
      );
    case 'messages':
      return <MessagesPage agents={agents} />;
    case 'settings':
      return <SettingsPage settings={settings.settings} save={settings.save} theme={theme} />;
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
  const theme = useEffectiveTheme(settings.settings?.theme);
  const agents = useAgents();
  const [alerts, setAlerts] = useState<ReadonlyArray<AgentAlert>>([]);
  const onAlert = useCallback((alert: AgentAlert) => setAlerts((list) => [...list.slice(-3), alert]), []);
  const dismissAlert = useCallback((key: string) => setAlerts((list) => list.filter((a) => a.key !== key)), []);
  useAgentNotifications(agents, settings.settings?.notifications ?? false, onAlert);

  const shortcuts = useMemo<ReadonlyArray<Shortcut>>(
    () => NAV_ITEMS.map((item) => ({ digit: item.digit, run: () => navigate({ page: item.page }) })),
    [navigate],
  );
  useShortcuts(shortcuts);

  // Ctrl/Cmd+Shift+F: search every agent's scrollback. Caught before a console's terminal sees it.
  const [searching, setSearching] = useState(false);
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (!(IS_MAC ? event.metaKey : event.ctrlKey) || !event.shiftKey || event.altKey || event.code !== 'KeyF') return;
      event.preventDefault();
      event.stopPropagation();
      setSearching(true);
    };
    window.addEventListener('keydown', onKeyDown, true);
    return () => window.removeEventListener('keydown', onKeyDown, true);
  }, []);

  // After a navigation (not the first render), move focus to the new page's title.
  const mainRef = useRef<HTMLElement>(null);
  const firstRender = useRef(true);
  const routeKey = route.page === 'not-found' ? `not-found:${route.path}` : route.page === 'console' ? `console:${route.agent}` : route.page;
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
      <Sidebar route={route} onSearch={() => setSearching(true)} agents={agents} />
      <div className="main-column">
        <ConnectionBanner state={connection} />
        {info ? <NoticeBanner notices={info.notices} /> : null}
        {connection === 'open' ? <RestoreOffer /> : null}
        <main id="main-content" className="content" ref={mainRef} tabIndex={-1} data-page={route.page}>
          <Page route={route} settings={settings} agents={agents} theme={theme} />
        </main>
        <Toasts
          alerts={alerts}
          notificationsOn={settings.settings?.notifications ?? false}
          consoleShown={route.page === 'console' ? route.agent : undefined}
          onDismiss={dismissAlert}
        />
        <StatusBar info={info} connection={connection} />
        {searching ? (
          <SearchDialog
            agents={agents}
            onClose={() => setSearching(false)}
            onOpen={(agent, find) => {
              setSearching(false);
              navigate({ page: 'console', agent, find });
            }}
          />
        ) : null}
      </div>
    </div>
  );
}

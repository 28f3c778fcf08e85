import { useCallback, useMemo, useSyncExternalStore } from 'react';
import { hrefFor, parseRoute, type Route } from '../routes';

const subscribe = (onChange: () => void) => {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
};
const snapshot = () => window.location.hash;

/** The current hash route, and a way to go to another one (which adds a history entry). */
export function useRoute(): { route: Route; navigate: (route: Route) => void } {
  const hash = useSyncExternalStore(subscribe, snapshot);
  const route = useMemo(() => parseRoute(hash), [hash]);
  const navigate = useCallback((next: Route) => {
    window.location.hash = hrefFor(next);
  }, []);
  return { route, navigate };
}

/** The dashboard link carries `#token=…`: keep it out of the address bar and the history. */
export function removeTokenFromAddress(): void {
  if (/(^#|&)token=/.test(window.location.hash)) {
    window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}`);
  }
}

import { useEffect } from 'react';
import { useAppInfo } from '../hooks/useAppInfo';
import { useProviders } from '../providers/useProviders';
import { hrefFor, parseRoute } from '../routes';
import { onboardingDone } from './onboarding-state';

// Only the Home the window opens on may turn into the welcome: once the user went anywhere, or the
// answer was given, Home stays Home.
let decided = false;
window.addEventListener(
  'hashchange',
  () => {
    decided = true;
  },
  { once: true },
);

/**
 * On first run (no provider has an account and onboarding was neither finished nor skipped), the
 * Home the app opens on is replaced by the welcome.
 */
export function useFirstRunWelcome(): void {
  const info = useAppInfo();
  const providers = useProviders();
  useEffect(() => {
    if (decided || !info || !providers) return;
    decided = true;
    // The address may already have moved on (its hashchange event not yet delivered).
    if (parseRoute(window.location.hash).page !== 'home') return;
    const anyAccount = providers.providers.some((p) => p.accounts.length > 0);
    if (!anyAccount && !onboardingDone(info.dataDir)) window.location.replace(hrefFor({ page: 'welcome' }));
  }, [info, providers]);
}

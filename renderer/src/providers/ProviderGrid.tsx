import type { ProvidersState } from '../../../preload/contract';
import { useAppInfo } from '../hooks/useAppInfo';
import { ProviderCard } from './ProviderCard';
import '../styles/providers.css';

/** Cards for these providers; in Electron the daemon opens the browser itself, the dashboard offers a link. */
export function ProviderGrid({ state, only, compact = false }: { state: ProvidersState; only?: (kind: 'oauth' | 'self-hosted') => boolean; compact?: boolean }) {
  const info = useAppInfo();
  const providers = only ? state.providers.filter((p) => only(p.kind)) : state.providers;
  return (
    <div className={`provider-grid${compact ? ' provider-grid-compact' : ''}`}>
      {providers.map((provider) => (
        <ProviderCard key={provider.id} provider={provider} vault={state.vault} opensItself={info?.host === 'electron'} compact={compact} />
      ))}
    </div>
  );
}

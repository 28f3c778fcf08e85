import { useEffect } from 'react';
import { PageHeader } from '../components/PageHeader';
import { ProviderGrid } from '../providers/ProviderGrid';
import { ShieldIcon } from '../components/Icons';
import { useProviders } from '../providers/useProviders';
import { VaultBanners, weakerProtection } from '../providers/VaultBanners';

/** Every AI provider: sign in, see who is connected and until when, disconnect. */
/** `focus`: a provider whose card to bring into view (`#/providers/<id>`, from the tray). */
export function ProvidersPage({ focus }: { focus?: string } = {}) {
  const state = useProviders();
  const loaded = state !== undefined;
  useEffect(() => {
    if (!focus || !loaded) return;
    // After the shell has scrolled the new page to its top.
    const timer = setTimeout(() => {
      const card = document.querySelector<HTMLElement>(`[data-provider="${CSS.escape(focus)}"]`);
      card?.scrollIntoView({ block: 'center' });
      card?.querySelector<HTMLElement>('h3')?.focus({ preventScroll: true });
    }, 50);
    return () => clearTimeout(timer);
  }, [focus, loaded]);
  const connected = state?.providers.filter((p) => p.accounts.length > 0).length ?? 0;
  return (
    <div className="page page-providers">
      <PageHeader
        title="Providers"
        description={
          state
            ? connected === 0
              ? 'Sign in to the AI providers your agents run on. Your sign-ins stay encrypted on this computer.'
              : `${connected} of ${state.providers.length} providers connected. Agent Relay keeps the sign-ins fresh for your agents.`
            : 'The AI accounts your agents run on.'
        }
        aside={
          state?.vault.protection === 'weaker' ? (
            <span className="vault-weaker" title={weakerProtection(state.vault).full} data-testid="vault-weaker">
              <ShieldIcon size={14} />
              <span>{weakerProtection(state.vault).short}</span>
            </span>
          ) : null
        }
      />
      {state ? (
        <>
          <VaultBanners state={state} />
          <section className="provider-section" aria-labelledby="providers-cloud">
            <h2 id="providers-cloud" className="section-label">
              Sign-in providers
            </h2>
            <ProviderGrid state={state} only={(kind) => kind === 'oauth'} />
          </section>
          <section className="provider-section" aria-labelledby="providers-local">
            <h2 id="providers-local" className="section-label">
              Local and self-hosted models
            </h2>
            <ProviderGrid state={state} only={(kind) => kind === 'self-hosted'} />
          </section>
        </>
      ) : (
        <p className="loading-line" role="status">
          Loading providers…
        </p>
      )}
    </div>
  );
}

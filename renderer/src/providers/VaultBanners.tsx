import { useState } from 'react';
import type { ProvidersState } from '../../../preload/contract';
import { ShieldIcon, WarningIcon } from '../components/Icons';
import { useBridge } from '../hooks/useBridge';
import { failureOf } from '../bridge/bridge-error';

export const WEAKER_PROTECTION_TEXT = 'Weaker protection: your sign-ins are not sealed by a system keychain';

/**
 * What really protects the sign-ins when no OS key store does, as the daemon says it (a key file
 * headless; a fixed built-in key in the app on Linux without a keyring): the first sentence to show,
 * the whole for a tooltip.
 */
export function weakerProtection(vault: ProvidersState['vault']): { short: string; full: string } {
  const full = vault.protectionDetail ?? WEAKER_PROTECTION_TEXT;
  const short = full.match(/^.*?\.(?=\s|$)/)?.[0] ?? full;
  return { short, full };
}

/** No OS key store: nothing is stored until the user agrees to the weaker protection. */
function ConsentBanner({ detail }: { detail: string | undefined }) {
  const bridge = useBridge();
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);
  return (
    <section className="provider-banner provider-banner-consent" aria-labelledby="vault-consent-title" data-testid="vault-consent">
      <ShieldIcon size={18} />
      <div className="provider-banner-body">
        <h2 id="vault-consent-title" className="provider-banner-title">
          This system has no keychain
        </h2>
        <p>
          {detail ??
            'Without a keyring, Agent Relay can only encrypt your sign-ins with a fixed key built into the app: anyone who can read your data folder could decrypt them.'}{' '}
          Agree to continue, or set up a keyring (such as GNOME Keyring or KWallet) and restart.
        </p>
        {failure ? <p className="form-error">{failure}</p> : null}
      </div>
      <button
        type="button"
        className="button button-primary"
        disabled={busy}
        onClick={() => {
          setBusy(true);
          bridge.call('vault.consent').then(
            () => setBusy(false),
            (error: unknown) => {
              setBusy(false);
              setFailure(failureOf(error).message);
            },
          );
        }}
      >
        Agree and continue
      </button>
    </section>
  );
}

/** What stands in the way of the vault or the providers file, above the cards. */
export function VaultBanners({ state }: { state: ProvidersState }) {
  return (
    <>
      {state.vault.consentRequired ? <ConsentBanner detail={state.vault.protectionDetail} /> : null}
      {state.vault.problem ? (
        <div className="provider-banner provider-banner-danger" role="alert">
          <WarningIcon size={18} />
          <div className="provider-banner-body">
            <h2 className="provider-banner-title">Your saved sign-ins could not be read</h2>
            <p>{state.vault.problem}</p>
          </div>
        </div>
      ) : null}
      {state.configProblems.length > 0 ? (
        <div className="provider-banner provider-banner-warning" role="alert" data-testid="config-problems">
          <WarningIcon size={18} />
          <div className="provider-banner-body">
            <h2 className="provider-banner-title">Some of providers.json was not used</h2>
            <ul className="provider-banner-list">
              {state.configProblems.map((problem) => (
                <li key={problem}>{problem}</li>
              ))}
            </ul>
            <p className="provider-banner-hint">The built-in providers work as usual. Fix the file and restart Agent Relay to use it.</p>
          </div>
        </div>
      ) : null}
    </>
  );
}

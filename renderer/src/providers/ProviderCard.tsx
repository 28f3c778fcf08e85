import { useEffect, useId, useRef, useState } from 'react';
import type { AccountView, ProviderView, SignInMethod, VaultStatus } from '../../../preload/contract';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { CheckIcon, WarningIcon } from '../components/Icons';
import { useBridge } from '../hooks/useBridge';
import { AccountRow } from './AccountRow';
import { ApiKeyDialog } from './ApiKeyDialog';
import { brandStyle } from './brand-colour';
import { failureOf } from '../bridge/bridge-error';
import { MethodMenu, type MenuChoice } from './MethodMenu';
import { ProviderLogo } from './ProviderLogo';
import { SelfHostedForm } from './SelfHostedForm';
import { describeFailure } from './SignInError';
import { SignInDialog } from './SignInDialog';
import { bestMethod, menuLabel, primaryLabel } from './sign-in-methods';
import { isRunning, useSignInFlow, type FlowMethod } from './useSignInFlow';

export type CardState = 'not-connected' | 'connecting' | 'connected' | 'needs-signin' | 'error';

const STATE_LABEL: Readonly<Record<CardState, string>> = {
  'not-connected': 'Not connected',
  connecting: 'Connecting…',
  connected: 'Connected',
  'needs-signin': 'Sign in again',
  error: 'Error',
};

/** What the card says after something finished: a disconnect, a failed sign-in. */
type CardNote = { kind: 'info' | 'error'; text: string };

function cardState(accounts: ReadonlyArray<AccountView>, connecting: boolean, failed: boolean): CardState {
  if (connecting) return 'connecting';
  const main = accounts.find((a) => a.isDefault) ?? accounts[0];
  if (!main) return failed ? 'error' : 'not-connected';
  if (main.state === 'needs_signin') return 'needs-signin';
  if (main.state === 'error') return 'error';
  return 'connected';
}

/**
 * An API key the provider did not confirm (it has no check, the key goes to a custom address, or it
 * could not be reached): it is saved and given to agents, but nothing says it works yet.
 */
export function isUncheckedKey(account: AccountView | undefined): boolean {
  return account?.keyCheck === 'not-checked';
}

function stateLabel(state: CardState, accounts: ReadonlyArray<AccountView>): string {
  return state === 'connected' && isUncheckedKey(accounts.find((a) => a.isDefault) ?? accounts[0]) ? 'Saved, not checked' : STATE_LABEL[state];
}

function headline(state: CardState, accounts: ReadonlyArray<AccountView>): string | undefined {
  const main = accounts.find((a) => a.isDefault) ?? accounts[0];
  switch (state) {
    case 'connected':
      if (main && isUncheckedKey(main)) return `Key saved as ${main.name}, not checked`;
      return main ? `Connected as ${main.email ?? main.name}${main.signedInBy ? ` · signed in by ${main.signedInBy}` : ''}` : undefined;
    case 'needs-signin':
      return main ? `${main.name} needs you to sign in again` : undefined;
    case 'error':
      return main ? `${main.name} has a problem` : undefined;
    case 'connecting':
    case 'not-connected':
      return undefined;
  }
}

function disconnectedText(account: AccountView, providerName: string, revoked: boolean): string {
  if (revoked) return `Disconnected ${account.name}. Its token was revoked at ${providerName}.`;
  if (account.signedInBy) return `Disconnected ${account.name}. Its ${account.signedInBy} folder was removed from this computer.`;
  if (account.method === 'api-key' || account.method === 'self-hosted') return `Disconnected ${account.name}. The key itself still works at ${providerName} until you delete it there.`;
  return `Disconnected ${account.name}. ${providerName} could not revoke its token, so it stays valid until it expires.`;
}

/**
 * One provider: its mark and name, its state, its accounts, and the ways to sign in. The sign-in
 * itself runs in a dialog; the card keeps showing where it stands.
 */
export function ProviderCard({ provider, vault, opensItself, compact = false }: { provider: ProviderView; vault: VaultStatus; opensItself: boolean; compact?: boolean }) {
  const bridge = useBridge();
  const signIn = useSignInFlow(provider.id);
  const [apiKeyOpen, setApiKeyOpen] = useState(false);
  const [toDisconnect, setToDisconnect] = useState<AccountView>();
  const [note, setNote] = useState<CardNote>();
  const titleId = useId();
  const flow = signIn.flow;
  const connecting = flow !== undefined && isRunning(flow.progress);
  const locked = vault.consentRequired;

  // A finished flow: success closes the dialog and says so on the card; a failure stays on the card.
  const phase = flow?.progress.phase;
  const flowError = flow?.progress.error;
  const dismiss = signIn.dismiss;
  useEffect(() => {
    if (phase === 'connected') {
      dismiss();
      setNote(undefined);
    } else if (phase === 'starting') {
      // A new attempt (also "Start again" inside the dialog) replaces the last failure's note.
      setNote(undefined);
    } else if (phase === 'cancelled') {
      dismiss();
    } else if (phase === 'error' && flowError) {
      const { title } = describeFailure(flowError);
      // The daemon's sentence often says it already ("Sign-in was denied at …"): no echo.
      // The CLI's own output (after a blank line) stays in the dialog; the card keeps the sentence.
      const sentence = flowError.message.split('\n\n')[0]!;
      const text = sentence.toLowerCase().startsWith(title.toLowerCase()) ? sentence : `${title}. ${sentence}`;
      setNote({ kind: 'error', text });
    }
  }, [phase, flowError, dismiss]);

  // An old sign-in error goes once its cause is gone: an account of this provider connected since
  // (an API key, another window, an import), so the card never shows "Connected" beside it.
  const connectedKey = provider.accounts
    .filter((a) => a.state === 'connected')
    .map((a) => `${a.accountId}@${a.updatedAt}`)
    .join(',');
  const seenConnected = useRef(connectedKey);
  useEffect(() => {
    if (connectedKey === seenConnected.current) return;
    seenConnected.current = connectedKey;
    if (connectedKey !== '') setNote((current) => (current?.kind === 'error' ? undefined : current));
  }, [connectedKey]);

  const state = cardState(provider.accounts, connecting, note?.kind === 'error');
  const start = (method: FlowMethod, account?: string) => {
    setNote(undefined);
    void signIn.start(method, account);
  };
  const run = (method: SignInMethod) => (method === 'api-key' ? setApiKeyOpen(true) : start(method));
  const best = bestMethod(provider);
  const others: MenuChoice[] = provider.methods
    .filter((m) => m !== best)
    .flatMap((m) => {
      const label = menuLabel(m, provider);
      return label ? [{ key: m, label: label.label, hint: label.hint, run: () => run(m) }] : [];
    });
  const several = provider.accounts.length > 1;
  const selfHosted = provider.kind === 'self-hosted';
  const text = headline(state, provider.accounts);
  const unchecked = state === 'connected' && isUncheckedKey(provider.accounts.find((a) => a.isDefault) ?? provider.accounts[0]);
  const connected = provider.accounts.length > 0;

  return (
    <article
      className={`provider-card${compact ? ' provider-card-compact' : ''}`}
      style={brandStyle(provider.brandColor)}
      aria-labelledby={titleId}
      data-state={state}
      data-provider={provider.id}
      data-testid={`provider-${provider.id}`}
    >
      <header className="provider-head">
        <ProviderLogo logo={provider.logo} size={compact ? 36 : 40} />
        <div className="provider-title-block">
          <div className="provider-name-line">
            <h3 id={titleId} className="provider-name" tabIndex={-1}>
              {provider.name}
            </h3>
            <span className="provider-state" data-state={state} data-unchecked={unchecked || undefined} data-testid="provider-state">
              {state === 'connecting' ? <span className="spinner" aria-hidden="true" /> : <span className="provider-state-dot" aria-hidden="true" />}
              {stateLabel(state, provider.accounts)}
            </span>
          </div>
          <p className="provider-description">{provider.description}</p>
        </div>
      </header>

      {provider.notice ? (
        <div className="provider-notice" role="note">
          <WarningIcon size={15} />
          <span>{provider.notice}</span>
        </div>
      ) : null}

      {text ? (
        <p className="provider-headline" data-testid="provider-headline">
          {state === 'connected' && !unchecked ? <CheckIcon size={14} /> : null}
          {text}
        </p>
      ) : null}

      {connected ? (
        <ul className="account-list" aria-label={`${provider.name} accounts`}>
          {provider.accounts.map((account) => (
            <AccountRow
              key={account.accountId}
              account={account}
              several={several}
              weaker={vault.protection === 'weaker'}
              disabled={locked || connecting}
              onSignInAgain={() => best && (best === 'api-key' ? run(best) : start(best, account.accountId))}
              onMakeDefault={() => void bridge.call('providers.setDefault', { provider: provider.id, accountId: account.accountId }).catch((error: unknown) => setNote({ kind: 'error', text: failureOf(error).message }))}
              onDisconnect={() => setToDisconnect(account)}
            />
          ))}
        </ul>
      ) : null}

      {note ? (
        <p className={`provider-note provider-note-${note.kind}`} role={note.kind === 'error' ? 'alert' : 'status'} data-testid="provider-note">
          {note.text}
        </p>
      ) : null}

      {selfHosted ? (
        <SelfHostedForm provider={provider} disabled={locked} />
      ) : (
        <div className="provider-actions">
          {best ? (
            <button
              type="button"
              className={`button ${connected || provider.notice ? 'button-secondary' : 'button-primary'}`}
              disabled={locked || connecting}
              onClick={() => run(best)}
            >
              {connected ? 'Add another account' : provider.notice ? `${primaryLabel(best, provider)} (paid plan)` : primaryLabel(best, provider)}
            </button>
          ) : null}
          <MethodMenu label="Other ways to sign in" choices={others} disabled={locked || connecting} />
        </div>
      )}
      {!selfHosted && best && provider.methodNotes?.[best] ? (
        <p className="provider-method-note" data-testid="provider-method-note">
          {provider.methodNotes[best]}
        </p>
      ) : null}

      {flow ? <SignInDialog provider={provider} flow={flow} signIn={signIn} opensItself={opensItself} /> : null}
      {apiKeyOpen ? <ApiKeyDialog provider={provider} onClose={() => setApiKeyOpen(false)} /> : null}
      {toDisconnect ? (
        <ConfirmDialog
          title="Disconnect account?"
          confirmLabel="Disconnect"
          onClose={() => setToDisconnect(undefined)}
          onConfirm={async () => {
            try {
              const { revoked } = await bridge.call('providers.disconnect', { provider: provider.id, accountId: toDisconnect.accountId });
              setNote({
                kind: 'info',
                text: disconnectedText(toDisconnect, provider.name, revoked),
              });
            } catch (error) {
              setNote({ kind: 'error', text: failureOf(error).message });
            }
          }}
        >
          Disconnect {toDisconnect.name} from {provider.name}? Agents using it keep running until they stop.
        </ConfirmDialog>
      ) : null}
    </article>
  );
}

import type { AccountView } from '../../../preload/contract';
import { useNow } from '../hooks/useNow';
import { ShieldIcon } from '../components/Icons';
import { methodPhrase } from './sign-in-methods';
import { expiryText } from './time-left';

/** "plus" → "Plus plan"; plans that already read as words ("3 models", "Max plan") stay as they are. */
function planText(plan: string): string {
  return /^[a-z][a-z0-9_-]*$/.test(plan) ? `${plan[0]!.toUpperCase()}${plan.slice(1)} plan` : plan;
}

/** The small facts about an account, in one line: plan · expires in … · how · from where. */
function AccountFacts({ account, weaker }: { account: AccountView; weaker: boolean }) {
  const now = useNow(1000);
  const facts = [
    account.plan ? planText(account.plan) : undefined,
    account.expiresAt !== undefined && account.state === 'connected' ? expiryText(account.expiresAt, now) : undefined,
    account.source ?? (account.signedInBy ? methodPhrase(account.method, account.signedInBy) : `via ${methodPhrase(account.method)}`),
    account.configHome ? `kept in ${account.configHome}` : undefined,
  ].filter((fact): fact is string => Boolean(fact));
  return (
    <p className="account-facts">
      {facts.map((fact, index) => (
        <span key={index} className="account-fact">
          {fact}
        </span>
      ))}
      {weaker ? (
        <span className="account-weaker" title="Not sealed by your system keychain: the note at the top of this page says what protects it">
          <ShieldIcon size={12} />
          Weaker protection
        </span>
      ) : null}
    </p>
  );
}

/** One account of a provider: who, its facts, and what can be done with it. */
export function AccountRow({
  account,
  several,
  weaker,
  onMakeDefault,
  onDisconnect,
  onSignInAgain,
  disabled,
}: {
  account: AccountView;
  several: boolean;
  weaker: boolean;
  onMakeDefault: () => void;
  onDisconnect: () => void;
  onSignInAgain: () => void;
  disabled: boolean;
}) {
  const title = account.email && account.email !== account.name ? `${account.name} (${account.email})` : account.name;
  return (
    <li className="account-row" data-state={account.state} data-testid="account-row">
      <span className="account-avatar" aria-hidden="true">
        {(account.name.trim()[0] ?? '?').toUpperCase()}
      </span>
      <div className="account-main">
        <p className="account-name">
          <span className="account-name-text">{title}</span>
          {several && account.isDefault ? <span className="badge badge-default">Default</span> : null}
          {account.state === 'error' ? <span className="badge badge-danger">Error</span> : null}
        </p>
        <AccountFacts account={account} weaker={weaker} />
      </div>
      <div className="account-actions">
        {account.state === 'needs_signin' ? (
          <button type="button" className="button button-small button-primary" onClick={onSignInAgain} disabled={disabled}>
            Sign in again
          </button>
        ) : null}
        {several && !account.isDefault ? (
          <button type="button" className="button button-small button-secondary" onClick={onMakeDefault}>
            Make default
          </button>
        ) : null}
        <button type="button" className="button button-small button-secondary account-disconnect" onClick={onDisconnect} aria-label={`Disconnect ${account.name}`}>
          Disconnect
        </button>
      </div>
      {account.state !== 'connected' && account.stateReason ? <p className="account-reason">{account.stateReason}</p> : null}
      {account.usageLimit ? (
        <p className="account-reason account-limit" role="status" data-testid="account-limit">
          {account.usageLimit.message}
          {account.usageLimit.resetText ? ` · resets ${account.usageLimit.resetText}` : ''}
        </p>
      ) : null}
    </li>
  );
}

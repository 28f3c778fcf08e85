import type { ReactNode } from 'react';
import type { SyncStatus } from '../../../preload/contract';
import { useNow } from '../hooks/useNow';
import { hostOf } from './SyncSignInDialog';
import { errorRemedy, relativeTime, stateLabel } from './sync-view';

/** The daemon's sentences end with the CLI command for terminal users; here a button does it. */
function withoutCliHint(message: string): string {
  return message.replace(/\s*\(agent-relay-desktop [^)]*\)\.?$/, '');
}

/** "synced 3 minutes ago", ticking. */
function LastSync({ at, prefix }: { at: number | undefined; prefix: string }) {
  const now = useNow(1000);
  if (at === undefined) return null;
  return (
    <span className="sync-last" data-testid="sync-last">
      {prefix} <time dateTime={new Date(at).toISOString()} title={new Date(at).toLocaleString()}>{relativeTime(at, now)}</time>
    </span>
  );
}

/** The state in words, its colour and what it means right now. */
export function SyncStatusHeader({ status, action }: { status: SyncStatus; action?: ReactNode }) {
  const { label, tone } = stateLabel(status.state);
  const host = status.server ? hostOf(status.server) : undefined;
  let detail: ReactNode;
  switch (status.state) {
    case 'off':
      detail = status.message && status.signedIn ? status.message : status.signedIn ? 'Signed in; sync is off on this device.' : 'Your provider logins stay on this device only.';
      break;
    case 'signing_in':
      detail = `Waiting for you to approve the sign-in${host ? ` at ${host}` : ''}.`;
      break;
    case 'syncing':
      detail = <>Exchanging changes with {host ?? 'the server'}… <LastSync at={status.lastSyncAt} prefix="· last synced" /></>;
      break;
    case 'up_to_date':
      detail = <LastSync at={status.lastSyncAt} prefix="Synced" />;
      break;
    case 'offline':
      detail = (
        <>
          {status.code && status.code !== 'offline' && status.message ? status.message : `${host ?? 'The sync server'} does not answer. Changes are kept on this device and sent when it does.`}{' '}
          <LastSync at={status.lastSyncAt} prefix="Last synced" />
        </>
      );
      break;
    case 'needs_passphrase':
      detail = status.passphrase === 'choose' ? 'Choose a passphrase to turn sync on.' : 'Enter your passphrase to turn sync on for this device.';
      break;
    case 'error':
      detail = (
        <>
          <span className="sync-error-message">{withoutCliHint(status.message ?? 'Cloud sync failed.')}</span> <span className="sync-remedy">{errorRemedy(status.code).text}</span>
        </>
      );
      break;
    default: {
      const never: never = status.state;
      throw new Error(`Unknown sync state ${String(never)}`);
    }
  }
  return (
    <div className="sync-status" data-testid="sync-status" data-state={status.state} data-tone={tone}>
      <span className="sync-status-icon" aria-hidden="true">
        {tone === 'busy' ? <span className="spinner" /> : <span className="sync-status-dot" />}
      </span>
      <div className="sync-status-text" role="status" aria-live="polite">
        <p className="sync-status-label" data-testid="sync-state">
          {label}
        </p>
        <p className="sync-status-detail">{detail}</p>
      </div>
      {action ? <div className="sync-status-action">{action}</div> : null}
    </div>
  );
}

import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import type { SyncStatus } from '../../../preload/contract';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Switch } from '../components/Switch';
import { useBridge } from '../hooks/useBridge';
import { useNow } from '../hooks/useNow';
import { useRoute } from '../hooks/useRoute';
import { failureOf } from '../providers/bridge-error';
import { ChangePassphraseDialog } from './ChangePassphraseDialog';
import { EMPTY_DRAFT, PassphraseForm, type PassphraseDraft } from './PassphraseForm';
import { RecoveryCodeDialog } from './RecoveryCodeDialog';
import { RemoveServerDataDialog } from './RemoveServerDataDialog';
import { SyncSignInDialog, hostOf } from './SyncSignInDialog';
import { errorRemedy, isSyncOn, relativeTime, stateLabel, WRONG_PASSPHRASE_TEXT } from './sync-view';
import { useSyncSignIn } from './useSyncSignIn';
import { useSyncStatus } from './useSyncStatus';
import '../styles/sync.css';

/** The scroll target of `#/settings/cloud-sync` (the tray's "Cloud sync…" opens it). */
export const CLOUD_SYNC_SECTION = 'cloud-sync';
const SERVER_DRAFT_KEY = 'agent-relay.sync.server-draft';

type Dialogs = 'change-passphrase' | 'remove' | 'sign-out' | undefined;

/** Caught here so the sentence is ours, not a schema's: the daemon checks it again. */
function addressProblem(address: string): string | undefined {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return `"${address}" is not a URL: give the sync server's full address, e.g. https://sync.example.com.`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'The sync server address starts with https://.';
  return undefined;
}

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

function Row({ label, labelId, description, children }: { label: string; labelId: string; description: ReactNode; children: ReactNode }) {
  return (
    <div className="setting-row">
      <div className="setting-text">
        <span className="setting-label" id={labelId}>
          {label}
        </span>
        <div className="setting-description" id={`${labelId}-desc`}>
          {description}
        </div>
      </div>
      <div className="setting-control">{children}</div>
    </div>
  );
}

/** The state in words, its colour and what it means right now. */
function StatusHeader({ status, action }: { status: SyncStatus; action?: ReactNode }) {
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

/** Settings → Cloud sync: sign in, choose or enter the passphrase, then on; every state shown. */
export function CloudSyncSection() {
  const bridge = useBridge();
  const { route } = useRoute();
  const { status, loadError, set: setStatus } = useSyncStatus();
  const signIn = useSyncSignIn();
  const sectionRef = useRef<HTMLElement>(null);
  const serverId = useId();
  const serverHintId = useId();
  const serverErrorId = useId();
  const insecureId = useId();
  const actionErrorId = useId();

  // Drafts survive status changes and refusals; the server address also survives a page change.
  const [server, setServerDraft] = useState(() => sessionStorage.getItem(SERVER_DRAFT_KEY) ?? '');
  const [allowInsecure, setAllowInsecure] = useState(false);
  const [addressError, setAddressError] = useState<string>();
  const [signInServer, setSignInServer] = useState('');
  const [passphrase, setPassphrase] = useState<PassphraseDraft>(EMPTY_DRAFT);
  const [passphraseError, setPassphraseError] = useState<string>();
  const [enabling, setEnabling] = useState(false);
  const [wantOn, setWantOn] = useState(false);
  const [removedHere, setRemovedHere] = useState(false);
  const [recoveryCode, setRecoveryCode] = useState<string>();
  const [dialog, setDialog] = useState<Dialogs>();
  const [busy, setBusy] = useState<'now' | 'toggle'>();
  const [actionError, setActionError] = useState<string>();
  const [notice, setNotice] = useState<string>();

  const setServer = (value: string) => {
    setServerDraft(value);
    sessionStorage.setItem(SERVER_DRAFT_KEY, value);
  };

  // `#/settings/cloud-sync`: after the shell has scrolled the new page to its top, bring this section in.
  const section = route.page === 'settings' ? route.section : undefined;
  useEffect(() => {
    if (section !== CLOUD_SYNC_SECTION) return;
    const timer = setTimeout(() => {
      sectionRef.current?.scrollIntoView({ block: 'start' });
      sectionRef.current?.querySelector<HTMLElement>('h2')?.focus({ preventScroll: true });
    }, 50);
    return () => clearTimeout(timer);
  }, [section]);

  // Signed in: the dialog has done its job; the status now asks for the passphrase.
  const phase = signIn.progress?.phase;
  const { dismiss } = signIn;
  useEffect(() => {
    if (phase === 'connected') dismiss();
  }, [phase, dismiss]);

  const startSignIn = (address: string) => {
    const trimmed = address.trim();
    setActionError(undefined);
    setNotice(undefined);
    const problem = addressProblem(trimmed);
    setAddressError(problem);
    if (problem) return;
    setSignInServer(trimmed);
    void signIn.start(trimmed, allowInsecure);
  };

  const enable = (secret: string, mode: 'choose' | 'enter') => {
    setEnabling(true);
    setPassphraseError(undefined);
    bridge.call('sync.enable', { passphrase: secret }).then(
      (reply) => {
        setEnabling(false);
        setStatus(reply.status);
        setPassphrase(EMPTY_DRAFT);
        setWantOn(false);
        setRemovedHere(false);
        if (reply.recoveryCode) setRecoveryCode(reply.recoveryCode);
      },
      (error: unknown) => {
        setEnabling(false);
        const failure = failureOf(error);
        setPassphraseError(
          failure.code === 'wrong_passphrase'
            ? `${WRONG_PASSPHRASE_TEXT} ${mode === 'enter' ? 'Check it, or enter your recovery code.' : 'This account already has a passphrase: enter that one.'}`
            : failure.message,
        );
      },
    );
  };

  const run = (kind: 'now' | 'toggle', call: () => Promise<SyncStatus>) => {
    setBusy(kind);
    setActionError(undefined);
    setNotice(undefined);
    call().then(
      (next) => {
        setBusy(undefined);
        setStatus(next);
      },
      (error: unknown) => {
        setBusy(undefined);
        setActionError(failureOf(error).message);
      },
    );
  };

  if (status === undefined) {
    return (
      <section className="settings-section" id={CLOUD_SYNC_SECTION} aria-labelledby="settings-cloud-sync" ref={sectionRef}>
        <h2 id="settings-cloud-sync" className="section-label" tabIndex={-1}>
          Cloud sync
        </h2>
        <div className="card settings-card">
          <p className={loadError ? 'form-error sync-pad' : 'loading-line sync-pad'} role={loadError ? 'alert' : 'status'}>
            {loadError ?? 'Loading cloud sync…'}
          </p>
        </div>
      </section>
    );
  }

  const on = isSyncOn(status);
  const remedy = status.state === 'error' ? errorRemedy(status.code) : undefined;
  const showSignIn = !status.signedIn || remedy?.action === 'sign-in';
  const passphraseMode: 'choose' | 'enter' | undefined =
    status.state === 'needs_passphrase' ? (status.passphrase ?? 'enter') : status.signedIn && !on && (wantOn || remedy?.action === 'turn-on') ? (removedHere ? 'choose' : 'enter') : undefined;
  const refusal = addressError ? { code: 'invalid_server', message: addressError } : signIn.refusal;

  const statusAction =
    status.state === 'error' && remedy?.action === 'sync-now' ? (
      <button type="button" className="button button-secondary" disabled={busy !== undefined} onClick={() => run('now', () => bridge.call('sync.now'))}>
        {busy === 'now' ? 'Trying…' : 'Try again'}
      </button>
    ) : undefined;

  return (
    <section className="settings-section sync-section" id={CLOUD_SYNC_SECTION} aria-labelledby="settings-cloud-sync" ref={sectionRef} data-testid="cloud-sync">
      <h2 id="settings-cloud-sync" className="section-label" tabIndex={-1}>
        Cloud sync
      </h2>
      <div className="card settings-card">
        <StatusHeader status={status} action={statusAction} />

        {showSignIn ? (
          <form
            className="sync-signin"
            noValidate
            onSubmit={(event) => {
              event.preventDefault();
              startSignIn(server || status.server || '');
            }}
          >
            {status.signedIn ? null : (
              <p className="sync-lead">
                Keep your provider logins on every device. They are encrypted on this device with a passphrase only you know, so the sync server stores nothing it
                can read. Run your own server or use your company's.
              </p>
            )}
            <div className="form-field">
              <label className="form-label" htmlFor={serverId}>
                Sync server
              </label>
              <div className="input-row">
                <input
                  id={serverId}
                  className="input input-block input-mono"
                  type="url"
                  inputMode="url"
                  placeholder={status.server ?? 'https://sync.example.com'}
                  value={server}
                  spellCheck={false}
                  autoComplete="url"
                  aria-invalid={refusal ? true : undefined}
                  aria-describedby={refusal ? `${serverErrorId} ${serverHintId}` : serverHintId}
                  onChange={(event) => {
                    setServer(event.target.value);
                    setAddressError(undefined);
                  }}
                />
                <button type="submit" className="button button-primary sync-signin-button" disabled={(server.trim() === '' && !status.server) || signIn.progress !== undefined}>
                  {remedy?.action === 'sign-in' ? 'Sign in again' : 'Sign in'}
                </button>
              </div>
              <p className="form-hint" id={serverHintId}>
                An https:// address; http:// is accepted for this computer (127.0.0.1, localhost).
              </p>
              {refusal ? (
                <p className="form-error" id={serverErrorId} role="alert">
                  {refusal.message}
                </p>
              ) : null}
              {refusal?.code === 'insecure_server' || allowInsecure ? (
                <label className="sync-check" htmlFor={insecureId}>
                  <input id={insecureId} type="checkbox" checked={allowInsecure} onChange={(event) => setAllowInsecure(event.target.checked)} />
                  <span>Allow plain http to this server (only on a network you trust)</span>
                </label>
              ) : null}
            </div>
          </form>
        ) : null}

        {passphraseMode && !showSignIn ? (
          <PassphraseForm
            mode={passphraseMode}
            draft={passphrase}
            onDraft={(next) => {
              setPassphrase(next);
              setPassphraseError(undefined);
            }}
            error={passphraseError}
            busy={enabling}
            onSubmit={(secret) => enable(secret, passphraseMode)}
            {...(status.state === 'needs_passphrase' ? {} : { onCancel: () => setWantOn(false) })}
          />
        ) : null}

        {status.signedIn ? (
          <>
            {status.state === 'needs_passphrase' || passphraseMode || showSignIn ? null : (
              <Row
                label="Sync on this device"
                labelId="sync-switch-label"
                description="Your provider logins, end-to-end encrypted, on every device signed in to this account. Turning it off keeps them here."
              >
                <Switch
                  checked={on}
                  disabled={busy !== undefined}
                  labelledBy="sync-switch-label"
                  describedBy="sync-switch-label-desc"
                  onChange={(checked) => {
                    if (checked) {
                      setWantOn(true);
                      setNotice(undefined);
                    } else run('toggle', () => bridge.call('sync.disable'));
                  }}
                />
              </Row>
            )}
            {on ? (
              <Row label="Sync now" labelId="sync-now-label" description="Changes sync on their own within seconds, and every minute. This asks the server right away.">
                <button type="button" className="button button-secondary" disabled={busy !== undefined} aria-describedby="sync-now-label-desc" onClick={() => run('now', () => bridge.call('sync.now'))}>
                  {busy === 'now' ? 'Syncing…' : 'Sync now'}
                </button>
              </Row>
            ) : null}
            <div className="setting-row sync-account">
              <dl className="sync-facts">
                <div>
                  <dt>Server</dt>
                  <dd className="input-mono" data-testid="sync-server">
                    {status.server ?? '—'}
                  </dd>
                </div>
                <div>
                  <dt>Account</dt>
                  <dd data-testid="sync-account">{status.account ?? '—'}</dd>
                </div>
                <div>
                  <dt>This device</dt>
                  <dd data-testid="sync-device">{status.deviceName ?? '—'}</dd>
                </div>
              </dl>
              <div className="sync-account-actions">
                {on ? (
                  <button type="button" className="button button-secondary" onClick={() => setDialog('change-passphrase')}>
                    Change passphrase
                  </button>
                ) : null}
                <button type="button" className="button button-secondary" onClick={() => setDialog('sign-out')}>
                  Sign out
                </button>
              </div>
            </div>
          </>
        ) : null}

        {actionError || notice ? (
          <p id={actionErrorId} className={actionError ? 'form-error sync-pad' : 'sync-notice sync-pad'} role={actionError ? 'alert' : 'status'}>
            {actionError ?? notice}
          </p>
        ) : null}
      </div>

      {status.signedIn ? (
        <div className="card sync-danger" data-testid="sync-danger-zone">
          <div className="setting-row">
            <div className="setting-text">
              <span className="setting-label" id="sync-remove-label">
                Remove my data from the server
              </span>
              <p className="setting-description">Deletes your encrypted vault and device list on {status.server ? hostOf(status.server) : 'the server'}. Logins on your devices stay.</p>
            </div>
            <div className="setting-control">
              <button type="button" className="button button-danger-outline" aria-describedby="sync-remove-label" onClick={() => setDialog('remove')}>
                Remove…
              </button>
            </div>
          </div>
        </div>
      ) : null}

      {signIn.progress ? (
        <SyncSignInDialog
          server={signInServer}
          progress={signIn.progress}
          onCancel={() => void signIn.cancel()}
          onClose={signIn.dismiss}
          onRetry={() => startSignIn(signInServer)}
        />
      ) : null}
      {recoveryCode ? <RecoveryCodeDialog code={recoveryCode} onClose={() => setRecoveryCode(undefined)} /> : null}
      {dialog === 'change-passphrase' ? <ChangePassphraseDialog onClose={() => setDialog(undefined)} onChanged={() => setNotice('Passphrase changed. Use the new one when you set up another device.')} /> : null}
      {dialog === 'remove' ? (
        <RemoveServerDataDialog
          server={status.server}
          onClose={() => setDialog(undefined)}
          onRemoved={() => {
            setRemovedHere(true);
            setWantOn(false);
          }}
        />
      ) : null}
      {dialog === 'sign-out' ? (
        <ConfirmDialog
          title="Sign out of cloud sync?"
          confirmLabel="Sign out"
          onClose={() => setDialog(undefined)}
          onConfirm={() =>
            bridge.call('sync.signOut').then(
              (next) => {
                setStatus(next);
                setWantOn(false);
              },
              (error: unknown) => setActionError(failureOf(error).message),
            )
          }
        >
          <p>This device stops syncing and forgets its sign-in to {status.server ? hostOf(status.server) : 'the server'}. The provider logins on this device stay; your data on the server is kept for your other devices.</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

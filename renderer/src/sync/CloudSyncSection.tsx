import { useEffect, useId, useRef, type ReactNode } from 'react';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Switch } from '../components/Switch';
import { useRoute } from '../hooks/useRoute';
import { ChangePassphraseDialog } from './ChangePassphraseDialog';
import { PassphraseForm } from './PassphraseForm';
import { RecoveryCodeDialog } from './RecoveryCodeDialog';
import { RemoveServerDataDialog } from './RemoveServerDataDialog';
import { SyncSignInDialog, hostOf } from './SyncSignInDialog';
import { SyncStatusHeader } from './SyncStatusHeader';
import { useCloudSync } from './useCloudSync';
import '../styles/sync.css';

/** The scroll target of `#/settings/cloud-sync` (the tray's "Cloud sync…" opens it). */
export const CLOUD_SYNC_SECTION = 'cloud-sync';

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

/** Settings → Cloud sync: sign in, choose or enter the passphrase, then on; every state shown. */
export function CloudSyncSection() {
  const { route } = useRoute();
  const sync = useCloudSync();
  const { status, signIn, remedy, on, showSignIn, passphraseMode, refusal, busy } = sync;
  const sectionRef = useRef<HTMLElement>(null);
  const serverId = useId();
  const serverHintId = useId();
  const serverErrorId = useId();
  const insecureId = useId();
  const actionErrorId = useId();

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

  if (status === undefined) {
    return (
      <section className="settings-section" id={CLOUD_SYNC_SECTION} aria-labelledby="settings-cloud-sync" ref={sectionRef}>
        <h2 id="settings-cloud-sync" className="section-label" tabIndex={-1}>
          Cloud sync
        </h2>
        <div className="card settings-card">
          <p className={sync.loadError ? 'form-error sync-pad' : 'loading-line sync-pad'} role={sync.loadError ? 'alert' : 'status'}>
            {sync.loadError ?? 'Loading cloud sync…'}
          </p>
        </div>
      </section>
    );
  }

  const statusAction =
    status.state === 'error' && remedy?.action === 'sync-now' ? (
      <button type="button" className="button button-secondary" disabled={busy !== undefined} onClick={sync.syncNow}>
        {busy === 'now' ? 'Trying…' : 'Try again'}
      </button>
    ) : undefined;

  return (
    <section className="settings-section sync-section" id={CLOUD_SYNC_SECTION} aria-labelledby="settings-cloud-sync" ref={sectionRef} data-testid="cloud-sync">
      <h2 id="settings-cloud-sync" className="section-label" tabIndex={-1}>
        Cloud sync
      </h2>
      <div className="card settings-card">
        <SyncStatusHeader status={status} action={statusAction} />

        {showSignIn ? (
          <form
            className="sync-signin"
            noValidate
            onSubmit={(event) => {
              event.preventDefault();
              sync.startSignIn(sync.server || status.server || '');
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
                  value={sync.server}
                  spellCheck={false}
                  autoComplete="url"
                  aria-invalid={refusal ? true : undefined}
                  aria-describedby={refusal ? `${serverErrorId} ${serverHintId}` : serverHintId}
                  onChange={(event) => sync.editServer(event.target.value)}
                />
                <button type="submit" className="button button-primary sync-signin-button" disabled={(sync.server.trim() === '' && !status.server) || signIn.progress !== undefined}>
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
              {refusal?.code === 'insecure_server' || sync.allowInsecure ? (
                <label className="sync-check" htmlFor={insecureId}>
                  <input id={insecureId} type="checkbox" checked={sync.allowInsecure} onChange={(event) => sync.setAllowInsecure(event.target.checked)} />
                  <span>Allow plain http to this server (only on a network you trust)</span>
                </label>
              ) : null}
            </div>
          </form>
        ) : null}

        {passphraseMode && !showSignIn ? (
          <PassphraseForm
            mode={passphraseMode}
            draft={sync.passphrase}
            onDraft={sync.editPassphrase}
            error={sync.passphraseError}
            busy={sync.enabling}
            onSubmit={(secret) => sync.enable(secret, passphraseMode)}
            {...(status.state === 'needs_passphrase' ? {} : { onCancel: sync.cancelTurningOn })}
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
                  onChange={sync.toggle}
                />
              </Row>
            )}
            {on ? (
              <Row label="Sync now" labelId="sync-now-label" description="Changes sync on their own within seconds, and every minute. This asks the server right away.">
                <button type="button" className="button button-secondary" disabled={busy !== undefined} aria-describedby="sync-now-label-desc" onClick={sync.syncNow}>
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
                  <button type="button" className="button button-secondary" onClick={() => sync.openDialog('change-passphrase')}>
                    Change passphrase
                  </button>
                ) : null}
                <button type="button" className="button button-secondary" onClick={() => sync.openDialog('sign-out')}>
                  Sign out
                </button>
              </div>
            </div>
          </>
        ) : null}

        {sync.actionError || sync.notice ? (
          <p id={actionErrorId} className={sync.actionError ? 'form-error sync-pad' : 'sync-notice sync-pad'} role={sync.actionError ? 'alert' : 'status'}>
            {sync.actionError ?? sync.notice}
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
              <button type="button" className="button button-danger-outline" aria-describedby="sync-remove-label" onClick={() => sync.openDialog('remove')}>
                Remove…
              </button>
            </div>
          </div>
        </div>
      ) : null}

      {signIn.progress ? (
        <SyncSignInDialog
          server={sync.signInServer}
          progress={signIn.progress}
          onCancel={() => void signIn.cancel()}
          onClose={signIn.dismiss}
          onRetry={() => sync.startSignIn(sync.signInServer)}
        />
      ) : null}
      {sync.recoveryCode ? <RecoveryCodeDialog code={sync.recoveryCode} onClose={sync.dismissRecoveryCode} /> : null}
      {sync.dialog === 'change-passphrase' ? <ChangePassphraseDialog onClose={sync.closeDialog} onChanged={sync.passphraseChanged} /> : null}
      {sync.dialog === 'remove' ? (
        <RemoveServerDataDialog server={status.server} onClose={sync.closeDialog} onRemoved={sync.serverDataRemoved} />
      ) : null}
      {sync.dialog === 'sign-out' ? (
        <ConfirmDialog title="Sign out of cloud sync?" confirmLabel="Sign out" onClose={sync.closeDialog} onConfirm={sync.signOut}>
          <p>This device stops syncing and forgets its sign-in to {status.server ? hostOf(status.server) : 'the server'}. The provider logins on this device stay; your data on the server is kept for your other devices.</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}

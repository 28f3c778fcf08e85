import { useEffect, useState } from 'react';
import type { SyncStatus } from '../../../preload/contract';
import { failureOf } from '../bridge/bridge-error';
import { useBridge } from '../hooks/useBridge';
import { EMPTY_DRAFT, type PassphraseDraft } from './PassphraseForm';
import { errorRemedy, isSyncOn, WRONG_PASSPHRASE_TEXT } from './sync-view';
import { useSyncSignIn } from './useSyncSignIn';
import { useSyncStatus } from './useSyncStatus';

const SERVER_DRAFT_KEY = 'agent-relay.sync.server-draft';

export type SyncDialog = 'change-passphrase' | 'remove' | 'sign-out';
export type PassphraseMode = 'choose' | 'enter';

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

/**
 * Everything Settings → Cloud sync holds and does: the daemon's status, the drafts (which survive
 * status changes and refusals; the server address also survives a page change), the sign-in, the
 * passphrase step, the switch and buttons, and which dialog is open. The section only draws it.
 */
export function useCloudSync() {
  const bridge = useBridge();
  const { status, loadError, set: setStatus } = useSyncStatus();
  const signIn = useSyncSignIn();

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
  const [dialog, setDialog] = useState<SyncDialog>();
  const [busy, setBusy] = useState<'now' | 'toggle'>();
  const [actionError, setActionError] = useState<string>();
  const [notice, setNotice] = useState<string>();

  // Signed in: the dialog has done its job; the status now asks for the passphrase.
  const phase = signIn.progress?.phase;
  const { dismiss } = signIn;
  useEffect(() => {
    if (phase === 'connected') dismiss();
  }, [phase, dismiss]);

  const editServer = (value: string) => {
    setServerDraft(value);
    sessionStorage.setItem(SERVER_DRAFT_KEY, value);
    setAddressError(undefined);
  };

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

  const editPassphrase = (next: PassphraseDraft) => {
    setPassphrase(next);
    setPassphraseError(undefined);
  };

  const enable = (secret: string, mode: PassphraseMode) => {
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

  const syncNow = () => run('now', () => bridge.call('sync.now'));

  /** On asks for the passphrase first; off is at once. */
  const toggle = (checked: boolean) => {
    if (checked) {
      setWantOn(true);
      setNotice(undefined);
    } else run('toggle', () => bridge.call('sync.disable'));
  };

  const signOut = () =>
    bridge.call('sync.signOut').then(
      (next) => {
        setStatus(next);
        setWantOn(false);
      },
      (error: unknown) => setActionError(failureOf(error).message),
    );

  const serverDataRemoved = () => {
    setRemovedHere(true);
    setWantOn(false);
  };

  // What the status means for the form: sign in, the passphrase step, or the switch.
  const on = status ? isSyncOn(status) : false;
  const remedy = status?.state === 'error' ? errorRemedy(status.code) : undefined;
  const showSignIn = status ? !status.signedIn || remedy?.action === 'sign-in' : false;
  const passphraseMode: PassphraseMode | undefined =
    status?.state === 'needs_passphrase'
      ? (status.passphrase ?? 'enter')
      : status?.signedIn && !on && (wantOn || remedy?.action === 'turn-on')
        ? removedHere
          ? 'choose'
          : 'enter'
        : undefined;
  const refusal = addressError ? { code: 'invalid_server', message: addressError } : signIn.refusal;

  return {
    status,
    loadError,
    on,
    remedy,
    showSignIn,
    passphraseMode,
    signIn,
    server,
    editServer,
    allowInsecure,
    setAllowInsecure,
    refusal,
    signInServer,
    startSignIn,
    passphrase,
    editPassphrase,
    passphraseError,
    enabling,
    enable,
    cancelTurningOn: () => setWantOn(false),
    busy,
    syncNow,
    toggle,
    signOut,
    serverDataRemoved,
    recoveryCode,
    dismissRecoveryCode: () => setRecoveryCode(undefined),
    dialog,
    openDialog: (which: SyncDialog) => setDialog(which),
    closeDialog: () => setDialog(undefined),
    passphraseChanged: () => setNotice('Passphrase changed. Use the new one when you set up another device.'),
    actionError,
    notice,
  };
}

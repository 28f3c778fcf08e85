import type { SignInProgress } from '../../../preload/contract';
import { Dialog } from '../components/Dialog';
import { DialogFooter } from '../components/DialogFooter';
import { DeviceCodePanel } from '../providers/DeviceCodePanel';
import { describeFailure, SignInError } from '../providers/SignInError';
import { WaitingLine } from '../components/Spinner';
import { isSignInRunning } from './useSyncSignIn';
import '../styles/providers.css';

const FALLBACK_ERROR = { code: 'sign_in_failed', message: 'The sign-in stopped.' };

/** The sync server's sign-in, the way a provider's device-code sign-in looks: code, Copy, Open, countdown, Cancel. */
export function SyncSignInDialog({ server, progress, onCancel, onClose, onRetry }: { server: string; progress: SignInProgress; onCancel: () => void; onClose: () => void; onRetry: () => void }) {
  const running = isSignInRunning(progress);
  const close = running ? onCancel : onClose;
  const host = hostOf(server);
  return (
    <Dialog title="Sign in to your sync server" description={server} onClose={close} className="signin-dialog" testId="sync-signin-dialog">
      <div className="dialog-body">
        <Body host={host} progress={progress} />
        <DialogFooter
          hint={running ? <><kbd>Esc</kbd> cancels</> : null}
          onCancel={close}
          cancelLabel={running ? 'Cancel' : 'Close'}
          action={progress.phase === 'error' ? { label: describeFailure(progress.error ?? FALLBACK_ERROR).retry, autoFocus: true, onClick: onRetry } : undefined}
        />
      </div>
    </Dialog>
  );
}

function Body({ host, progress }: { host: string; progress: SignInProgress }) {
  switch (progress.phase) {
    case 'starting':
    case 'open-url':
    case 'need-code':
      return <WaitingLine>{`Contacting ${host}…`}</WaitingLine>;
    case 'device-code':
      return <DeviceCodePanel provider={{ name: host }} progress={progress} />;
    case 'error':
      return <SignInError error={progress.error ?? FALLBACK_ERROR} />;
    case 'connected':
      return <WaitingLine>Signed in. Checking the account…</WaitingLine>;
    case 'cancelled':
      return <p className="signin-lead">The sign-in was cancelled.</p>;
    default: {
      const never: never = progress.phase;
      throw new Error(`Unknown phase ${String(never)}`);
    }
  }
}

export function hostOf(server: string): string {
  try {
    return new URL(server).host;
  } catch {
    return server;
  }
}

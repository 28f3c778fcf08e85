import type { SignInProgress } from '../../../preload/contract';
import { Dialog } from '../components/Dialog';
import { DeviceCodePanel } from '../providers/DeviceCodePanel';
import { describeFailure, SignInError } from '../providers/SignInError';
import { WaitingLine } from '../providers/Spinner';
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
        <footer className="dialog-footer">
          <span className="dialog-footer-hint">{running ? <><kbd>Esc</kbd> cancels</> : null}</span>
          <button type="button" className="button button-secondary" onClick={close}>
            {running ? 'Cancel' : 'Close'}
          </button>
          {progress.phase === 'error' ? (
            <button type="button" className="button button-primary" onClick={onRetry} autoFocus>
              {describeFailure(progress.error ?? FALLBACK_ERROR).retry}
            </button>
          ) : null}
        </footer>
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

import type { ProviderView, SignInProgress } from '../../../preload/contract';
import { CopyButton } from '../components/CopyButton';
import { OpenLink } from './OpenLink';
import { WaitingLine } from '../components/Spinner';
import { useCountdown } from './useCountdown';

/** RFC 8628: the code to enter, where to enter it, how long it lasts (providers and the sync server). */
export function DeviceCodePanel({ provider, progress }: { provider: Pick<ProviderView, 'name'>; progress: SignInProgress }) {
  const left = useCountdown(progress.expiresAt);
  const code = progress.userCode ?? '';
  const openUrl = progress.verificationUriComplete ?? progress.verificationUri;
  return (
    <div className="signin-panel" data-testid="device-panel">
      <p className="signin-lead">
        Open {provider.name} and enter this code{progress.verificationUriComplete ? ' (the link fills it in for you)' : ''}:
      </p>
      <div className="device-code-box">
        <output className="device-code" aria-label="Your code" data-testid="device-code">
          {code}
        </output>
        <div className="device-code-actions">
          <CopyButton text={code} />
          {openUrl ? (
            <OpenLink href={openUrl} variant="primary">
              Open {provider.name}
            </OpenLink>
          ) : null}
        </div>
      </div>
      {progress.verificationUri ? (
        <p className="signin-fineprint">
          Or go to <span className="signin-url" data-testid="verification-uri">{progress.verificationUri}</span> on any device.
        </p>
      ) : null}
      <WaitingLine>Waiting for you to approve…</WaitingLine>
      <p className="signin-fineprint">{left.over ? 'The code has expired.' : <>The code expires in <span className="signin-timer">{left.text}</span>.</>}</p>
    </div>
  );
}

import type { ProviderView, SignInProgress } from '../../../preload/contract';
import { OpenLink } from './OpenLink';
import { WaitingLine } from '../components/Spinner';
import { useCountdown } from './useCountdown';

/** The daemon's loopback server waits 5 minutes for the browser to come back. */
const BROWSER_TIMEOUT_MS = 5 * 60_000;

/** Waiting for the browser: where to sign in, how long it stays open, and the way out. */
export function BrowserPanel({ provider, progress, since, opensItself }: { provider: ProviderView; progress: SignInProgress; since: number; opensItself: boolean }) {
  const left = useCountdown(since + BROWSER_TIMEOUT_MS);
  const url = progress.url;
  return (
    <div className="signin-panel" data-testid="browser-panel">
      <p className="signin-lead">
        {opensItself
          ? `Your browser opened ${provider.name}'s sign-in page. Sign in there, then come back here.`
          : `Open ${provider.name}'s sign-in page, sign in there, then come back here.`}
      </p>
      {url ? (
        <div className="signin-actions-center">
          {opensItself ? (
            <OpenLink href={url} variant="link">
              Open sign-in page again
            </OpenLink>
          ) : (
            <OpenLink href={url} variant="primary">
              Open {provider.name} sign-in
            </OpenLink>
          )}
        </div>
      ) : null}
      <WaitingLine>Waiting for you to sign in…</WaitingLine>
      <p className="signin-fineprint">
        {left.over ? 'This sign-in has timed out.' : <>This sign-in stays open for <span className="signin-timer">{left.text}</span>.</>}
      </p>
    </div>
  );
}

import type { SignInProgress } from '../../../preload/contract';
import { WarningIcon } from '../components/Icons';

/** The words for a failed sign-in: what happened, and what the retry button does. */
export function describeFailure(error: NonNullable<SignInProgress['error']>): { title: string; retry: string } {
  switch (error.code) {
    case 'expired_token':
      return { title: 'The code expired', retry: 'Get a new code' };
    case 'access_denied':
      return { title: 'Sign-in was denied', retry: 'Try again' };
    case 'timeout':
      return { title: 'The sign-in timed out', retry: 'Try again' };
    case 'port_in_use':
      return { title: 'The sign-in port is busy', retry: 'Try again' };
    case 'consent_required':
      return { title: 'Agree to weaker protection first', retry: 'Try again' };
    case 'not_signed_in':
      return { title: 'Nothing to import', retry: 'Try again' };
    case 'cli_login_failed':
      return { title: 'The sign-in did not finish', retry: 'Start again' };
    case 'cli_not_found':
      return { title: 'The provider’s CLI is not installed', retry: 'Try again' };
    default:
      return { title: "Sign-in didn't work", retry: 'Try again' };
  }
}

/** A finished, failed sign-in: what happened, in the daemon's words (the retry is in the footer). */
export function SignInError({ error }: { error: NonNullable<SignInProgress['error']> }) {
  const { title } = describeFailure(error);
  // A CLI-run sign-in adds the CLI's own last lines after a blank line: shown as they were printed.
  const [sentence, ...rest] = error.message.split('\n\n');
  const output = rest.join('\n\n');
  return (
    <div className="signin-panel" data-testid="signin-error">
      <div className="form-failure" role="alert">
        <WarningIcon />
        <div>
          <p className="form-failure-title">{title}</p>
          <p className="form-failure-text">{sentence}</p>
          {output ? (
            <pre className="cli-output" data-testid="cli-output" aria-label="What the CLI printed">
              {output}
            </pre>
          ) : null}
        </div>
      </div>
    </div>
  );
}

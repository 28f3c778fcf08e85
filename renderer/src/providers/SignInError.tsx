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
    default:
      return { title: "Sign-in didn't work", retry: 'Try again' };
  }
}

/** A finished, failed sign-in: what happened, in the daemon's words (the retry is in the footer). */
export function SignInError({ error }: { error: NonNullable<SignInProgress['error']> }) {
  const { title } = describeFailure(error);
  return (
    <div className="signin-panel" data-testid="signin-error">
      <div className="form-failure" role="alert">
        <WarningIcon />
        <div>
          <p className="form-failure-title">{title}</p>
          <p className="form-failure-text">{error.message}</p>
        </div>
      </div>
    </div>
  );
}

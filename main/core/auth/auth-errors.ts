/**
 * Errors of the sign-in flows as values: a code the UI and CLI act on, and a sentence a person reads.
 * Flows resolve to an AuthResult; they do not throw for anything a user or a provider can cause.
 */
export type AuthErrorCode =
  | 'port_in_use'
  | 'state_mismatch'
  | 'missing_code'
  | 'access_denied'
  | 'already_used'
  | 'timeout'
  | 'cancelled'
  | 'expired_token'
  | 'device_login_disabled'
  | 'needs_signin'
  | 'invalid_grant'
  | 'refresh_token_reused'
  | 'refresh_token_expired'
  | 'refresh_token_invalidated'
  | 'unauthorized'
  | 'not_signed_in'
  | 'method_not_supported'
  | 'provider_misconfigured'
  | 'discovery_failed'
  | 'network_error'
  | 'provider_error'
  | 'invalid_code'
  | 'lock_timeout'
  | 'providers_config_invalid'
  | 'no_subscription'
  | 'cli_not_found'
  | 'cli_login_failed'
  | 'insecure_verification_uri'
  | 'provider_override_incomplete';

export interface AuthError {
  readonly code: AuthErrorCode;
  readonly message: string;
}

export type AuthResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: AuthError };

export function ok<T>(value: T): AuthResult<T> {
  return { ok: true, value };
}

export function fail<T = never>(code: AuthErrorCode, message: string): AuthResult<T> {
  return { ok: false, error: { code, message } };
}

/** Carries an AuthError through internal async code; public functions turn it back into a value. */
export class AuthFailure extends Error {
  constructor(
    readonly code: AuthErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AuthFailure';
  }

  toError(): AuthError {
    return { code: this.code, message: this.message };
  }
}

export const CANCELLED_MESSAGE = 'Sign-in was cancelled.';

export function assertNever(value: never): never {
  throw new Error(`Unhandled case: ${String(value)}`);
}

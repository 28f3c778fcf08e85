/**
 * Errors of cloud sync as values: a code the UI and CLI act on, and a sentence a person reads.
 * Never carries a token, passphrase, key or blob.
 */
export type SyncErrorCode =
  | 'wrong_passphrase'
  | 'passphrase_too_short'
  | 'blob_tampered'
  | 'envelope_invalid'
  | 'offline'
  | 'needs_signin'
  | 'not_signed_in'
  | 'not_enabled'
  | 'device_revoked'
  | 'version_conflict'
  | 'rate_limited'
  | 'too_large'
  | 'server_error'
  | 'insecure_server'
  | 'invalid_server'
  | 'consent_required'
  | 'sign_in_failed'
  | 'no_such_flow';

export class SyncError extends Error {
  constructor(
    readonly code: SyncErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SyncError';
  }
}

export const WRONG_PASSPHRASE_MESSAGE =
  'That passphrase does not unlock your sync vault. Enter the sync passphrase you chose on your first device, or your recovery code.';
export const BLOB_TAMPERED_MESSAGE =
  'The vault on the sync server failed its integrity check (altered, cut short, or sealed with another key), so nothing from it was applied.';

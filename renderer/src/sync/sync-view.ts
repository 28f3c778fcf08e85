import type { SyncState, SyncStatus } from '../../../preload/contract';
import { countText } from '../components/count-text';

/** The daemon refuses shorter ones (main/core/sync/crypto.ts MIN_PASSPHRASE_LENGTH). */
export const MIN_PASSPHRASE_LENGTH = 8;

export const WRONG_PASSPHRASE_TEXT = "That passphrase does not unlock this account's vault.";

export type Tone = 'neutral' | 'busy' | 'ok' | 'warning' | 'danger';

/** The words and colour of each state, as Settings and the tray say them. */
export function stateLabel(state: SyncState): { label: string; tone: Tone } {
  switch (state) {
    case 'off':
      return { label: 'Off', tone: 'neutral' };
    case 'signing_in':
      return { label: 'Signing in', tone: 'busy' };
    case 'syncing':
      return { label: 'Syncing', tone: 'busy' };
    case 'up_to_date':
      return { label: 'Up to date', tone: 'ok' };
    case 'offline':
      return { label: 'Offline — changes kept locally', tone: 'warning' };
    case 'needs_passphrase':
      return { label: 'Needs passphrase', tone: 'warning' };
    case 'error':
      return { label: 'Error', tone: 'danger' };
    default: {
      const never: never = state;
      throw new Error(`Unknown sync state ${String(never)}`);
    }
  }
}

/** Sync runs on this device (the switch is on), whatever the last exchange did. */
export function isSyncOn(status: SyncStatus): boolean {
  switch (status.state) {
    case 'syncing':
    case 'up_to_date':
    case 'offline':
      return true;
    case 'error':
      // These two stop sync on this device; the rest (a tampered blob, a server error) retry.
      return status.code !== 'needs_signin' && status.code !== 'device_revoked';
    case 'off':
    case 'signing_in':
    case 'needs_passphrase':
      return false;
    default: {
      const never: never = status.state;
      throw new Error(`Unknown sync state ${String(never)}`);
    }
  }
}

/** What to do about an error, as a sentence and the button that does it. */
export function errorRemedy(code: string | undefined): { text: string; action: 'sign-in' | 'turn-on' | 'sync-now' } {
  switch (code) {
    case 'needs_signin':
      return { text: 'Sign in again below; the logins on this device are kept.', action: 'sign-in' };
    case 'device_revoked':
      return { text: 'This device was removed from the account. Turn sync on again to register it anew.', action: 'turn-on' };
    case 'blob_tampered':
      return { text: 'Nothing from the server was applied. If it persists, remove your data from the server and turn sync on again.', action: 'sync-now' };
    default:
      return { text: 'Try again; if it keeps failing, check that the sync server is running.', action: 'sync-now' };
  }
}

/** "just now", "12 seconds ago", "3 minutes ago", "2 hours ago", "5 days ago". */
export function relativeTime(at: number, now: number): string {
  const seconds = Math.max(0, Math.floor((now - at) / 1000));
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${countText(seconds, 'second')} ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${countText(minutes, 'minute')} ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${countText(hours, 'hour')} ago`;
  return `${countText(Math.floor(hours / 24), 'day')} ago`;
}

export type Strength = { score: 0 | 1 | 2 | 3 | 4; label: string };

/**
 * A rough guide, not a guarantee: length counts most (a passphrase of words beats a short
 * password with symbols), variety a little, and repeats or a single class count against it.
 */
export function passphraseStrength(passphrase: string): Strength {
  if (passphrase.length === 0) return { score: 0, label: '' };
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) return { score: 0, label: `Too short — at least ${MIN_PASSPHRASE_LENGTH} characters` };
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(passphrase)).length;
  const distinct = new Set(passphrase).size;
  let bits = passphrase.length * (classes >= 3 ? 3.5 : classes === 2 ? 3 : 2.3);
  if (distinct < passphrase.length / 3) bits /= 2;
  if (/\s/.test(passphrase.trim()) && passphrase.length >= 16) bits += 10;
  if (bits < 35) return { score: 1, label: 'Weak — add words or characters' };
  if (bits < 55) return { score: 2, label: 'Fair' };
  if (bits < 75) return { score: 3, label: 'Strong' };
  return { score: 4, label: 'Very strong' };
}

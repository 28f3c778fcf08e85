import {
  MIN_PASSPHRASE_LENGTH,
  createKeyEnvelope,
  generateRecoveryCode,
  generateVaultKey,
  parseKeyEnvelope,
  rewrapKeyEnvelope,
  unwrapVaultKey,
} from './crypto.js';
import type { SyncClient } from './sync-client.js';
import { SyncError } from './sync-errors.js';

/** The vault key's envelope on the server: the key wrapped by the passphrase and the recovery code. */

export const PASSPHRASE_TOO_SHORT = `Choose a sync passphrase of at least ${MIN_PASSPHRASE_LENGTH} characters.`;

/**
 * The vault key for this passphrase (or recovery code). The first device makes the key and its
 * envelope and gets the recovery code to show once; if another device got there first, its
 * passphrase is the one.
 */
export async function unlockVaultKey(
  client: SyncClient,
  current: { version: number; envelope: unknown },
  passphrase: string,
): Promise<{ key: Buffer; recoveryCode?: string }> {
  if (current.envelope !== null) return { key: (await unwrapVaultKey(parseKeyEnvelope(current.envelope), passphrase)).key };
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) throw new SyncError('passphrase_too_short', PASSPHRASE_TOO_SHORT);
  const fresh = generateVaultKey();
  const recoveryCode = generateRecoveryCode();
  const put = await client.putKey(current.version, await createKeyEnvelope(fresh, passphrase, recoveryCode));
  if (put.ok) return { key: fresh, recoveryCode };
  return { key: (await unwrapVaultKey(parseKeyEnvelope(put.current), passphrase)).key };
}

/** Wraps the same vault key with a new passphrase (long enough: checked by the caller); the current one must open it. */
export async function changeVaultPassphrase(client: SyncClient, vaultKey: Buffer, current: string, next: string): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const stored = await client.getKey();
    if (stored.envelope === null) throw new SyncError('not_enabled', 'The sync server holds no key envelope any more; turn sync off and on again.');
    const envelope = parseKeyEnvelope(stored.envelope);
    const opened = await unwrapVaultKey(envelope, current);
    if (!opened.key.equals(vaultKey)) throw new SyncError('wrong_passphrase', 'That passphrase belongs to another vault key; turn sync off and on again.');
    const put = await client.putKey(stored.version, await rewrapKeyEnvelope(envelope, vaultKey, next));
    if (put.ok) return;
  }
  throw new SyncError('version_conflict', 'The key envelope kept changing on the server; try again.');
}

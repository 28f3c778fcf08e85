import type { Logger } from '../logging/logger.js';
import type { CredentialVault } from '../vault/credential-vault.js';
import { EMPTY_CONTENTS, parseContents, serializeContents } from '../vault/vault-codec.js';
import type { VaultContents } from '../vault/vault-types.js';
import { openBlob, sealBlob } from './crypto.js';
import type { SyncClient } from './sync-client.js';
import { changedAccounts, digestOf, syncable } from './sync-contents.js';
import { SyncError } from './sync-errors.js';

const MAX_CONFLICT_RETRIES = 5;

/**
 * One device's side of the vault on the server: pulls and merges the server's copy per account
 * (newest wins, tombstones kept), pushes the local copy with optimistic concurrency, and remembers
 * the version and content it last saw so an unchanged vault is not sent again.
 */
export class VaultExchange {
  private knownVersion: number | undefined;
  private remoteDigest: string | undefined;

  constructor(
    private readonly logger: Logger,
    /** Accounts another device changed, once merged here. */
    private readonly onMerged: (changed: ReadonlyArray<{ provider: string; accountId: string }>) => void,
  ) {}

  /** Forget what the server held (sync turned on again, another server or key). */
  reset(): void {
    this.knownVersion = undefined;
    this.remoteDigest = undefined;
  }

  /** Pull (always for `pull`, or when nothing was seen yet), then push until the server holds what this device holds. */
  async run(client: SyncClient, vault: CredentialVault, key: Buffer, mode: 'pull' | 'push'): Promise<void> {
    if (mode === 'pull' || this.knownVersion === undefined) {
      const remote = await client.getVault();
      await this.applyRemote(vault, key, remote.version, remote.blob);
    }
    for (let attempt = 0; ; attempt++) {
      const local = syncable(await vault.exportContents());
      const digest = digestOf(local);
      if (digest === this.remoteDigest) return;
      if (attempt >= MAX_CONFLICT_RETRIES) throw new SyncError('version_conflict', 'Other devices kept writing at the same time; this device will try again shortly.');
      const put = await client.putVault(this.knownVersion ?? 0, sealBlob(key, serializeContents(local)));
      if (put.ok) {
        this.knownVersion = put.version;
        this.remoteDigest = digest;
        this.logger.info('cloud sync pushed the vault', { version: put.version });
        return;
      }
      // 409: someone wrote first. Merge what they wrote, then write again on their version.
      this.logger.info('cloud sync write conflict; merging and retrying', { version: put.version });
      await this.applyRemote(vault, key, put.version, put.current);
    }
  }

  /** Opens the server's copy (refused if altered), merges it per entry, tells the UI and agents. */
  private async applyRemote(vault: CredentialVault, key: Buffer, version: number, blob: string | null): Promise<void> {
    let remote: VaultContents = EMPTY_CONTENTS;
    if (blob !== null) {
      const parsed = parseContents(openBlob(key, blob));
      if (!parsed.ok) throw new SyncError('blob_tampered', `The vault on the sync server could not be read (${parsed.reason}); nothing from it was applied.`);
      remote = syncable(parsed.contents);
    }
    const before = syncable(await vault.exportContents());
    await vault.merge(remote);
    const after = syncable(await vault.exportContents());
    this.knownVersion = version;
    this.remoteDigest = digestOf(remote);
    const changed = changedAccounts(before, after);
    if (changed.length > 0) {
      this.logger.info('cloud sync merged changes from another device', { accounts: changed.length });
      this.onMerged(changed);
    }
  }
}

import fs from 'node:fs';
import { writeFileAtomic } from '../../main/core/base/atomic-file.js';
import type { CredentialStore, StoredAccount } from '../../main/core/auth/credential-store.js';

/**
 * The credential store for tests: plain JSON in one file (the real vault encrypts). Every load reads
 * the file, so two processes sharing it see each other's writes, as with the vault.
 */
export class JsonCredentialStore implements CredentialStore {
  saves = 0;

  constructor(readonly file: string) {}

  private readAll(): Record<string, StoredAccount> {
    try {
      return JSON.parse(fs.readFileSync(this.file, 'utf8')) as Record<string, StoredAccount>;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw error;
    }
  }

  async loadAccount(key: string): Promise<StoredAccount | undefined> {
    return this.readAll()[key];
  }

  async saveAccount(key: string, account: StoredAccount): Promise<void> {
    this.saves++;
    writeFileAtomic(this.file, JSON.stringify({ ...this.readAll(), [key]: account }, null, 2));
  }
}

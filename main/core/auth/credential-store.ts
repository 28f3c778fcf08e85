import type { TokenSet } from './token-set.js';

/**
 * What the refresh owner needs from wherever credentials live. The vault implements it (encrypted);
 * tests use a JSON file. `loadAccount` must read the current stored value (not a cache of this
 * process): after taking the cross-process lock the refresh owner re-reads to see another
 * process's refresh.
 */
export type AccountState = 'connected' | 'needs_signin';

export interface StoredAccount {
  readonly providerId: string;
  readonly tokens: TokenSet;
  readonly state: AccountState;
  /** Epoch ms of the last sign-in or refresh. */
  readonly updatedAt: number;
}

export interface CredentialStore {
  loadAccount(key: string): Promise<StoredAccount | undefined>;
  saveAccount(key: string, account: StoredAccount): Promise<void>;
}

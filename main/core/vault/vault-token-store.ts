import type { CredentialVault } from './credential-vault.js';
import type { AccountSecrets, AccountState } from './vault-types.js';

/** The tokens the refresh owner reads and writes; same field names as auth's TokenSet. */
export interface StoredTokens {
  readonly accessToken?: string;
  readonly refreshToken?: string;
  readonly idToken?: string;
  readonly expiresAt?: number;
  readonly scope?: string;
  readonly tokenType?: string;
}

/** The credential-store shape the auth refresh owner uses, over the vault. */
export interface VaultTokenStore {
  loadAccount(provider: string, accountId: string): Promise<StoredTokens | undefined>;
  saveAccount(provider: string, accountId: string, tokens: StoredTokens): Promise<void>;
  markAccount(provider: string, accountId: string, state: AccountState, reason?: string): Promise<void>;
}

export function createVaultTokenStore(vault: CredentialVault): VaultTokenStore {
  return {
    async loadAccount(provider, accountId) {
      const secrets = await vault.getSecrets(provider, accountId);
      if (!secrets) return undefined;
      const { accessToken, refreshToken, idToken, expiresAt, scope, tokenType } = secrets;
      return { accessToken, refreshToken, idToken, expiresAt, scope, tokenType };
    },
    async saveAccount(provider, accountId, tokens) {
      const patch: AccountSecrets = { ...tokens };
      await vault.updateSecrets(provider, accountId, patch);
    },
    async markAccount(provider, accountId, state, reason) {
      await vault.setState(provider, accountId, state, reason);
    },
  };
}

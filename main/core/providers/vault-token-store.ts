import type { CredentialStore, StoredAccount } from '../auth/credential-store.js';
import type { CredentialVault } from '../vault/credential-vault.js';

/** The refresh owner's view of the vault. Every call reads the store (another process may have refreshed). */
export function vaultTokenStore(openVault: () => Promise<CredentialVault>): CredentialStore {
  const split = (key: string) => {
    const at = key.indexOf(':');
    return { provider: key.slice(0, at), accountId: key.slice(at + 1) };
  };
  return {
    loadAccount: async (key): Promise<StoredAccount | undefined> => {
      const { provider, accountId } = split(key);
      const account = await (await openVault()).getAccount(provider, accountId);
      if (!account?.secrets.accessToken) return undefined;
      const s = account.secrets;
      return {
        providerId: provider,
        state: account.state === 'needs_signin' ? 'needs_signin' : 'connected',
        updatedAt: account.updatedAt,
        tokens: {
          accessToken: s.accessToken!,
          ...(s.refreshToken ? { refreshToken: s.refreshToken } : {}),
          ...(s.idToken ? { idToken: s.idToken } : {}),
          ...(s.expiresAt !== undefined ? { expiresAt: s.expiresAt } : {}),
          ...(s.scope ? { scope: s.scope } : {}),
          ...(s.tokenType ? { tokenType: s.tokenType } : {}),
        },
      };
    },
    saveAccount: async (key, stored) => {
      const { provider, accountId } = split(key);
      const vault = await openVault();
      if (stored.state === 'needs_signin') {
        await vault.setState(provider, accountId, 'needs_signin', 'The provider refused the saved login. Sign in again.');
        return;
      }
      const t = stored.tokens;
      await vault.updateSecrets(provider, accountId, {
        accessToken: t.accessToken,
        ...(t.refreshToken ? { refreshToken: t.refreshToken } : {}),
        ...(t.idToken ? { idToken: t.idToken } : {}),
        ...(t.expiresAt !== undefined ? { expiresAt: t.expiresAt } : {}),
      });
    },
  };
}

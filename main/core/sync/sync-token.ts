import * as oauth from 'oauth4webapi';
import { createOAuthContext, toAuthFailure, type FetchFunction } from '../auth/oauth-client.js';
import { tokenSetFromResponse } from '../auth/token-set.js';
import { syncProvider, type SyncAccount } from './sync-account.js';
import { SyncError } from './sync-errors.js';

export type SyncTokenRenewal =
  | { readonly ok: true; readonly tokens: Pick<SyncAccount, 'accessToken' | 'refreshToken' | 'expiresAt'> }
  | { readonly ok: false; readonly code: string };

/**
 * Renews the sync server's access token with the login's refresh token. A refusal means "sign in
 * again"; a server that cannot be reached is `offline` (thrown), so the cycle retries later.
 */
export async function renewSyncToken(account: SyncAccount & { refreshToken: string }, fetch?: FetchFunction): Promise<SyncTokenRenewal> {
  const provider = syncProvider(account);
  try {
    const ctx = await createOAuthContext(provider, fetch ? { fetch } : {});
    const response = await oauth.refreshTokenGrantRequest(ctx.as, ctx.client, ctx.clientAuth, account.refreshToken, ctx.requestOptions('form'));
    const tokens = tokenSetFromResponse(await oauth.processRefreshTokenResponse(ctx.as, ctx.client, response), Date.now(), { refreshToken: account.refreshToken });
    return {
      ok: true,
      tokens: {
        accessToken: tokens.accessToken,
        ...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}),
        ...(tokens.expiresAt !== undefined ? { expiresAt: tokens.expiresAt } : {}),
      },
    };
  } catch (error) {
    const failure = toAuthFailure(error, provider);
    if (failure.code === 'network_error') throw new SyncError('offline', failure.message);
    return { ok: false, code: failure.code };
  }
}

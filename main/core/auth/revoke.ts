import * as oauth from 'oauth4webapi';
import { type AuthResult, ok } from './auth-errors.js';
import { type FetchFunction, createOAuthContext, toAuthFailure } from './oauth-client.js';
import type { Provider } from './provider-registry.js';
import type { TokenSet } from './token-set.js';

/** RFC 7009 revocation on disconnect, where the provider has a revocation endpoint. */

export interface RevokeOutcome {
  /** False when the provider offers no revocation endpoint: the caller only forgets the tokens. */
  readonly revoked: boolean;
}

export async function revokeTokens(
  provider: Provider,
  tokens: Pick<TokenSet, 'accessToken' | 'refreshToken'>,
  options: { readonly fetch?: FetchFunction; readonly signal?: AbortSignal } = {},
): Promise<AuthResult<RevokeOutcome>> {
  try {
    const ctx = await createOAuthContext(provider, options);
    if (!ctx.as.revocation_endpoint) return ok({ revoked: false });
    // The refresh token first: at most servers that ends the whole grant, access tokens included.
    const ordered: ReadonlyArray<[string, 'refresh_token' | 'access_token']> = [
      ...(tokens.refreshToken ? [[tokens.refreshToken, 'refresh_token'] as [string, 'refresh_token']] : []),
      [tokens.accessToken, 'access_token'],
    ];
    for (const [token, hint] of ordered) {
      const requestOptions: oauth.RevocationRequestOptions = {
        ...(ctx.requestOptions('form', options.signal) as oauth.RevocationRequestOptions),
        additionalParameters: { token_type_hint: hint },
      };
      const response = await oauth.revocationRequest(ctx.as, ctx.client, ctx.clientAuth, token, requestOptions);
      await oauth.processRevocationResponse(response);
    }
    return ok({ revoked: true });
  } catch (error) {
    return { ok: false, error: toAuthFailure(error, provider, options.signal).toError() };
  }
}

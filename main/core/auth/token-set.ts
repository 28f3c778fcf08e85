import * as oauth from 'oauth4webapi';
import type { OAuthContext } from './oauth-client.js';

/** What a sign-in yields and a refresh renews. Secret fields never leave the daemon. */
export interface TokenSet {
  readonly accessToken: string;
  readonly refreshToken?: string;
  readonly idToken?: string;
  /** Epoch milliseconds; undefined when the provider did not say. */
  readonly expiresAt?: number;
  readonly scope?: string;
  readonly tokenType?: string;
  readonly account?: AccountInfo;
}

/** The non-secret identity the UI may show. */
export interface AccountInfo {
  readonly subject?: string;
  readonly email?: string;
  readonly name?: string;
}

function stringClaim(claims: Record<string, unknown> | undefined, key: string): string | undefined {
  const value = claims?.[key];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** Reads the account from a JWT's payload without trusting it for anything but display. */
export function accountFromJwtPayload(jwt: string | undefined): AccountInfo | undefined {
  if (!jwt) return undefined;
  const part = jwt.split('.')[1];
  if (!part) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
    return compactAccount({ subject: stringClaim(claims, 'sub'), email: stringClaim(claims, 'email'), name: stringClaim(claims, 'name') });
  } catch {
    return undefined;
  }
}

function compactAccount(account: AccountInfo): AccountInfo | undefined {
  const entries = Object.entries(account).filter(([, v]) => v !== undefined);
  return entries.length ? (Object.fromEntries(entries) as AccountInfo) : undefined;
}

export function tokenSetFromResponse(
  response: oauth.TokenEndpointResponse,
  now: number,
  previous?: Pick<TokenSet, 'refreshToken' | 'idToken' | 'account'>,
): TokenSet {
  const claims = response.id_token ? oauth.getValidatedIdTokenClaims(response) : undefined;
  const fromIdToken = claims
    ? compactAccount({ subject: claims.sub, email: stringClaim(claims, 'email'), name: stringClaim(claims, 'name') })
    : undefined;
  return {
    accessToken: response.access_token,
    // A refresh that does not rotate keeps the refresh token it was given.
    refreshToken: response.refresh_token ?? previous?.refreshToken,
    idToken: response.id_token ?? previous?.idToken,
    expiresAt: typeof response.expires_in === 'number' ? now + response.expires_in * 1000 : undefined,
    scope: response.scope,
    tokenType: response.token_type,
    account: fromIdToken ?? previous?.account,
  };
}

/** Fills in the account from the userinfo endpoint when the id_token did not carry email or name. */
export async function withUserinfo(ctx: OAuthContext, tokens: TokenSet, signal?: AbortSignal): Promise<TokenSet> {
  if (tokens.account?.email || !ctx.as.userinfo_endpoint) return tokens;
  try {
    const options = ctx.requestOptions('form', signal) as oauth.UserInfoRequestOptions;
    const response = await oauth.userInfoRequest(ctx.as, ctx.client, tokens.accessToken, options);
    const info = await oauth.processUserInfoResponse(ctx.as, ctx.client, tokens.account?.subject ?? oauth.skipSubjectCheck, response);
    const account = compactAccount({ subject: info.sub, email: info.email, name: info.name ?? info.preferred_username });
    return account ? { ...tokens, account } : tokens;
  } catch {
    // The account label is a nicety; a sign-in that worked stays a success without it.
    return tokens;
  }
}

import * as oauth from 'oauth4webapi';
import type { Logger } from '../logging/logger.js';
import { type AuthResult, AuthFailure, fail, ok } from './auth-errors.js';
import type { AuthFlowListener } from './flow-events.js';
import { startLoopbackServer } from './loopback-server.js';
import { type FetchFunction, type OAuthContext, createOAuthContext, toAuthFailure } from './oauth-client.js';
import type { Provider } from './provider-registry.js';
import { type TokenSet, tokenSetFromResponse, withUserinfo } from './token-set.js';

/** Authorization code + PKCE S256 + state, answered on a one-shot loopback server. */

export interface BrowserFlowOptions {
  readonly provider: Provider;
  /** Receives `open-url`: the caller opens the system browser (or prints the URL with --no-open). */
  readonly onEvent: AuthFlowListener;
  readonly signal?: AbortSignal;
  /** How long to wait for the browser; 5 minutes by default. */
  readonly timeoutMs?: number;
  readonly fetch?: FetchFunction;
  readonly now?: () => number;
  /** Progress without secrets: no codes, states, verifiers or tokens. */
  readonly logger?: Logger;
}

export interface PkcePair {
  readonly verifier: string;
  readonly challenge: string;
}

export async function createPkcePair(): Promise<PkcePair> {
  const verifier = oauth.generateRandomCodeVerifier();
  return { verifier, challenge: await oauth.calculatePKCECodeChallenge(verifier) };
}

export function buildAuthorizeUrl(
  ctx: OAuthContext,
  params: { readonly redirectUri: string; readonly state: string; readonly codeChallenge: string },
): string {
  if (!ctx.as.authorization_endpoint) {
    throw new AuthFailure('provider_misconfigured', `${ctx.provider.name} has no authorization endpoint.`);
  }
  const url = new URL(ctx.as.authorization_endpoint);
  // Extra parameters first, so that none of them can replace the security-relevant ones below.
  for (const [key, value] of Object.entries(ctx.provider.extraAuthParams)) url.searchParams.set(key, value);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', ctx.client.client_id);
  url.searchParams.set('redirect_uri', params.redirectUri);
  if (ctx.provider.scopes.length) url.searchParams.set('scope', ctx.provider.scopes.join(' '));
  url.searchParams.set('state', params.state);
  url.searchParams.set('code_challenge', params.codeChallenge);
  url.searchParams.set('code_challenge_method', 'S256');
  return url.href;
}

/** Exchanges an authorization code; shared by the browser and paste flows. */
export async function exchangeAuthorizationCode(
  ctx: OAuthContext,
  exchange: {
    readonly callbackParams: URLSearchParams;
    readonly redirectUri: string;
    readonly verifier: string;
    readonly state?: string;
    readonly signal?: AbortSignal;
    readonly now: () => number;
  },
): Promise<TokenSet> {
  const encoding = ctx.provider.tokenRequestEncoding;
  const options = ctx.requestOptions(encoding, exchange.signal);
  // Anthropic's JSON exchange carries the state next to the code.
  if (encoding === 'json' && exchange.state) options.additionalParameters = { state: exchange.state };
  const response = await oauth.authorizationCodeGrantRequest(
    ctx.as,
    ctx.client,
    ctx.clientAuth,
    exchange.callbackParams,
    exchange.redirectUri,
    exchange.verifier,
    options,
  );
  const result = await oauth.processAuthorizationCodeResponse(ctx.as, ctx.client, response);
  return withUserinfo(ctx, tokenSetFromResponse(result, exchange.now()), exchange.signal);
}

export function accountLabel(tokens: TokenSet): string | undefined {
  return tokens.account?.email ?? tokens.account?.name;
}

export async function signInWithBrowser(options: BrowserFlowOptions): Promise<AuthResult<TokenSet>> {
  const { provider, signal } = options;
  const now = options.now ?? Date.now;
  if (!provider.methods.includes('browser')) {
    return fail('method_not_supported', `${provider.name} does not offer a browser sign-in.`);
  }
  let ctx: OAuthContext;
  try {
    ctx = await createOAuthContext(provider, { fetch: options.fetch, signal });
  } catch (error) {
    return { ok: false, error: toAuthFailure(error, provider, signal).toError() };
  }
  const pkce = await createPkcePair();
  const state = provider.stateIsVerifier ? pkce.verifier : oauth.generateRandomState();

  let redirectUri = '';
  const started = await startLoopbackServer<TokenSet>({
    providerName: provider.name,
    redirectHost: provider.redirectHost,
    port: provider.redirectPort,
    fallbackPorts: provider.fallbackPorts,
    path: provider.redirectPath,
    expectedState: state,
    timeoutMs: options.timeoutMs,
    signal,
    onCallback: async (params) => {
      try {
        // The loopback server checked state; oauth4webapi also checks `iss` when the server sends it.
        const validated = oauth.validateAuthResponse(ctx.as, ctx.client, params, state);
        const tokens = await exchangeAuthorizationCode(ctx, { callbackParams: validated, redirectUri, verifier: pkce.verifier, state, signal, now });
        return ok({ value: tokens, accountLabel: accountLabel(tokens) });
      } catch (error) {
        return { ok: false, error: toAuthFailure(error, provider, signal).toError() };
      }
    },
  });
  if (!started.ok) return started;
  const server = started.value;
  redirectUri = server.redirectUri;
  try {
    const url = buildAuthorizeUrl(ctx, { redirectUri, state, codeChallenge: pkce.challenge });
    options.onEvent({ event: 'open-url', url });
  } catch (error) {
    await server.close();
    return { ok: false, error: toAuthFailure(error, provider, signal).toError() };
  }
  options.logger?.info('browser sign-in waiting for the callback', { provider: provider.id, port: server.port });
  const outcome = await server.result;
  await server.close();
  if (outcome.ok) options.logger?.info('browser sign-in finished', { provider: provider.id, account: accountLabel(outcome.value) });
  else options.logger?.warn('browser sign-in failed', { provider: provider.id, code: outcome.error.code });
  return outcome;
}

import * as oauth from 'oauth4webapi';
import { type AuthResult, fail, ok } from './auth-errors.js';
import { buildAuthorizeUrl, createPkcePair, exchangeAuthorizationCode } from './browser-flow.js';
import type { AuthFlowListener } from './flow-events.js';
import { type FetchFunction, type OAuthContext, createOAuthContext, toAuthFailure } from './oauth-client.js';
import type { Provider } from './provider-registry.js';
import type { TokenSet } from './token-set.js';

/**
 * Paste flow (Anthropic's `code#state`, Google's headless authcode page): the provider's own page
 * shows a code, the user copies it into the app, the app exchanges it with its PKCE verifier.
 */

export interface PastedCode {
  readonly code: string;
  /** Undefined when the user pasted the code alone. */
  readonly state?: string;
}

/**
 * Reads what the user pasted: `code#state`, a full callback URL with `code` and `state` query
 * parameters, or the code alone. Whitespace and line breaks (from wrapped terminals) are removed.
 *
 * A code alone cannot be checked against the state. It is accepted only when `acceptCodeWithoutState`
 * is set: PKCE still binds the code to this flow's verifier, so a code from someone else's sign-in
 * fails at the token endpoint rather than connecting the wrong account.
 */
export function parsePastedCode(input: string, expectedState: string, acceptCodeWithoutState: boolean): AuthResult<PastedCode> {
  const text = input.replace(/\s+/g, '');
  if (!text) return fail('missing_code', 'Nothing was pasted. Copy the code shown after signing in and paste it here.');
  let code: string | undefined;
  let state: string | undefined;
  if (/^https?:\/\//i.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return fail('invalid_code', 'The pasted text looks like a link but is not a valid URL.');
    }
    const fragment = new URLSearchParams(url.hash.replace(/^#/, ''));
    code = url.searchParams.get('code') ?? fragment.get('code') ?? undefined;
    state = url.searchParams.get('state') ?? fragment.get('state') ?? undefined;
    // Anthropic's page puts `code#state` into the code parameter itself.
    if (code?.includes('#')) [code, state] = splitPair(code, state);
    const error = url.searchParams.get('error');
    if (error === 'access_denied') return fail('access_denied', 'Sign-in was denied — try again');
  } else if (text.includes('#')) {
    [code, state] = splitPair(text, undefined);
  } else {
    code = text;
  }
  if (!code) return fail('missing_code', 'The pasted text holds no authorization code.');
  if (state === undefined) {
    if (!acceptCodeWithoutState) {
      return fail('state_mismatch', 'Paste the whole code including the part after “#”, so this sign-in can be verified.');
    }
    return ok({ code });
  }
  if (state !== expectedState) {
    return fail('state_mismatch', 'This code belongs to a different sign-in attempt (state mismatch). Start the sign-in again and paste the new code.');
  }
  return ok({ code, state });
}

function splitPair(pair: string, fallbackState: string | undefined): [string | undefined, string | undefined] {
  const index = pair.indexOf('#');
  const code = pair.slice(0, index) || undefined;
  const state = pair.slice(index + 1) || fallbackState;
  return [code, state];
}

export interface PasteFlowOptions {
  readonly provider: Provider;
  /** Receives `open-url`, then `need-code` when the app waits for the paste. */
  readonly onEvent: AuthFlowListener;
  /** See parsePastedCode; true by default because PKCE protects the bare code. */
  readonly acceptCodeWithoutState?: boolean;
  readonly signal?: AbortSignal;
  readonly fetch?: FetchFunction;
  readonly now?: () => number;
}

export interface PasteFlow {
  readonly authorizeUrl: string;
  readonly redirectUri: string;
  /** Exchanges what the user pasted. A refused paste leaves the flow open for another try. */
  submit(pasted: string): Promise<AuthResult<TokenSet>>;
}

export async function startPasteCodeFlow(options: PasteFlowOptions): Promise<AuthResult<PasteFlow>> {
  const { provider, signal } = options;
  const now = options.now ?? Date.now;
  if (!provider.methods.includes('paste')) return fail('method_not_supported', `${provider.name} does not offer a paste-code sign-in.`);
  const redirectUri = provider.pasteRedirectUri;
  if (!redirectUri) return fail('provider_misconfigured', `${provider.name} has no page that shows a code to paste (pasteRedirectUri).`);
  let ctx: OAuthContext;
  try {
    ctx = await createOAuthContext(provider, { fetch: options.fetch, signal });
  } catch (error) {
    return { ok: false, error: toAuthFailure(error, provider, signal).toError() };
  }
  const pkce = await createPkcePair();
  const state = provider.stateIsVerifier ? pkce.verifier : oauth.generateRandomState();
  let authorizeUrl: string;
  try {
    authorizeUrl = buildAuthorizeUrl(ctx, { redirectUri, state, codeChallenge: pkce.challenge });
  } catch (error) {
    return { ok: false, error: toAuthFailure(error, provider, signal).toError() };
  }
  options.onEvent({ event: 'open-url', url: authorizeUrl });
  options.onEvent({ event: 'need-code' });
  let used = false;

  return ok({
    authorizeUrl,
    redirectUri,
    async submit(pasted) {
      if (used) return fail('already_used', 'This sign-in already finished. Start a new one to paste another code.');
      if (signal?.aborted) return fail('cancelled', 'Sign-in was cancelled.');
      const parsed = parsePastedCode(pasted, state, options.acceptCodeWithoutState ?? true);
      if (!parsed.ok) return parsed;
      try {
        const callbackParams = validatePasted(ctx, parsed.value);
        used = true;
        const tokens = await exchangeAuthorizationCode(ctx, { callbackParams, redirectUri, verifier: pkce.verifier, state, signal, now });
        return ok(tokens);
      } catch (error) {
        return { ok: false, error: toAuthFailure(error, provider, signal).toError() };
      }
    },
  });
}

/** The pasted pair through oauth4webapi's response validation; a pasted code carries no `iss`. */
export function validatePasted(ctx: OAuthContext, pasted: PastedCode): URLSearchParams {
  const params = new URLSearchParams({ code: pasted.code, ...(pasted.state ? { state: pasted.state } : {}) });
  const as = { ...ctx.as, authorization_response_iss_parameter_supported: false };
  return oauth.validateAuthResponse(as, ctx.client, params, pasted.state ?? oauth.skipStateCheck);
}

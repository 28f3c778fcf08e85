import { type AuthResult, AuthFailure, CANCELLED_MESSAGE, fail, ok } from './auth-errors.js';
import { exchangeAuthorizationCode } from './browser-flow.js';
import { type Clock, type PollOutcome, EXPIRED_MESSAGE, pollDeviceGrant, systemClock } from './device-flow.js';
import type { AuthFlowListener } from './flow-events.js';
import { type FetchFunction, type OAuthContext, createOAuthContext, toAuthFailure, verificationUriProblem, withRequestTimeout } from './oauth-client.js';
import { validatePasted } from './paste-code.js';
import type { Provider } from './provider-registry.js';
import type { TokenSet } from './token-set.js';

/**
 * OpenAI Codex's device login (not RFC 8628): ask for a user code, let the user enter it at
 * `{issuer}/codex/device`, poll until the server hands back an authorization code with its PKCE
 * verifier, then exchange that code like a browser sign-in would.
 */

/** Codex gives the user 15 minutes. */
export const CODEX_DEVICE_LIFETIME_SECONDS = 15 * 60;

export interface CodexDeviceFlowOptions {
  readonly provider: Provider;
  readonly onEvent: AuthFlowListener;
  readonly signal?: AbortSignal;
  readonly fetch?: FetchFunction;
  readonly clock?: Clock;
}

interface UserCodeResponse {
  readonly device_auth_id: string;
  readonly user_code: string;
  readonly interval?: number | string;
}

interface CodeGrant {
  readonly authorization_code: string;
  readonly code_verifier: string;
}

function endpoint(issuer: string, path: string): string {
  return new URL(path, issuer.endsWith('/') ? issuer : `${issuer}/`).href;
}

async function postJson(fetchFn: FetchFunction, url: string, body: Record<string, string>, signal?: AbortSignal): Promise<Response> {
  return fetchFn(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
    signal: withRequestTimeout(signal),
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

export async function signInWithCodexDeviceCode(options: CodexDeviceFlowOptions): Promise<AuthResult<TokenSet>> {
  const { provider, signal } = options;
  const clock = options.clock ?? systemClock;
  const fetchFn = options.fetch ?? fetch;
  if (signal?.aborted) return fail('cancelled', CANCELLED_MESSAGE);
  if (!provider.issuer || !provider.clientId) return fail('provider_misconfigured', `${provider.name} needs an issuer and a client id for device login.`);
  const issuer = provider.issuer;
  const unsafePage = verificationUriProblem(endpoint(issuer, 'codex/device'), provider);
  if (unsafePage) {
    return fail('insecure_verification_uri', `${provider.name}'s page for entering the code would be ${unsafePage}, not https, so Agent Relay did not open it. Check the provider's issuer in providers.json.`);
  }
  let ctx: OAuthContext;
  let userCode: UserCodeResponse;
  try {
    ctx = await createOAuthContext(provider, { fetch: options.fetch, signal });
    const response = await postJson(fetchFn, endpoint(issuer, 'api/accounts/deviceauth/usercode'), { client_id: provider.clientId }, signal);
    if (response.status === 404) {
      return fail('device_login_disabled', `Device code sign-in is turned off for this ${provider.name} account. Use the browser sign-in instead.`);
    }
    if (!response.ok) return fail('provider_error', `${provider.name} refused to start a device sign-in (HTTP ${response.status}).`);
    const body: unknown = await response.json();
    if (!isRecord(body) || typeof body.device_auth_id !== 'string' || typeof body.user_code !== 'string') {
      return fail('provider_error', `${provider.name} answered the device sign-in request with something unexpected.`);
    }
    userCode = body as unknown as UserCodeResponse;
  } catch (error) {
    return { ok: false, error: toAuthFailure(error, provider, signal).toError() };
  }
  const interval = Number(userCode.interval) > 0 ? Number(userCode.interval) : 5;
  const issuedAt = clock.now();
  const announce = (seconds: number) =>
    options.onEvent({
      event: 'device-code',
      userCode: userCode.user_code,
      verificationUri: endpoint(issuer, 'codex/device'),
      expiresIn: Math.max(0, Math.round((issuedAt + CODEX_DEVICE_LIFETIME_SECONDS * 1000 - clock.now()) / 1000)),
      interval: seconds,
    });
  announce(interval);

  const polled = await pollDeviceGrant<CodeGrant>({
    intervalSeconds: interval,
    expiresInSeconds: CODEX_DEVICE_LIFETIME_SECONDS,
    clock,
    signal,
    onIntervalChange: announce,
    poll: async (): Promise<PollOutcome<CodeGrant>> => {
      let response: Response;
      try {
        response = await postJson(
          fetchFn,
          endpoint(issuer, 'api/accounts/deviceauth/token'),
          { device_auth_id: userCode.device_auth_id, user_code: userCode.user_code },
          signal,
        );
      } catch (error) {
        return { kind: 'transient', reason: (error as Error).message };
      }
      // Codex reports "not yet" as 403 or 404.
      if (response.status === 403 || response.status === 404) {
        await response.arrayBuffer();
        return { kind: 'pending' };
      }
      if (response.status === 429) return { kind: 'slow_down' };
      if (response.status >= 500) return { kind: 'transient', reason: `HTTP ${response.status}` };
      const body: unknown = await response.json().catch(() => undefined);
      if (response.ok && isRecord(body) && typeof body.authorization_code === 'string' && typeof body.code_verifier === 'string') {
        return { kind: 'done', value: { authorization_code: body.authorization_code, code_verifier: body.code_verifier } };
      }
      const error = isRecord(body) && typeof body.error === 'string' ? body.error : `HTTP ${response.status}`;
      if (error === 'expired_token') return { kind: 'failed', failure: new AuthFailure('expired_token', EXPIRED_MESSAGE) };
      if (error === 'access_denied') return { kind: 'failed', failure: new AuthFailure('access_denied', 'Sign-in was denied — try again') };
      return { kind: 'failed', failure: new AuthFailure('provider_error', `${provider.name} stopped the device sign-in: ${error}.`) };
    },
  });
  if (!polled.ok) return polled;
  try {
    const callbackParams = validatePasted(ctx, { code: polled.value.authorization_code });
    const tokens = await exchangeAuthorizationCode(ctx, {
      callbackParams,
      redirectUri: endpoint(issuer, 'deviceauth/callback'),
      verifier: polled.value.code_verifier,
      signal,
      now: () => clock.now(),
    });
    return ok(tokens);
  } catch (error) {
    return { ok: false, error: toAuthFailure(error, provider, signal).toError() };
  }
}

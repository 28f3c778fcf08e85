import * as oauth from 'oauth4webapi';
import type { Logger } from '../logging/logger.js';
import { type AuthResult, AuthFailure, CANCELLED_MESSAGE, fail, ok } from './auth-errors.js';
import { createPkcePair } from './browser-flow.js';
import type { AuthFlowListener } from './flow-events.js';
import { type FetchFunction, type OAuthContext, createOAuthContext, toAuthFailure, verificationUriProblem } from './oauth-client.js';
import type { Provider } from './provider-registry.js';
import { type TokenSet, tokenSetFromResponse, withUserinfo } from './token-set.js';

/** RFC 8628 device authorization grant, to the letter, with an injectable clock for its timing rules. */

export interface Clock {
  now(): number;
  /** Resolves after `ms`, or at once when the signal aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    }),
};

/** RFC 8628 §3.2: 5 seconds when the server gives no interval. */
export const DEFAULT_INTERVAL_SECONDS = 5;
/** RFC 8628 §3.5: slow_down adds 5 seconds for this and every later request. */
export const SLOW_DOWN_STEP_SECONDS = 5;
const MAX_NETWORK_BACKOFF_MS = 60_000;

export const EXPIRED_MESSAGE = 'The code expired — get a new code';
export const DENIED_MESSAGE = 'Sign-in was denied — try again';

export interface DeviceFlowOptions {
  readonly provider: Provider;
  /** Receives `device-code` (and again when slow_down changes the interval). */
  readonly onEvent: AuthFlowListener;
  readonly signal?: AbortSignal;
  readonly fetch?: FetchFunction;
  readonly clock?: Clock;
  /** Progress without secrets: no device codes or tokens. */
  readonly logger?: Logger;
  /** The user allowed plain http explicitly (sync login --allow-insecure-http): http verification pages pass. */
  readonly allowInsecureHttp?: boolean;
}

/** What one poll said, reduced to what the loop does next. */
export type PollOutcome<T> =
  | { readonly kind: 'done'; readonly value: T }
  | { readonly kind: 'pending' }
  | { readonly kind: 'slow_down'; readonly interval?: number }
  | { readonly kind: 'transient'; readonly reason: string }
  | { readonly kind: 'failed'; readonly failure: AuthFailure };

export interface PollLoopOptions<T> {
  readonly intervalSeconds: number;
  readonly expiresInSeconds: number;
  readonly clock: Clock;
  readonly signal?: AbortSignal;
  readonly poll: () => Promise<PollOutcome<T>>;
  readonly onIntervalChange?: (intervalSeconds: number) => void;
}

/**
 * The polling rules shared by RFC 8628 and Codex's device login: wait the interval before each
 * request, slow_down adds 5 s for good (or takes the server's new interval when larger), network
 * trouble backs off and keeps going until the code expires, cancel stops before any further request.
 */
export async function pollDeviceGrant<T>(options: PollLoopOptions<T>): Promise<AuthResult<T>> {
  const { clock, signal } = options;
  let interval = Math.max(1, options.intervalSeconds);
  const deadline = clock.now() + options.expiresInSeconds * 1000;
  let networkBackoffMs = 0;
  for (;;) {
    await clock.sleep(interval * 1000 + networkBackoffMs, signal);
    if (signal?.aborted) return fail('cancelled', CANCELLED_MESSAGE);
    if (clock.now() >= deadline) return fail('expired_token', EXPIRED_MESSAGE);
    let outcome: PollOutcome<T>;
    try {
      outcome = await options.poll();
    } catch (error) {
      outcome = { kind: 'transient', reason: (error as Error).message };
    }
    if (signal?.aborted) return fail('cancelled', CANCELLED_MESSAGE);
    switch (outcome.kind) {
      case 'done':
        return ok(outcome.value);
      case 'pending':
        networkBackoffMs = 0;
        break;
      case 'slow_down': {
        networkBackoffMs = 0;
        const stepped = interval + SLOW_DOWN_STEP_SECONDS;
        interval = outcome.interval !== undefined && outcome.interval > stepped ? outcome.interval : stepped;
        options.onIntervalChange?.(interval);
        break;
      }
      case 'transient':
        networkBackoffMs = Math.min(MAX_NETWORK_BACKOFF_MS, networkBackoffMs ? networkBackoffMs * 2 : interval * 1000);
        break;
      case 'failed':
        return { ok: false, error: outcome.failure.toError() };
    }
  }
}

function isTransient(error: unknown): boolean {
  if (error instanceof TypeError) return true; // fetch: connection refused, reset, DNS
  if (error instanceof oauth.ResponseBodyError) return error.status >= 500;
  if (error instanceof oauth.OperationProcessingError) {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Response && cause.status >= 500;
  }
  return false;
}

/** Maps one token-endpoint answer during device polling to what the loop does next. */
export function classifyDevicePoll(error: unknown, provider: Provider): PollOutcome<never> {
  if (error instanceof oauth.ResponseBodyError && error.status < 500) {
    switch (error.error) {
      case 'authorization_pending':
        return { kind: 'pending' };
      case 'slow_down': {
        const interval = error.cause.interval;
        return { kind: 'slow_down', interval: typeof interval === 'number' ? interval : undefined };
      }
      case 'expired_token':
        return { kind: 'failed', failure: new AuthFailure('expired_token', EXPIRED_MESSAGE) };
      case 'access_denied':
        return { kind: 'failed', failure: new AuthFailure('access_denied', DENIED_MESSAGE) };
      default:
        return { kind: 'failed', failure: toAuthFailure(error, provider) };
    }
  }
  if (isTransient(error)) return { kind: 'transient', reason: (error as Error).message };
  return { kind: 'failed', failure: toAuthFailure(error, provider) };
}

export async function signInWithDeviceCode(options: DeviceFlowOptions): Promise<AuthResult<TokenSet>> {
  const { provider, signal } = options;
  const clock = options.clock ?? systemClock;
  if (!provider.methods.includes('device')) return fail('method_not_supported', `${provider.name} does not offer a device code sign-in.`);
  if (signal?.aborted) return fail('cancelled', CANCELLED_MESSAGE);
  let ctx: OAuthContext;
  let device: oauth.DeviceAuthorizationResponse;
  // Qwen adds PKCE to the device flow; the verifier goes with every poll.
  const pkce = provider.devicePkce ? await createPkcePair() : undefined;
  try {
    ctx = await createOAuthContext(provider, { fetch: options.fetch, signal });
    if (!ctx.as.device_authorization_endpoint) {
      return fail('provider_misconfigured', `${provider.name} has no device authorization endpoint.`);
    }
    const params: Record<string, string> = {};
    if (provider.scopes.length) params.scope = provider.scopes.join(' ');
    if (pkce) {
      params.code_challenge = pkce.challenge;
      params.code_challenge_method = 'S256';
    }
    const response = await oauth.deviceAuthorizationRequest(ctx.as, ctx.client, ctx.clientAuth, params, ctx.requestOptions('form', signal));
    device = await oauth.processDeviceAuthorizationResponse(ctx.as, ctx.client, response);
  } catch (error) {
    return { ok: false, error: toAuthFailure(error, provider, signal).toError() };
  }
  // Checked before anything is shown or opened: the user must never be sent to a page that is not https.
  for (const uri of [device.verification_uri, device.verification_uri_complete]) {
    if (uri === undefined) continue;
    const problem = verificationUriProblem(uri, provider, options.allowInsecureHttp);
    if (problem) {
      options.logger?.warn('device sign-in refused: verification page is not https', { provider: provider.id });
      return fail(
        'insecure_verification_uri',
        `${provider.name}'s page for entering the code is ${problem}, not https, so Agent Relay did not open it. Check the provider's address in providers.json, or ask its administrator for an https sign-in page.`,
      );
    }
  }

  const issuedAt = clock.now();
  const emit = (interval: number) =>
    options.onEvent({
      event: 'device-code',
      userCode: device.user_code,
      verificationUri: device.verification_uri,
      ...(device.verification_uri_complete ? { verificationUriComplete: device.verification_uri_complete } : {}),
      // Seconds left, so a re-announcement after slow_down does not restart the countdown.
      expiresIn: Math.max(0, Math.round((issuedAt + device.expires_in * 1000 - clock.now()) / 1000)),
      interval,
    });
  const interval = typeof device.interval === 'number' ? device.interval : DEFAULT_INTERVAL_SECONDS;
  emit(interval);
  options.logger?.info('device sign-in started', { provider: provider.id, verificationUri: device.verification_uri, expiresIn: device.expires_in });

  const polled = await pollDeviceGrant<oauth.TokenEndpointResponse>({
    intervalSeconds: interval,
    expiresInSeconds: device.expires_in,
    clock,
    signal,
    onIntervalChange: emit,
    poll: async () => {
      try {
        const requestOptions = ctx.requestOptions('form', signal);
        if (pkce) requestOptions.additionalParameters = { code_verifier: pkce.verifier };
        const response = await oauth.deviceCodeGrantRequest(ctx.as, ctx.client, ctx.clientAuth, device.device_code, requestOptions);
        return { kind: 'done', value: await oauth.processDeviceCodeResponse(ctx.as, ctx.client, response) };
      } catch (error) {
        const outcome = classifyDevicePoll(error, provider);
        options.logger?.debug('device sign-in poll', { provider: provider.id, outcome: outcome.kind });
        return outcome;
      }
    },
  });
  if (!polled.ok) {
    options.logger?.warn('device sign-in ended', { provider: provider.id, code: polled.error.code });
    return polled;
  }
  const tokens = await withUserinfo(ctx, tokenSetFromResponse(polled.value, clock.now()), signal);
  options.logger?.info('device sign-in finished', { provider: provider.id, account: tokens.account?.email ?? tokens.account?.name });
  return ok(tokens);
}

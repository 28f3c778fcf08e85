import * as oauth from 'oauth4webapi';
import { AuthFailure } from './auth-errors.js';
import type { Provider } from './provider-registry.js';

/**
 * The bridge from a registry entry to oauth4webapi: server metadata (given or discovered), the
 * client, its authentication, and request options (JSON bodies for providers that want them).
 */

export type FetchFunction = typeof fetch;

export interface OAuthContext {
  readonly provider: Provider;
  readonly as: oauth.AuthorizationServer;
  readonly client: oauth.Client;
  readonly clientAuth: oauth.ClientAuth;
  /** Options for requests whose body is encoded as `encoding`. */
  requestOptions(encoding: 'form' | 'json', signal?: AbortSignal): oauth.TokenEndpointRequestOptions;
}

export interface OAuthContextOptions {
  /** Replaces global fetch (tests count requests with it); the default is global fetch. */
  readonly fetch?: FetchFunction;
  readonly signal?: AbortSignal;
  /** Longest wait for any one answer from the provider (default TOKEN_REQUEST_TIMEOUT_MS). */
  readonly timeoutMs?: number;
}

/**
 * Every request to a provider ends within this time: a hung token request must not hold the
 * refresh lock (or a sign-in) forever, nor leave a caller waiting with no answer.
 */
export const TOKEN_REQUEST_TIMEOUT_MS = 30_000;

/** The caller's signal (if any) joined with a timeout that starts now. */
export function withRequestTimeout(signal: AbortSignal | undefined, timeoutMs: number = TOKEN_REQUEST_TIMEOUT_MS): AbortSignal {
  const timeout = AbortSignal.timeout(timeoutMs);
  return signal ? AbortSignal.any([signal, timeout]) : timeout;
}

const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Plain http is allowed only to this machine (a local test server or a self-hosted provider). */
export function isLoopbackUrl(url: string | URL): boolean {
  const parsed = typeof url === 'string' ? new URL(url) : url;
  return LOOPBACK_HOSTS.has(parsed.hostname);
}

/** Every endpoint the entry gives is on this machine (a local test server or a self-hosted provider). */
function servedFromLoopback(provider: Provider): boolean {
  const urls = [provider.issuer, provider.authorizationEndpoint, provider.tokenEndpoint, provider.deviceAuthorizationEndpoint];
  const given = urls.filter((u): u is string => typeof u === 'string');
  return given.length > 0 && given.every((u) => URL.canParse(u) && isLoopbackUrl(u));
}

/**
 * A device flow's `verification_uri` (and `verification_uri_complete`) is opened in the user's
 * browser and is where they type their code: it must be https. Plain http is accepted only on this
 * machine from a provider that itself runs on this machine (tests, self-hosted), or when the user
 * allowed insecure http explicitly. Returns why an address is refused, or undefined when it is fine.
 */
export function verificationUriProblem(uri: string, provider: Provider, allowInsecureHttp = false): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(uri);
  } catch {
    return `${JSON.stringify(uri)} is not a web address`;
  }
  if (parsed.protocol === 'https:') return undefined;
  if (parsed.protocol === 'http:' && (allowInsecureHttp || (isLoopbackUrl(parsed) && servedFromLoopback(provider)))) return undefined;
  return parsed.protocol === 'http:' ? `plain http (${parsed.origin})` : `a ${parsed.protocol} address`;
}

function insecureAllowed(provider: Provider): boolean {
  const urls = [provider.issuer, provider.authorizationEndpoint, provider.tokenEndpoint, provider.deviceAuthorizationEndpoint];
  const given = urls.filter((u): u is string => typeof u === 'string');
  return given.length > 0 && given.every((u) => u.startsWith('https:') || isLoopbackUrl(u));
}

/**
 * oauth4webapi always sends form bodies; a provider that wants JSON (Anthropic, OpenAI refresh)
 * gets the same parameters re-encoded as a JSON object, everything else untouched.
 */
export function jsonBodyFetch(base: FetchFunction): FetchFunction {
  return (input, init) => {
    if (init?.body instanceof URLSearchParams) {
      const headers = new Headers(init.headers);
      headers.set('content-type', 'application/json');
      const body = JSON.stringify(Object.fromEntries(init.body.entries()));
      return base(input, { ...init, headers, body });
    }
    return base(input, init);
  };
}

/**
 * GitHub answers token-endpoint errors (authorization_pending, slow_down, …) with HTTP 200; OAuth
 * says 400. Such answers are given their proper status so the standard processing sees the error.
 */
export function oauthErrorStatusFetch(base: FetchFunction): FetchFunction {
  return async (input, init) => {
    const response = await base(input, init);
    if (response.status !== 200 || !(response.headers.get('content-type') ?? '').includes('json')) return response;
    const body: unknown = await response
      .clone()
      .json()
      .catch(() => undefined);
    if (typeof body === 'object' && body !== null && 'error' in body && !('access_token' in body)) {
      return new Response(JSON.stringify(body), { status: 400, headers: response.headers });
    }
    return response;
  };
}

function baseOptions(
  provider: Provider,
  fetchFn: FetchFunction | undefined,
  signal: AbortSignal | undefined,
  timeoutMs: number | undefined,
): oauth.HttpRequestOptions<'POST', URLSearchParams> {
  const options: oauth.HttpRequestOptions<'POST', URLSearchParams> = {};
  options.signal = withRequestTimeout(signal, timeoutMs);
  if (fetchFn) options[oauth.customFetch] = fetchFn as never;
  // GitHub answers form-encoded unless asked for JSON.
  options.headers = { accept: 'application/json' };
  if (insecureAllowed(provider)) options[oauth.allowInsecureRequests] = true;
  return options;
}

/** Finds the endpoints the registry entry does not give, by OpenID then OAuth discovery. */
async function discover(provider: Provider, fetchFn: FetchFunction | undefined, signal?: AbortSignal, timeoutMs?: number): Promise<oauth.AuthorizationServer> {
  if (!provider.issuer) throw new AuthFailure('provider_misconfigured', `${provider.name} has no issuer and no endpoints.`);
  const issuer = new URL(provider.issuer);
  let lastError: unknown;
  for (const algorithm of ['oidc', 'oauth2'] as const) {
    try {
      const opts = baseOptions(provider, fetchFn, signal, timeoutMs) as oauth.DiscoveryRequestOptions;
      const response = await oauth.discoveryRequest(issuer, { ...opts, algorithm });
      return await oauth.processDiscoveryResponse(issuer, response);
    } catch (error) {
      if (signal?.aborted) throw error;
      lastError = error;
    }
  }
  const missing = missingEndpoints(provider);
  throw new AuthFailure(
    'discovery_failed',
    `Could not find ${provider.name}'s sign-in endpoints at ${provider.issuer} (${(lastError as Error | undefined)?.message ?? 'no answer'}). Check the issuer, or set ${missing.join(', ')} for "${provider.id}" in providers.json.`,
  );
}

/** The endpoints the entry needs for its sign-in methods and does not give. */
function missingEndpoints(provider: Provider): string[] {
  const missing: string[] = [];
  if ((provider.methods.includes('browser') || provider.methods.includes('paste')) && !provider.authorizationEndpoint) missing.push('authorizationEndpoint');
  if (!provider.tokenEndpoint) missing.push('tokenEndpoint');
  if (provider.methods.includes('device') && provider.deviceLogin === 'rfc8628' && !provider.deviceAuthorizationEndpoint) missing.push('deviceAuthorizationEndpoint');
  return missing;
}

function needsDiscovery(provider: Provider): boolean {
  return Boolean(provider.issuer) && missingEndpoints(provider).length > 0;
}

/** Server metadata: the registry's endpoints, with discovery filling what is missing. */
export async function resolveAuthorizationServer(provider: Provider, options: OAuthContextOptions = {}): Promise<oauth.AuthorizationServer> {
  const discovered = needsDiscovery(provider) ? await discover(provider, options.fetch, options.signal, options.timeoutMs) : undefined;
  const issuer = provider.issuer ?? discovered?.issuer ?? provider.tokenEndpoint;
  if (!issuer) throw new AuthFailure('provider_misconfigured', `${provider.name} has no issuer or token endpoint.`);
  // Explicit registry values win over discovered ones: the user's overrides are deliberate.
  const explicit = Object.fromEntries(
    Object.entries({
      authorization_endpoint: provider.authorizationEndpoint,
      token_endpoint: provider.tokenEndpoint,
      device_authorization_endpoint: provider.deviceAuthorizationEndpoint,
      revocation_endpoint: provider.revocationEndpoint,
      userinfo_endpoint: provider.userinfoEndpoint,
    }).filter(([, value]) => value !== undefined),
  );
  const as: oauth.AuthorizationServer = { ...discovered, ...explicit, issuer: discovered?.issuer ?? issuer };
  return as;
}

export async function createOAuthContext(provider: Provider, options: OAuthContextOptions = {}): Promise<OAuthContext> {
  if (!provider.clientId) throw new AuthFailure('provider_misconfigured', `${provider.name} has no client id configured.`);
  const as = await resolveAuthorizationServer(provider, options);
  const client: oauth.Client = { client_id: provider.clientId };
  const clientAuth = provider.clientSecret ? oauth.ClientSecretPost(provider.clientSecret) : oauth.None();
  const fetchFn = options.fetch;
  return {
    provider,
    as,
    client,
    clientAuth,
    requestOptions(encoding, signal) {
      const base = oauthErrorStatusFetch(fetchFn ?? fetch);
      return baseOptions(provider, encoding === 'json' ? jsonBodyFetch(base) : base, signal, options.timeoutMs) as oauth.TokenEndpointRequestOptions;
    },
  };
}

/** Turns whatever oauth4webapi or fetch threw into an AuthFailure with a readable sentence. */
export function toAuthFailure(error: unknown, provider: Provider, signal?: AbortSignal): AuthFailure {
  if (error instanceof AuthFailure) return error;
  if (signal?.aborted) return new AuthFailure('cancelled', 'Sign-in was cancelled.');
  if (isTimeout(error)) return new AuthFailure('timeout', `${provider.name} did not answer in time; nothing was changed. Try again.`);
  if (error instanceof oauth.ResponseBodyError) {
    const description = error.error_description ? ` (${error.error_description})` : '';
    switch (error.error) {
      case 'invalid_grant':
      case 'refresh_token_reused':
      case 'refresh_token_expired':
      case 'refresh_token_invalidated':
        return new AuthFailure(error.error, `${provider.name} no longer accepts this sign-in${description}. Sign in again.`);
      case 'access_denied':
        return new AuthFailure('access_denied', 'Sign-in was denied — try again');
      case 'expired_token':
        return new AuthFailure('expired_token', 'The code expired — get a new code');
      default:
        return new AuthFailure('provider_error', `${provider.name} refused the request: ${error.error}${description}.`);
    }
  }
  if (error instanceof oauth.AuthorizationResponseError) {
    if (error.error === 'access_denied') return new AuthFailure('access_denied', 'Sign-in was denied — try again');
    return new AuthFailure('provider_error', `${provider.name} returned an error: ${error.error}.`);
  }
  if (error instanceof oauth.WWWAuthenticateChallengeError) {
    return new AuthFailure('unauthorized', `${provider.name} refused the credentials (HTTP ${error.status}).`);
  }
  if (error instanceof TypeError && /fetch failed/i.test(error.message)) {
    return new AuthFailure('network_error', unreachableText(error, provider.name));
  }
  const message = error instanceof Error ? error.message : String(error);
  return new AuthFailure('provider_error', `${provider.name} sent an answer we could not use: ${message}.`);
}

function isTimeout(error: unknown): boolean {
  const named = (e: unknown) => (e as { name?: string } | undefined)?.name === 'TimeoutError';
  return named(error) || named((error as { cause?: unknown } | undefined)?.cause);
}

/** A failed connection in words a person reads ("Could not reach claude.ai — check your connection"), not a bare ENOTFOUND. */
export function unreachableText(error: Error, fallbackHost: string): string {
  const cause = (error as { cause?: { code?: string; message?: string; hostname?: string; address?: string; port?: number } }).cause;
  const host = cause?.hostname ?? (cause?.address ? `${cause.address}${cause.port ? `:${cause.port}` : ''}` : fallbackHost);
  switch (cause?.code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
      return `Could not reach ${host} — check your connection.`;
    case 'ECONNREFUSED':
      return `Could not reach ${host}: nothing answered there. Check your connection, or whether the server is running.`;
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return `${host} did not answer in time — check your connection.`;
    default:
      return `Could not reach ${host} — check your connection (${cause?.code ?? cause?.message ?? error.message}).`;
  }
}

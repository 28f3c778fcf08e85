import { type AuthResult, fail, ok } from './auth-errors.js';
import { type FetchFunction, unreachableText } from './oauth-client.js';

/**
 * The provider's cheapest authenticated call for an API key (listing its models): where the registry
 * names one, a key is checked before it counts as connected; where it does not, the card says "not checked".
 */
export interface ApiKeyCheckSpec {
  readonly url: string;
  /** How the key travels: `Authorization: Bearer`, Anthropic's `x-api-key`, Google's `x-goog-api-key`. */
  readonly auth: 'bearer' | 'x-api-key' | 'x-goog-api-key';
  readonly headers?: Readonly<Record<string, string>>;
}

export interface ApiKeyCheckOptions {
  readonly fetch?: FetchFunction;
  readonly timeoutMs?: number;
}

const authHeader = (spec: ApiKeyCheckSpec, apiKey: string): Record<string, string> =>
  spec.auth === 'bearer' ? { authorization: `Bearer ${apiKey}` } : { [spec.auth]: apiKey };

/** ok(host) when the provider accepted the key; `unauthorized` when it refused it; `network_error` when it could not be asked. */
export async function checkApiKey(spec: ApiKeyCheckSpec, apiKey: string, providerName: string, options: ApiKeyCheckOptions = {}): Promise<AuthResult<{ host: string }>> {
  const url = new URL(spec.url);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const timeout = AbortSignal.timeout(timeoutMs);
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(url, { headers: { accept: 'application/json', ...spec.headers, ...authHeader(spec, apiKey) }, signal: timeout });
  } catch (error) {
    if (timeout.aborted) return fail('network_error', `${url.host} did not answer within ${Math.round(timeoutMs / 1000)} seconds — check your connection.`);
    return fail('network_error', unreachableText(error as Error, url.host));
  }
  const body = await response.text().catch(() => '');
  // Google answers a key it does not know with HTTP 400 and the reason API_KEY_INVALID.
  const refused = response.status === 401 || response.status === 403 || (response.status === 400 && body.includes('API_KEY_INVALID'));
  if (refused) {
    return fail('unauthorized', `${providerName} refused this API key (HTTP ${response.status} from ${url.host}). Check that it is complete and still active.`);
  }
  if (!response.ok) return fail('provider_error', `${url.host} answered HTTP ${response.status} when the key was checked.`);
  return ok({ host: url.host });
}

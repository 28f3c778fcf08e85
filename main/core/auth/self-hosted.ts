import { type AuthResult, fail, ok } from './auth-errors.js';
import type { FetchFunction } from './oauth-client.js';

/**
 * A self-hosted endpoint (Ollama, LM Studio, any OpenAI-compatible server) counts as connected only
 * once it lists its models.
 */

export interface SelfHostedCheck {
  readonly baseUrl: string;
  readonly apiKey?: string;
  /** `/v1/models` (OpenAI style) unless the registry says otherwise. */
  readonly modelsPath?: string;
  readonly timeoutMs?: number;
  readonly fetch?: FetchFunction;
  readonly signal?: AbortSignal;
}

export interface SelfHostedStatus {
  readonly models: ReadonlyArray<string>;
}

function modelIds(body: unknown): string[] | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  // OpenAI style `{data: [{id}]}`; Ollama's native `{models: [{name}]}`.
  const list = Array.isArray(record.data) ? record.data : Array.isArray(record.models) ? record.models : undefined;
  if (!list) return undefined;
  return list
    .map((m: unknown) => {
      const item = (m ?? {}) as Record<string, unknown>;
      return typeof item.id === 'string' ? item.id : typeof item.name === 'string' ? item.name : undefined;
    })
    .filter((id): id is string => typeof id === 'string');
}

export async function checkSelfHostedEndpoint(check: SelfHostedCheck): Promise<AuthResult<SelfHostedStatus>> {
  let url: URL;
  try {
    url = new URL((check.modelsPath ?? '/v1/models').replace(/^\//, ''), check.baseUrl.endsWith('/') ? check.baseUrl : `${check.baseUrl}/`);
  } catch {
    return fail('provider_misconfigured', `“${check.baseUrl}” is not a valid URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return fail('provider_misconfigured', 'The base URL must start with http:// or https://.');
  const timeout = AbortSignal.timeout(check.timeoutMs ?? 5000);
  const signal = check.signal ? AbortSignal.any([check.signal, timeout]) : timeout;
  let response: Response;
  try {
    response = await (check.fetch ?? fetch)(url, {
      headers: { accept: 'application/json', ...(check.apiKey ? { authorization: `Bearer ${check.apiKey}` } : {}) },
      signal,
    });
  } catch {
    if (check.signal?.aborted) return fail('cancelled', 'Cancelled.');
    if (timeout.aborted) return fail('network_error', `${url.origin} did not answer within ${Math.round((check.timeoutMs ?? 5000) / 1000)} seconds.`);
    return fail('network_error', `Nothing answers at ${url.origin}. Is the server running?`);
  }
  if (response.status === 401 || response.status === 403) {
    await response.arrayBuffer();
    return fail('unauthorized', check.apiKey ? `${url.origin} refused the API key.` : `${url.origin} wants an API key.`);
  }
  if (!response.ok) {
    await response.arrayBuffer();
    return fail('provider_error', `${url.href} answered HTTP ${response.status} instead of a model list.`);
  }
  const models = modelIds(await response.json().catch(() => undefined));
  if (!models) return fail('provider_error', `${url.href} did not answer with a model list.`);
  return ok({ models });
}

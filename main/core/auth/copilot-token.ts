import { type AuthResult, fail, ok } from './auth-errors.js';
import { type FetchFunction, unreachableText, withRequestTimeout } from './oauth-client.js';
import type { Provider } from './provider-registry.js';

/**
 * GitHub Copilot's second token: the GitHub OAuth token buys a short-lived Copilot token at the
 * copilot_internal endpoint; it is renewed from the GitHub token, never stored as a login.
 */

export interface CopilotToken {
  readonly token: string;
  /** Epoch ms. */
  readonly expiresAt: number;
  /** Seconds after issue when GitHub suggests fetching a new one. */
  readonly refreshIn: number;
}

export interface CopilotTokenOptions {
  readonly fetch?: FetchFunction;
  readonly signal?: AbortSignal;
  readonly now?: () => number;
}

export async function fetchCopilotToken(provider: Provider, githubToken: string, options: CopilotTokenOptions = {}): Promise<AuthResult<CopilotToken>> {
  const url = provider.copilotTokenEndpoint;
  if (!url) return fail('provider_misconfigured', `${provider.name} has no Copilot token endpoint configured.`);
  const fetchFn = options.fetch ?? fetch;
  let response: Response;
  try {
    response = await fetchFn(url, {
      headers: { authorization: `token ${githubToken}`, accept: 'application/json', 'user-agent': 'AgentRelay' },
      signal: withRequestTimeout(options.signal),
    });
  } catch (error) {
    if (options.signal?.aborted) return fail('cancelled', 'Cancelled.');
    if ((error as Error).name === 'TimeoutError') return fail('timeout', 'GitHub did not answer the Copilot token request in time. Try again.');
    return fail('network_error', unreachableText(error as Error, new URL(url).host));
  }
  if (response.status === 401) {
    await response.arrayBuffer();
    return fail('needs_signin', 'GitHub no longer accepts this sign-in. Sign in to GitHub Copilot again.');
  }
  if (response.status === 403 || response.status === 404) {
    await response.arrayBuffer();
    return fail('no_subscription', 'This GitHub account has no Copilot access. Check the Copilot subscription on github.com.');
  }
  if (!response.ok) {
    await response.arrayBuffer();
    return fail('provider_error', `GitHub refused a Copilot token (HTTP ${response.status}).`);
  }
  const body = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
  const now = (options.now ?? Date.now)();
  if (!body || typeof body.token !== 'string' || typeof body.expires_at !== 'number') {
    return fail('provider_error', 'GitHub answered the Copilot token request with something unexpected.');
  }
  const refreshIn = typeof body.refresh_in === 'number' ? body.refresh_in : Math.max(60, Math.floor((body.expires_at * 1000 - now) / 1000) - 300);
  return ok({ token: body.token, expiresAt: body.expires_at * 1000, refreshIn });
}

/**
 * Keeps one Copilot token per GitHub token in memory, fetched again when GitHub's `refresh_in`
 * has passed or expiry is near; concurrent callers share one request.
 */
export class CopilotTokenCache {
  private current: { readonly forGithubToken: string; readonly token: CopilotToken; readonly fetchedAt: number } | undefined;
  private inFlight: Promise<AuthResult<CopilotToken>> | undefined;

  constructor(
    private readonly provider: Provider,
    private readonly options: CopilotTokenOptions = {},
  ) {}

  async get(githubToken: string): Promise<AuthResult<CopilotToken>> {
    const now = (this.options.now ?? Date.now)();
    const cached = this.current;
    if (cached && cached.forGithubToken === githubToken && now < cached.fetchedAt + cached.token.refreshIn * 1000 && now < cached.token.expiresAt - 60_000) {
      return ok(cached.token);
    }
    this.inFlight ??= fetchCopilotToken(this.provider, githubToken, this.options)
      .then((result) => {
        if (result.ok) this.current = { forGithubToken: githubToken, token: result.value, fetchedAt: (this.options.now ?? Date.now)() };
        return result;
      })
      .finally(() => {
        this.inFlight = undefined;
      });
    return this.inFlight;
  }
}

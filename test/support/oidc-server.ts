import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';

/**
 * A real OAuth 2.0 / OpenID Connect server (oidc-provider) on 127.0.0.1 for tests: authorization
 * code + PKCE, device flow, refresh token rotation, revocation, userinfo. `user` plays the person
 * in the browser through the server's own HTML pages with plain HTTP and a cookie jar.
 */

export interface TestClient {
  readonly clientId: string;
  readonly clientSecret?: string;
}

export interface OidcServerOptions {
  readonly clients?: ReadonlyArray<TestClient>;
  /** Seconds. */
  readonly accessTokenTtl?: number;
  readonly refreshTokenTtl?: number;
  readonly deviceCodeTtl?: number;
  /** `interval` advertised in device authorization responses (oidc-provider sends none itself). */
  readonly deviceInterval?: number;
  /**
   * Polls of one device code closer together than this many seconds get `slow_down` instead of
   * `authorization_pending`, the way real servers enforce the interval.
   */
  readonly deviceMinimumPollGap?: number;
  /** Sent as `interval` with slow_down, the way GitHub does. */
  readonly slowDownInterval?: number;
  /** Accept JSON token request bodies as Anthropic does (oidc-provider itself takes only forms). */
  readonly jsonTokenRequests?: boolean;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly grantType?: string;
  readonly error?: string;
  readonly at: number;
}

export interface OidcServer {
  readonly issuer: string;
  readonly provider: Provider;
  /** Token endpoint calls with their grant type and outcome, in order. */
  readonly tokenRequests: ReadonlyArray<RecordedRequest>;
  /** Content type of every token request, with the parameter names (not values) of JSON bodies. */
  readonly tokenBodies: ReadonlyArray<{ readonly contentType: string; readonly keys: ReadonlyArray<string> }>;
  countGrants(grantType: string): number;
  /** Deletes one access token at the server and nothing else (RFC 7009 revocation ends the whole grant here). */
  killAccessToken(accessToken: string): Promise<void>;
  readonly user: TestUser;
  close(): Promise<void>;
}

export const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

export async function startOidcServer(options: OidcServerOptions = {}): Promise<OidcServer> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clients = options.clients ?? [{ clientId: 'agent-relay-test' }];

  const configuration: Configuration = {
    clients: clients.map((c) => ({
      client_id: c.clientId,
      ...(c.clientSecret ? { client_secret: c.clientSecret, token_endpoint_auth_method: 'client_secret_post' } : { token_endpoint_auth_method: 'none' }),
      application_type: 'native',
      // Native clients may use any port on the loopback address (RFC 8252 §7.3).
      redirect_uris: ['http://127.0.0.1/callback', 'http://localhost/callback'],
      grant_types: ['authorization_code', 'refresh_token', DEVICE_GRANT],
      response_types: ['code'],
    })),
    features: {
      devInteractions: { enabled: true },
      deviceFlow: { enabled: true },
      revocation: { enabled: true },
      userinfo: { enabled: true },
    },
    pkce: { required: () => true },
    scopes: ['openid', 'offline_access', 'email', 'profile'],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    findAccount: (_ctx, sub) => ({
      accountId: sub,
      claims: () => ({ sub, email: `${sub}@example.test`, email_verified: true, name: `Test ${sub}` }),
    }),
    // Every grant gets a refresh token (no prompt=consent dance for offline_access in tests).
    issueRefreshToken: () => true,
    // Always rotate, as Anthropic and OpenAI do; a reused refresh token is refused and revokes the grant.
    rotateRefreshToken: true,
    ttl: {
      AccessToken: options.accessTokenTtl ?? 3600,
      RefreshToken: options.refreshTokenTtl ?? 86400,
      DeviceCode: options.deviceCodeTtl ?? 600,
      AuthorizationCode: 60,
      Grant: 86400,
      IdToken: 3600,
      Interaction: 600,
      Session: 86400,
    },
    cookies: { keys: ['test-cookie-key-not-a-secret'] },
    renderError: (ctx, out) => {
      ctx.type = 'html';
      ctx.body = `<!doctype html><title>error</title><pre>${JSON.stringify(out)}</pre>`;
    },
  };

  const provider = new Provider(issuer, configuration);
  // Quiet: oidc-provider warns about its development-only defaults on stderr.
  provider.on('server_error', () => undefined);

  const tokenRequests: RecordedRequest[] = [];
  const lastPoll = new Map<string, number>();
  provider.use(async (ctx, next) => {
    await next();
    const oidcCtx = ctx as unknown as KoaContextWithOIDC;
    if (ctx.path === '/device/auth' && ctx.status === 200 && options.deviceInterval !== undefined) {
      (ctx.body as Record<string, unknown>).interval = options.deviceInterval;
    }
    if (ctx.path === '/token' && ctx.method === 'POST') {
      const params = (oidcCtx.oidc?.params ?? {}) as Record<string, unknown>;
      const grantType = typeof params.grant_type === 'string' ? params.grant_type : undefined;
      const body = ctx.body as Record<string, unknown> | undefined;
      let error = typeof body?.error === 'string' ? body.error : undefined;
      if (grantType === DEVICE_GRANT && error === 'authorization_pending' && options.deviceMinimumPollGap !== undefined) {
        const code = String(params.device_code);
        const previous = lastPoll.get(code);
        const at = Date.now();
        lastPoll.set(code, at);
        if (previous !== undefined && at - previous < options.deviceMinimumPollGap * 1000) {
          error = 'slow_down';
          ctx.status = 400;
          ctx.body = {
            error: 'slow_down',
            error_description: 'you are polling too quickly',
            ...(options.slowDownInterval !== undefined ? { interval: options.slowDownInterval } : {}),
          };
        }
      }
      tokenRequests.push({ method: ctx.method, path: ctx.path, grantType, error, at: Date.now() });
    }
  });

  const handler = provider.callback();
  const tokenBodies: { contentType: string; keys: string[] }[] = [];
  server.on('request', (req, res) => {
    const contentType = String(req.headers['content-type'] ?? '');
    if (req.method !== 'POST' || req.url !== '/token' || !contentType.startsWith('application/json')) {
      if (req.method === 'POST' && req.url === '/token' && !req.headers['x-replayed-json']) tokenBodies.push({ contentType, keys: [] });
      return handler(req, res);
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, string>;
      tokenBodies.push({ contentType, keys: Object.keys(parsed).sort() });
      if (!options.jsonTokenRequests) {
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'invalid_request', error_description: 'form body expected' }));
        return;
      }
      // Hand the same parameters to oidc-provider as the form body it understands.
      void fetch(`${issuer}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', 'x-replayed-json': '1' },
        body: new URLSearchParams(parsed).toString(),
      }).then(async (response) => {
        res.writeHead(response.status, { 'content-type': response.headers.get('content-type') ?? 'application/json', 'cache-control': 'no-store' });
        res.end(Buffer.from(await response.arrayBuffer()));
      });
    });
  });
  const user = new TestUser(issuer);

  return {
    issuer,
    provider,
    tokenRequests,
    tokenBodies,
    countGrants: (grantType) => tokenRequests.filter((r) => r.grantType === grantType).length,
    user,
    killAccessToken: async (accessToken) => {
      const token = await provider.AccessToken.find(accessToken);
      await token?.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Cookies by name; enough for one OAuth server on one host. */
class CookieJar {
  private readonly cookies = new Map<string, string>();

  store(response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair, ...attributes] = header.split(';');
      const eq = pair?.indexOf('=') ?? -1;
      if (!pair || eq < 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*expires=/i.test(a) && Date.parse(a.split('=')[1] ?? '') < Date.now());
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

export interface Form {
  readonly action: string;
  readonly fields: Record<string, string>;
}

/** Finds a form in the page and its hidden/prefilled inputs (a browser's view of a simple form). */
export function parseForm(html: string, baseUrl: string, formId?: string): Form | undefined {
  const forms = [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)];
  const match = formId ? forms.find((f) => (f[1] ?? '').includes(`id="${formId}"`)) : forms[0];
  if (!match) return undefined;
  const action = /action="([^"]*)"/i.exec(match[1] ?? '')?.[1] ?? baseUrl;
  const fields: Record<string, string> = {};
  for (const input of (match[2] ?? '').matchAll(/<input\b([^>]*)>/gi)) {
    const attrs = input[1] ?? '';
    const name = /name="([^"]*)"/i.exec(attrs)?.[1];
    if (!name) continue;
    fields[name] = decodeEntities(/value="([^"]*)"/i.exec(attrs)?.[1] ?? '');
  }
  return { action: new URL(decodeEntities(action), baseUrl).href, fields };
}

function decodeEntities(text: string): string {
  return text.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
}

export interface PageVisit {
  readonly url: string;
  readonly status: number;
  readonly html: string;
}

export type UserDecision = 'approve' | 'deny';

/** The person at the browser: follows redirects, fills the server's forms, keeps its cookies. */
export class TestUser {
  private readonly jar = new CookieJar();
  /** Every URL the browser was sent to, in order (the loopback callback among them). */
  readonly visited: string[] = [];

  constructor(private readonly issuer: string) {}

  /** A fresh browser profile: no session at the server. */
  newBrowser(): TestUser {
    return new TestUser(this.issuer);
  }

  async visit(url: string, init: { method?: 'GET' | 'POST'; form?: Record<string, string> } = {}): Promise<PageVisit> {
    let current = url;
    let method = init.method ?? 'GET';
    let body: string | undefined = init.form ? new URLSearchParams(init.form).toString() : undefined;
    for (let hops = 0; hops < 20; hops++) {
      this.visited.push(current);
      const sameServer = current.startsWith(this.issuer);
      const response = await fetch(current, {
        method,
        redirect: 'manual',
        headers: {
          ...(sameServer && this.jar.header() ? { cookie: this.jar.header() } : {}),
          ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
          accept: 'text/html',
        },
        body,
      });
      if (sameServer) this.jar.store(response);
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        await response.arrayBuffer();
        current = new URL(location, current).href;
        method = 'GET';
        body = undefined;
        continue;
      }
      const html = await response.text();
      // oidc-provider's form_post pages submit themselves with script: do what the browser would.
      const autoForm = /onload="[^"]*submit\(\)|document\.forms\[0\]\.submit\(\)/i.test(html) ? parseForm(html, current) : undefined;
      if (autoForm) {
        current = autoForm.action;
        method = 'POST';
        body = new URLSearchParams(autoForm.fields).toString();
        continue;
      }
      return { url: current, status: response.status, html };
    }
    throw new Error(`Too many redirects from ${url}`);
  }

  private async submit(page: PageVisit, extra: Record<string, string>, formId?: string): Promise<PageVisit> {
    const form = parseForm(page.html, page.url, formId);
    if (!form) throw new Error(`No form on ${page.url}: ${page.html.slice(0, 300)}`);
    return this.visit(form.action, { method: 'POST', form: { ...form.fields, ...extra } });
  }

  /** Logs in and answers the login/consent pages until the server leaves its own origin or stops. */
  private async completeInteractions(start: PageVisit, login: string, decision: UserDecision): Promise<PageVisit> {
    let page = start;
    for (let step = 0; step < 6; step++) {
      if (!page.url.startsWith(this.issuer) || !page.url.includes('/interaction/')) return page;
      if (decision === 'deny') {
        const abort = /href="([^"]*\/abort[^"]*)"/i.exec(page.html)?.[1];
        if (!abort) throw new Error('No cancel link on the sign-in page');
        return this.visit(new URL(decodeEntities(abort), page.url).href);
      }
      page = page.html.includes('name="login"')
        ? await this.submit(page, { login, password: 'any-password' })
        : await this.submit(page, {});
    }
    return page;
  }

  /**
   * Follows an authorize URL as the user would: signs in as `login`, approves or denies, and
   * follows the redirect back to the app (the loopback server answers the last request).
   */
  async authorize(authorizeUrl: string, options: { login?: string; decision?: UserDecision } = {}): Promise<PageVisit> {
    const first = await this.visit(authorizeUrl);
    return this.completeInteractions(first, options.login ?? 'alice', options.decision ?? 'approve');
  }

  /** Enters a device code at the server's /device page, confirms (or aborts), then signs in. */
  async approveDevice(verificationUri: string, userCode: string, options: { login?: string; decision?: UserDecision } = {}): Promise<PageVisit> {
    const input = await this.visit(verificationUri);
    const confirm = await this.submit(input, { user_code: userCode }, 'op.deviceInputForm');
    if (options.decision === 'deny') return this.submit(confirm, { abort: 'yes' }, 'op.deviceConfirmForm');
    const afterConfirm = await this.submit(confirm, {}, 'op.deviceConfirmForm');
    return this.completeInteractions(afterConfirm, options.login ?? 'alice', 'approve');
  }
}

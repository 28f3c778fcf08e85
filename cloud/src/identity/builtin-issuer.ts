import type { IncomingMessage, ServerResponse } from 'node:http';
import Router from '@koa/router';
import type Koa from 'koa';
import type { Kysely } from 'kysely';
import type Provider from 'oidc-provider';
import type { Configuration, KoaContextWithOIDC } from 'oidc-provider';
import { type Account, Accounts } from '../accounts/accounts.js';
import type { Database } from '../database/schema.js';
import { readForm } from '../api/request-body.js';
import { DatabaseOidcAdapter } from './oidc-adapter.js';
import { consentPage, deviceConfirmPage, deviceInputPage, loginPage, messagePage, page, PAGE_CSP, escapeHtml } from './pages.js';
import { loadIssuerSecrets } from './server-secrets.js';
import type { TokenIdentity, TokenVerifier } from './token-verifier.js';

export const CLIENT_ID = 'agent-relay-desktop';
export const CLIENT_NAME = 'Agent Relay';
export const SCOPES = ['openid', 'email', 'offline_access'] as const;
export const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
export const OIDC_PATH = '/oidc';

export interface BuiltinIssuerOptions {
  readonly db: Kysely<Database>;
  /** The public base URL (what users and the desktop app see), without a trailing slash. */
  readonly baseUrl: string;
  /** Trust X-Forwarded-Proto/Host from a TLS-terminating proxy in front. */
  readonly trustProxy: boolean;
  /** Access token lifetime in seconds. */
  readonly accessTokenTtl: number;
}

/** Failed logins per email, per instance: five in a row lock that email out for a while. */
class LoginThrottle {
  private readonly failures = new Map<string, { count: number; until: number }>();
  private static readonly LIMIT = 5;
  private static readonly LOCK_MS = 5 * 60_000;

  locked(email: string): boolean {
    const entry = this.failures.get(email);
    return entry !== undefined && entry.count >= LoginThrottle.LIMIT && entry.until > Date.now();
  }

  failed(email: string): void {
    const entry = this.failures.get(email);
    const count = entry && entry.until > Date.now() ? entry.count + 1 : 1;
    this.failures.set(email, { count, until: Date.now() + LoginThrottle.LOCK_MS });
    if (this.failures.size > 10_000) this.failures.clear();
  }

  succeeded(email: string): void {
    this.failures.delete(email);
  }
}

export interface BuiltinIssuer {
  readonly issuer: string;
  readonly provider: Provider;
  readonly verifier: TokenVerifier;
  /** Routes for the login and consent pages (under /oidc/interaction), mounted on the server's Koa app. */
  readonly interactionRoutes: Koa.Middleware;
  /** Hands a request under /oidc to oidc-provider. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Ends every token and session of one grant (a revoked device's sign-in). */
  revokeGrant(grantId: string): Promise<void>;
}

function withPageHeaders(ctx: { set(name: string, value: string): void }): void {
  ctx.set('content-security-policy', PAGE_CSP);
  ctx.set('x-frame-options', 'DENY');
  ctx.set('cache-control', 'no-store');
}

/**
 * Loaded only when the built-in issuer runs. oidc-provider 9 warns at import on Node 20, which this
 * package supports (engines >=20.19) and tests on: that one warning is dropped, every other stays.
 */
async function loadOidcProvider(): Promise<{ default: typeof Provider }> {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].includes('Unsupported runtime')) return;
    warn(...args);
  };
  try {
    return await import('oidc-provider');
  } finally {
    console.warn = warn;
  }
}

export async function createBuiltinIssuer(options: BuiltinIssuerOptions): Promise<BuiltinIssuer> {
  const { db } = options;
  const accounts = new Accounts(db);
  const secrets = await loadIssuerSecrets(db);
  const issuer = `${options.baseUrl}${OIDC_PATH}`;

  const configuration: Configuration = {
    adapter: (name: string) => new DatabaseOidcAdapter(db, name),
    clients: [
      {
        client_id: CLIENT_ID,
        client_name: CLIENT_NAME,
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        grant_types: [DEVICE_GRANT, 'refresh_token'],
        response_types: [],
        redirect_uris: [],
      },
    ],
    jwks: secrets.jwks,
    cookies: { keys: [...secrets.cookieKeys] },
    scopes: [...SCOPES],
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    findAccount: async (_ctx: unknown, sub: string) => {
      const account = await accounts.findById(sub);
      if (!account) return undefined;
      return { accountId: account.id, claims: () => ({ sub: account.id, email: account.email, email_verified: true }) };
    },
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      userinfo: { enabled: true },
      deviceFlow: {
        enabled: true,
        charset: 'base-20',
        mask: '****-****',
        userCodeInputSource: (ctx: KoaContextWithOIDC, form: string, _out: unknown, error?: { name?: string; userCode?: unknown }) => {
          withPageHeaders(ctx);
          let message: string | undefined;
          if (error && (error.userCode || error.name === 'NoCodeError')) message = 'That code is not valid or has expired. Check the code on your device and try again.';
          else if (error?.name === 'AbortedError') message = 'The sign-in was cancelled.';
          else if (error) message = 'Something went wrong. Start the sign-in again on your device.';
          ctx.type = 'html';
          ctx.body = deviceInputPage(form, message, error !== undefined);
        },
        userCodeConfirmSource: (ctx: KoaContextWithOIDC, form: string, client: { clientName?: string; clientId: string }, _info: unknown, userCode: string) => {
          withPageHeaders(ctx);
          ctx.type = 'html';
          ctx.body = deviceConfirmPage(form, client.clientName ?? client.clientId, userCode);
        },
        successSource: (ctx: KoaContextWithOIDC) => {
          withPageHeaders(ctx);
          ctx.type = 'html';
          ctx.body = messagePage('Device connected', `${CLIENT_NAME} is signed in on your device. You can close this page.`);
        },
      },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx: KoaContextWithOIDC, form: string) => {
          withPageHeaders(ctx);
          ctx.type = 'html';
          ctx.body = page('Sign out', `<h1>Sign out of Agent Relay Cloud?</h1>${form}<div class="actions"><button type="submit" form="op.logoutForm" name="logout" value="yes">Sign out</button><button class="secondary" type="submit" form="op.logoutForm">Stay signed in</button></div>`);
        },
        postLogoutSuccessSource: (ctx: KoaContextWithOIDC) => {
          withPageHeaders(ctx);
          ctx.type = 'html';
          ctx.body = messagePage('Signed out', 'You are signed out of Agent Relay Cloud in this browser.');
        },
      },
    },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `${OIDC_PATH}/interaction/${interaction.uid}` },
    issueRefreshToken: (_ctx: unknown, client: { grantTypeAllowed(g: string): boolean }, code: { scopes: Set<string> }) =>
      client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access'),
    // Each device sign-in gets its own grant (and consent), so revoking one device signs out only that device.
    loadExistingGrant: async (ctx: { oidc: { result?: { consent?: { grantId?: string } } } }) => {
      const grantId = ctx.oidc.result?.consent?.grantId;
      return grantId ? provider.Grant.find(grantId) : undefined;
    },
    // Every refresh rotates the refresh token; a reused one is refused and ends the grant.
    rotateRefreshToken: true,
    ttl: {
      AccessToken: options.accessTokenTtl,
      RefreshToken: 30 * 24 * 3600,
      DeviceCode: 600,
      Grant: 365 * 24 * 3600,
      IdToken: 3600,
      Interaction: 3600,
      Session: 14 * 24 * 3600,
    },
    renderError: (ctx: KoaContextWithOIDC, out: Record<string, unknown>) => {
      withPageHeaders(ctx);
      ctx.type = 'html';
      const description = typeof out.error_description === 'string' ? out.error_description : String(out.error ?? 'error');
      ctx.body = messagePage('Something went wrong', description);
    },
  };

  const { default: ProviderClass } = await loadOidcProvider();
  const provider = new ProviderClass(issuer, configuration);
  provider.proxy = options.trustProxy;
  // oidc-provider reports client and server errors as events; the HTTP answer already says what happened.
  provider.on('server_error', (_ctx: unknown, error: unknown) => {
    process.stderr.write(`oidc-provider error: ${error instanceof Error ? error.message : String(error)}\n`);
  });
  const callback = provider.callback();
  const throttle = new LoginThrottle();

  const router = new Router({ prefix: `${OIDC_PATH}/interaction` });
  const abortUrl = (uid: string) => `${OIDC_PATH}/interaction/${uid}/abort`;

  async function renderInteraction(ctx: Koa.Context, error?: string, email?: string): Promise<void> {
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    withPageHeaders(ctx);
    ctx.type = 'html';
    if (details.prompt.name === 'login') {
      ctx.body = loginPage({ action: `${OIDC_PATH}/interaction/${details.uid}/login`, abort: abortUrl(details.uid), clientName: CLIENT_NAME, error, email });
      return;
    }
    if (details.prompt.name === 'consent') {
      const account: Account | undefined = details.session?.accountId ? await accounts.findById(details.session.accountId) : undefined;
      const scopes = String(details.params.scope ?? '').split(' ').filter(Boolean);
      ctx.body = consentPage({ action: `${OIDC_PATH}/interaction/${details.uid}/confirm`, abort: abortUrl(details.uid), clientName: CLIENT_NAME, email: account?.email ?? '', scopes });
      return;
    }
    ctx.status = 400;
    ctx.body = messagePage('Something went wrong', `This sign-in step (${escapeHtml(details.prompt.name)}) is not supported.`);
  }

  async function finish(ctx: Koa.Context, result: Record<string, unknown>, merge: boolean): Promise<void> {
    const returnTo = await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: merge });
    ctx.status = 303;
    ctx.redirect(returnTo);
  }

  router.get('/:uid', async (ctx) => renderInteraction(ctx));

  router.post('/:uid/login', async (ctx) => {
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    if (details.prompt.name !== 'login') return renderInteraction(ctx);
    const form = await readForm(ctx.req);
    const email = (form.get('login') ?? '').trim().toLowerCase();
    const password = form.get('password') ?? '';
    if (throttle.locked(email)) {
      ctx.status = 429;
      return renderInteraction(ctx, 'Too many failed attempts for this email. Wait a few minutes and try again.', email);
    }
    const account = email && password ? await accounts.authenticate(email, password) : undefined;
    if (!account) {
      throttle.failed(email);
      ctx.status = 401;
      return renderInteraction(ctx, 'The email or password is not correct.', email);
    }
    throttle.succeeded(email);
    await finish(ctx, { login: { accountId: account.id } }, false);
  });

  router.post('/:uid/confirm', async (ctx) => {
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    if (details.prompt.name !== 'consent' || !details.session?.accountId) return renderInteraction(ctx);
    await readForm(ctx.req);
    const promptDetails = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
    const grant = details.grantId ? await provider.Grant.find(details.grantId) : new provider.Grant({ accountId: details.session.accountId, clientId: String(details.params.client_id) });
    if (!grant) return renderInteraction(ctx, 'This sign-in has expired. Start again on your device.');
    if (promptDetails.missingOIDCScope) grant.addOIDCScope(promptDetails.missingOIDCScope.join(' '));
    if (promptDetails.missingOIDCClaims) grant.addOIDCClaims(promptDetails.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(promptDetails.missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(' '));
    const grantId = await grant.save();
    await finish(ctx, { consent: details.grantId ? {} : { grantId } }, true);
  });

  router.get('/:uid/abort', async (ctx) => {
    await finish(ctx, { error: 'access_denied', error_description: 'The user cancelled the sign-in.' }, false);
  });

  const routes = router.routes() as unknown as Koa.Middleware;
  const interactionRoutes: Koa.Middleware = async (ctx, next) => {
    try {
      await routes(ctx, next);
    } catch (error) {
      // An unknown or expired interaction (no cookie, old link): a page, not a stack trace.
      const name = (error as { name?: string }).name;
      if (name === 'SessionNotFound' || name === 'InvalidRequest') {
        withPageHeaders(ctx);
        ctx.status = 400;
        ctx.type = 'html';
        ctx.body = messagePage('This sign-in has expired', 'Start the sign-in again on your device.');
        return;
      }
      throw error;
    }
  };

  const verifier: TokenVerifier = {
    async verify(accessToken: string): Promise<TokenIdentity | undefined> {
      if (accessToken.length > 512) return undefined;
      const token = await provider.AccessToken.find(accessToken);
      if (!token || token.clientId !== CLIENT_ID || token.isExpired) return undefined;
      if (!(await accounts.findById(token.accountId))) return undefined;
      return { subject: token.accountId, grantId: token.grantId };
    },
  };

  return {
    issuer,
    provider,
    verifier,
    interactionRoutes,
    handle: (req, res) => {
      const withOriginal = req as IncomingMessage & { originalUrl?: string };
      withOriginal.originalUrl = req.url;
      req.url = (req.url ?? '/').slice(OIDC_PATH.length) || '/';
      if (!req.url.startsWith('/')) req.url = `/${req.url}`;
      return callback(req, res);
    },
    revokeGrant: async (grantId: string) => {
      const adapter = new DatabaseOidcAdapter(db, 'Grant');
      await adapter.revokeByGrantId(grantId);
      await adapter.destroy(grantId);
    },
  };
}

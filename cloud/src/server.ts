import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { apiMiddleware, API_PREFIX } from './api/routes.js';
import { SyncStore } from './api/sync-store.js';
import { type DatabaseHandle, openDatabase } from './database/connection.js';
import { type BuiltinIssuer, CLIENT_ID, createBuiltinIssuer, OIDC_PATH, SCOPES } from './identity/builtin-issuer.js';
import { ExternalIssuerVerifier } from './identity/external-issuer.js';
import { purgeExpiredOidcModels } from './identity/oidc-adapter.js';
import type { TokenVerifier } from './identity/token-verifier.js';
import { messagePage, PAGE_CSP } from './identity/pages.js';
import { hostForUrl, isLoopbackHost } from './network.js';
import { VERSION } from './version.js';

export interface ServeOptions {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly databaseUrl?: string;
  /** Trust this external OpenID Connect issuer instead of running the built-in one. */
  readonly issuer?: string;
  /** With an external issuer: the `aud` its access tokens must carry, if any. */
  readonly audience?: string;
  /** The client id the desktop app uses at the issuer (advertised by /api/v1/info). */
  readonly clientId?: string;
  /** The URL users reach the server at (e.g. https://sync.example.com behind a TLS proxy). */
  readonly publicUrl?: string;
  readonly trustProxy?: boolean;
  readonly allowInsecureHttp?: boolean;
  readonly tlsCert?: string;
  readonly tlsKey?: string;
  readonly accessTokenTtl?: number;
  readonly rateLimitPerMinute?: number;
}

export class ServeError extends Error {
  constructor(
    readonly code: 'insecure_http' | 'bad_option',
    message: string,
  ) {
    super(message);
  }
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly issuer: string;
  readonly database: DatabaseHandle;
  close(): Promise<void>;
}

/** Plain HTTP is for loopback, or behind a TLS-terminating proxy the operator vouches for. */
export function checkTransport(options: ServeOptions): void {
  const tls = Boolean(options.tlsCert && options.tlsKey);
  if (Boolean(options.tlsCert) !== Boolean(options.tlsKey)) throw new ServeError('bad_option', 'Give both --tls-cert and --tls-key, or neither.');
  if (tls || isLoopbackHost(options.host) || options.allowInsecureHttp) return;
  if (options.publicUrl?.startsWith('https://')) return;
  throw new ServeError(
    'insecure_http',
    `Refusing to serve plain HTTP on ${options.host}, which is not a loopback address: tokens would cross the network unencrypted. ` +
      'Use --tls-cert/--tls-key, or put a TLS-terminating proxy in front and pass --public-url https://…, or pass --allow-insecure-http if you really mean it.',
  );
}

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  checkTransport(options);
  if (options.publicUrl && !/^https?:\/\/[^/]+/.test(options.publicUrl)) throw new ServeError('bad_option', `--public-url must be an http(s) URL, not "${options.publicUrl}".`);
  if (options.issuer && !/^https?:\/\//.test(options.issuer)) throw new ServeError('bad_option', `--issuer must be an http(s) URL, not "${options.issuer}".`);

  const database = await openDatabase({ dataDir: options.dataDir, databaseUrl: options.databaseUrl });
  const tls = options.tlsCert && options.tlsKey ? { cert: fs.readFileSync(options.tlsCert), key: fs.readFileSync(options.tlsKey) } : undefined;
  const server = tls ? https.createServer(tls) : http.createServer();
  server.requestTimeout = 60_000;
  server.headersTimeout = 20_000;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await database.close();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  const baseUrl = (options.publicUrl ?? `${tls ? 'https' : 'http'}://${hostForUrl(options.host)}:${port}`).replace(/\/+$/, '');

  let builtin: BuiltinIssuer | undefined;
  let verifier: TokenVerifier;
  let issuer: string;
  try {
    if (options.issuer) {
      const external = new ExternalIssuerVerifier(options.issuer, options.audience);
      await external.start();
      verifier = external;
      issuer = options.issuer;
    } else {
      builtin = await createBuiltinIssuer({ db: database.db, baseUrl, trustProxy: Boolean(options.trustProxy), accessTokenTtl: options.accessTokenTtl ?? 3600 });
      verifier = builtin.verifier;
      issuer = builtin.issuer;
    }
  } catch (error) {
    server.close();
    await database.close();
    throw error;
  }

  const store = new SyncStore(database.db);
  const app = new Koa();
  app.proxy = Boolean(options.trustProxy);
  app.silent = true;
  app.use(async (ctx, next) => {
    ctx.set('x-content-type-options', 'nosniff');
    ctx.set('referrer-policy', 'no-referrer');
    if (tls || baseUrl.startsWith('https://')) ctx.set('strict-transport-security', 'max-age=31536000');
    await next();
  });
  if (builtin) app.use(builtin.interactionRoutes);
  app.use(
    apiMiddleware({
      store,
      verifier,
      info: { name: 'agent-relay-cloud', version: VERSION, issuer, clientId: options.clientId ?? CLIENT_ID, scopes: [...SCOPES] },
      rateLimitPerMinute: options.rateLimitPerMinute ?? 300,
      ...(builtin ? { revokeGrant: builtin.revokeGrant } : {}),
    }),
  );
  app.use((ctx) => {
    ctx.set('content-security-policy', PAGE_CSP);
    if (ctx.path === '/' || ctx.path === '/healthz') {
      if (ctx.path === '/healthz') {
        ctx.body = { ok: true };
        return;
      }
      ctx.type = 'html';
      ctx.body = messagePage('Agent Relay Cloud', `This is an Agent Relay sync server (version ${VERSION}). Turn on Cloud sync in Agent Relay and give it this address.`);
      return;
    }
    ctx.status = 404;
    ctx.type = 'html';
    ctx.body = messagePage('Not found', 'There is nothing at this address.');
  });
  const koaHandler = app.callback();

  server.on('request', (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const underIssuer = path === OIDC_PATH || path.startsWith(`${OIDC_PATH}/`);
    if (builtin && underIssuer && !path.startsWith(`${OIDC_PATH}/interaction/`)) {
      void builtin.handle(req, res);
      return;
    }
    void koaHandler(req, res);
  });

  // Expired sign-ins, old rate windows and leases: housekeeping every minute (any instance may do it).
  const housekeeping = setInterval(() => {
    const now = Date.now();
    void Promise.all([
      purgeExpiredOidcModels(database.db),
      store.purgeOldRateWindows(now - 5 * 60_000),
      database.db.deleteFrom('leases').where('expires_at', '<', now - 60_000).execute(),
    ]).catch((error: unknown) => process.stderr.write(`housekeeping failed: ${error instanceof Error ? error.message : String(error)}\n`));
  }, 60_000);
  housekeeping.unref();

  let closing: Promise<void> | undefined;
  return {
    url: baseUrl,
    port,
    issuer,
    database,
    close: () => {
      closing ??= (async () => {
        clearInterval(housekeeping);
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
          setTimeout(() => server.closeAllConnections(), 2000).unref();
        });
        await database.close();
      })();
      return closing;
    },
  };
}

export { API_PREFIX };

import Router from '@koa/router';
import type Koa from 'koa';
import { z } from 'zod';
import type { TokenIdentity, TokenVerifier } from '../identity/token-verifier.js';
import { ApiError, sendError } from './errors.js';
import { BodyError, readJson } from './request-body.js';
import type { SyncStore } from './sync-store.js';

export const API_PREFIX = '/api/v1';
const MAX_ENVELOPE_BYTES = 16 * 1024;
const MAX_LEASE_KEY = 200;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export interface ApiOptions {
  readonly store: SyncStore;
  readonly verifier: TokenVerifier;
  readonly info: { readonly name: string; readonly version: string; readonly issuer: string; readonly clientId: string; readonly scopes: ReadonlyArray<string> };
  /** Requests per user per minute, counted in the database so every instance shares the budget. */
  readonly rateLimitPerMinute: number;
  /** Ends a revoked device's sign-in at the built-in issuer. */
  readonly revokeGrant?: (grantId: string) => Promise<void>;
}

interface ApiState {
  identity: TokenIdentity;
  deviceId: string | null;
}

type ApiContext = Koa.ParameterizedContext<ApiState> & { params: Record<string, string> };

const deviceBody = z.object({ name: z.string().trim().min(1).max(200) });
const vaultBody = z.object({
  baseVersion: z.number().int().min(0),
  blob: z.string().min(1).regex(BASE64, 'blob must be base64'),
});
const keyBody = z.object({ baseVersion: z.number().int().min(0), envelope: z.record(z.string(), z.unknown()) });
const leaseBody = z.object({ ttlSeconds: z.number().int().min(1).max(120) });

async function parse<T>(ctx: ApiContext, schema: z.ZodType<T>): Promise<T> {
  const result = schema.safeParse(await readJson(ctx.req));
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new ApiError(400, 'bad_request', `Invalid request body${issue ? `: ${issue.path.join('.') || 'body'} ${issue.message}` : ''}.`);
  }
  return result.data;
}

function bearer(ctx: Koa.Context): string | undefined {
  const header = ctx.get('authorization');
  const match = /^Bearer\s+([^\s]+)\s*$/i.exec(header);
  return match?.[1];
}

function leaseKey(ctx: ApiContext): string {
  const key = ctx.params.key ?? '';
  if (key.length === 0 || key.length > MAX_LEASE_KEY) throw new ApiError(400, 'bad_request', `A lease key is 1 to ${MAX_LEASE_KEY} characters.`);
  return key;
}

function holder(ctx: ApiContext): string {
  if (!ctx.state.deviceId) throw new ApiError(400, 'device_required', 'Leases belong to a device: send X-Device-Id (register with POST /api/v1/devices).');
  return ctx.state.deviceId;
}

export function apiMiddleware(options: ApiOptions): Koa.Middleware {
  const { store } = options;
  const router = new Router<ApiState>({ prefix: API_PREFIX });

  router.get('/info', (ctx) => {
    ctx.body = { ...options.info, scopes: [...options.info.scopes] };
  });

  // Everything below needs a valid access token; everything is keyed by its subject.
  router.use(async (ctx, next) => {
    if (ctx.path === `${API_PREFIX}/info`) return next();
    const token = bearer(ctx);
    const identity = token ? await options.verifier.verify(token) : undefined;
    if (!identity) {
      throw new ApiError(401, 'unauthorized', token ? 'The access token is invalid, expired or revoked: sign in again.' : 'Send an access token: Authorization: Bearer <token>.', {}, { 'www-authenticate': 'Bearer realm="agent-relay-cloud"' });
    }
    const windowStart = Math.floor(Date.now() / 60_000) * 60_000;
    const count = await store.countRequest(identity.subject, windowStart);
    if (count > options.rateLimitPerMinute) {
      const retryAfter = Math.max(1, Math.ceil((windowStart + 60_000 - Date.now()) / 1000));
      throw new ApiError(429, 'rate_limited', `Too many requests: at most ${options.rateLimitPerMinute} a minute. Retry in ${retryAfter} s.`, {}, { 'retry-after': String(retryAfter) });
    }
    const deviceId = ctx.get('x-device-id') || null;
    if (deviceId) {
      const state = await store.touchDevice(identity.subject, deviceId);
      if (state.kind === 'revoked') throw new ApiError(403, 'device_revoked', 'This device was signed out of sync. Sign in again to sync on it.');
      if (state.kind === 'unknown') throw new ApiError(403, 'unknown_device', 'This device is not registered (or its data was removed): register it again with POST /api/v1/devices.');
    }
    ctx.state.identity = identity;
    ctx.state.deviceId = deviceId;
    return next();
  });

  router.post('/devices', async (ctx) => {
    const { name } = await parse(ctx, deviceBody);
    const { subject, grantId } = ctx.state.identity;
    const device = await store.registerDevice(subject, name, grantId ?? null);
    await store.audit(subject, device.id, 'device_registered', name);
    ctx.status = 201;
    ctx.body = { id: device.id, name: device.name, createdAt: device.createdAt };
  });

  router.get('/devices', async (ctx) => {
    ctx.body = { devices: await store.listDevices(ctx.state.identity.subject) };
  });

  router.delete('/devices/:id', async (ctx) => {
    const { subject } = ctx.state.identity;
    const deviceId = ctx.params.id ?? '';
    const revoked = await store.revokeDevice(subject, deviceId);
    if (!revoked) throw new ApiError(404, 'not_found', 'There is no such device.');
    if (revoked.grantId && options.revokeGrant) await options.revokeGrant(revoked.grantId);
    await store.audit(subject, ctx.state.deviceId, 'device_revoked', deviceId);
    ctx.status = 204;
  });

  router.get('/vault', async (ctx) => {
    ctx.body = await store.readVault(ctx.state.identity.subject);
  });

  router.put('/vault', async (ctx) => {
    const { baseVersion, blob } = await parse(ctx, vaultBody);
    const { subject } = ctx.state.identity;
    const outcome = await store.writeVault(subject, baseVersion, blob);
    if (!outcome.ok) {
      await store.audit(subject, ctx.state.deviceId, 'vault_conflict', `base version ${baseVersion}, current ${outcome.version}`);
      throw new ApiError(409, 'version_conflict', `The vault changed: it is at version ${outcome.version}, not ${baseVersion}. Merge and retry.`, { version: outcome.version, blob: outcome.current });
    }
    await store.audit(subject, ctx.state.deviceId, 'vault_written', `version ${outcome.version}`);
    ctx.body = { version: outcome.version };
  });

  router.delete('/vault', async (ctx) => {
    const { subject } = ctx.state.identity;
    await store.removeData(subject);
    await store.audit(subject, ctx.state.deviceId, 'data_removed');
    ctx.status = 204;
  });

  router.get('/key', async (ctx) => {
    ctx.body = await store.readKey(ctx.state.identity.subject);
  });

  router.put('/key', async (ctx) => {
    const { baseVersion, envelope } = await parse(ctx, keyBody);
    const serialized = JSON.stringify(envelope);
    if (Buffer.byteLength(serialized) > MAX_ENVELOPE_BYTES) throw new ApiError(413, 'too_large', `The key envelope is larger than ${MAX_ENVELOPE_BYTES} bytes.`);
    const { subject } = ctx.state.identity;
    const outcome = await store.writeKey(subject, baseVersion, serialized);
    if (!outcome.ok) {
      await store.audit(subject, ctx.state.deviceId, 'key_conflict', `base version ${baseVersion}, current ${outcome.version}`);
      throw new ApiError(409, 'version_conflict', `The key envelope changed: it is at version ${outcome.version}, not ${baseVersion}.`, { version: outcome.version, envelope: outcome.current });
    }
    await store.audit(subject, ctx.state.deviceId, 'key_written', `version ${outcome.version}`);
    ctx.body = { version: outcome.version };
  });

  router.post('/leases/:key', async (ctx) => {
    const key = leaseKey(ctx);
    const device = holder(ctx);
    const { ttlSeconds } = await parse(ctx, leaseBody);
    const { subject } = ctx.state.identity;
    const outcome = await store.takeLease(subject, key, device, ttlSeconds);
    if (outcome.granted) {
      await store.audit(subject, device, 'lease_granted', key);
      ctx.body = { granted: true, expiresAt: new Date(outcome.expiresAt).toISOString() };
    } else {
      await store.audit(subject, device, 'lease_denied', key);
      ctx.status = 409;
      ctx.body = { granted: false, holder: outcome.holder, expiresAt: new Date(outcome.expiresAt).toISOString() };
    }
  });

  router.delete('/leases/:key', async (ctx) => {
    const key = leaseKey(ctx);
    const device = holder(ctx);
    const { subject } = ctx.state.identity;
    if ((await store.releaseLease(subject, key, device)) === 'not_holder') {
      throw new ApiError(409, 'not_holder', 'Another device holds this lease; only its holder releases it.');
    }
    await store.audit(subject, device, 'lease_released', key);
    ctx.status = 204;
  });

  router.get('/audit', async (ctx) => {
    const raw = ctx.query.limit;
    const limit = raw === undefined ? 100 : Number(raw);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new ApiError(400, 'bad_request', 'limit is an integer from 1 to 1000.');
    ctx.body = { events: await store.auditEvents(ctx.state.identity.subject, limit) };
  });

  const routes = router.routes() as unknown as Koa.Middleware;
  const allowed = router.allowedMethods() as unknown as Koa.Middleware;

  return async (ctx, next) => {
    if (ctx.path !== API_PREFIX && !ctx.path.startsWith(`${API_PREFIX}/`)) return next();
    ctx.set('cache-control', 'no-store');
    try {
      await routes(ctx, async () => undefined);
      await allowed(ctx, async () => undefined);
      if (ctx.status === 405) throw new ApiError(405, 'method_not_allowed', `${ctx.method} is not allowed on ${ctx.path}.`, {}, { allow: String(ctx.response.get('allow')) });
      if (ctx.body === undefined && ctx.status === 404) throw new ApiError(404, 'not_found', `There is no ${ctx.method} ${ctx.path}.`);
    } catch (error) {
      if (error instanceof ApiError) return sendError(ctx, error);
      if (error instanceof BodyError) return sendError(ctx, new ApiError(error.code === 'too_large' ? 413 : 400, error.code, error.message));
      process.stderr.write(`API error on ${ctx.method} ${ctx.path}: ${error instanceof Error ? error.message : String(error)}\n`);
      sendError(ctx, new ApiError(500, 'internal', 'The server failed to handle this request.'));
    }
  };
}

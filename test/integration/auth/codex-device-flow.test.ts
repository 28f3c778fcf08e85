import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { signInWithCodexDeviceCode } from '../../../main/core/auth/codex-device-flow.js';
import type { Clock } from '../../../main/core/auth/device-flow.js';
import type { AuthFlowEvent } from '../../../main/core/auth/flow-events.js';
import { BUILT_IN_PROVIDERS, type Provider } from '../../../main/core/auth/provider-registry.js';

/**
 * OpenAI's device-login endpoints cannot run here: this server imitates them as PROVIDERS.md
 * describes (usercode, token polling with 403/404 while pending, then a code exchange).
 */
interface FakeCodexOptions {
  readonly usercodeStatus?: number;
  /** Polls answered "pending" before the code is handed out. */
  readonly pendingPolls?: number;
  readonly pendingStatus?: 403 | 404;
}

const CLIENT_ID = 'app_EMoamEEZ73f0CkXaXp7hrann';
const keys = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });

function signedIdToken(issuer: string, claims: Record<string, unknown>): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const body = `${encode({ alg: 'RS256', typ: 'JWT' })}.${encode({ iss: issuer, aud: CLIENT_ID, iat: now, exp: now + 3600, ...claims })}`;
  return `${body}.${crypto.sign('sha256', Buffer.from(body), keys.privateKey).toString('base64url')}`;
}

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

async function fakeCodex(options: FakeCodexOptions = {}) {
  const seen: { path: string; body: Record<string, string>; contentType: string }[] = [];
  let polls = 0;
  let issuer = '';
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const contentType = String(req.headers['content-type'] ?? '');
      const body = contentType.startsWith('application/json') ? (JSON.parse(raw) as Record<string, string>) : Object.fromEntries(new URLSearchParams(raw));
      seen.push({ path: req.url ?? '', body, contentType });
      const json = (status: number, value: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
      switch (req.url) {
        case '/api/accounts/deviceauth/usercode':
          if (options.usercodeStatus) return json(options.usercodeStatus, { error: 'not_found' });
          return json(200, { device_auth_id: 'dev-auth-1', user_code: 'ABCD-1234', interval: '5' });
        case '/api/accounts/deviceauth/token':
          if (body.device_auth_id !== 'dev-auth-1' || body.user_code !== 'ABCD-1234') return json(400, { error: 'bad_request' });
          if (polls++ < (options.pendingPolls ?? 2)) return json(options.pendingStatus ?? 403, { error: 'authorization_pending' });
          return json(200, { authorization_code: 'device-issued-code', code_verifier: 'v'.repeat(64), code_challenge: 'unused' });
        case '/oauth/token':
          if (body.code !== 'device-issued-code' || body.code_verifier !== 'v'.repeat(64) || body.redirect_uri !== `${issuer}/deviceauth/callback`) {
            return json(400, { error: 'invalid_grant' });
          }
          return json(200, {
            access_token: 'codex-access-token-value',
            refresh_token: 'codex-refresh-token-value',
            id_token: signedIdToken(issuer, { sub: 'user-1', email: 'carol@example.test' }),
            token_type: 'Bearer',
            expires_in: 3600,
          });
        default:
          return json(404, {});
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const base = BUILT_IN_PROVIDERS.find((p) => p.id === 'openai')!;
  const provider: Provider = { ...base, issuer, authorizationEndpoint: `${issuer}/oauth/authorize`, tokenEndpoint: `${issuer}/oauth/token` };
  return { provider, seen, issuer };
}

/** Sleeps pass at once; the test is about the protocol, the timing rules have their own unit tests. */
function instantClock(): Clock & { sleeps: number[] } {
  let time = Date.now();
  const sleeps: number[] = [];
  return { sleeps, now: () => time, sleep: async (ms) => void (sleeps.push(ms), (time += ms)) };
}

describe('Codex device login adapter', () => {
  it('gets a user code, polls through 403 and 404 pending answers, and exchanges the returned code', async () => {
    const { provider, seen, issuer } = await fakeCodex({ pendingPolls: 3 });
    const events: AuthFlowEvent[] = [];
    const clock = instantClock();
    const result = await signInWithCodexDeviceCode({ provider, onEvent: (e) => events.push(e), clock });
    if (!result.ok) throw new Error(result.error.message);
    expect(events).toEqual([{ event: 'device-code', userCode: 'ABCD-1234', verificationUri: `${issuer}/codex/device`, expiresIn: 900, interval: 5 }]);
    expect(result.value.account?.email).toBe('carol@example.test');
    expect(result.value.refreshToken).toBe('codex-refresh-token-value');
    expect(seen[0]).toMatchObject({ path: '/api/accounts/deviceauth/usercode', body: { client_id: CLIENT_ID } });
    expect(seen[0]!.contentType).toMatch(/^application\/json/);
    expect(seen.filter((s) => s.path === '/api/accounts/deviceauth/token')).toHaveLength(4);
    const exchange = seen.find((s) => s.path === '/oauth/token')!;
    expect(exchange.contentType).toMatch(/^application\/x-www-form-urlencoded/);
    expect(exchange.body).toMatchObject({ grant_type: 'authorization_code', client_id: CLIENT_ID, redirect_uri: `${issuer}/deviceauth/callback` });
    expect(clock.sleeps).toEqual([5000, 5000, 5000, 5000]);
  });

  it('treats 404 while polling as pending too', async () => {
    const { provider } = await fakeCodex({ pendingPolls: 2, pendingStatus: 404 });
    const result = await signInWithCodexDeviceCode({ provider, onEvent: () => undefined, clock: instantClock() });
    expect(result.ok).toBe(true);
  });

  it('reports a 404 on the first call as device login turned off for the account', async () => {
    const { provider } = await fakeCodex({ usercodeStatus: 404 });
    const result = await signInWithCodexDeviceCode({ provider, onEvent: () => undefined, clock: instantClock() });
    expect(result.ok ? 'ok' : result.error.code).toBe('device_login_disabled');
  });

  it('gives up with expired_token after 15 minutes of pending', async () => {
    const { provider, seen } = await fakeCodex({ pendingPolls: 1_000 });
    const result = await signInWithCodexDeviceCode({ provider, onEvent: () => undefined, clock: instantClock() });
    expect(result).toEqual({ ok: false, error: { code: 'expired_token', message: 'The code expired — get a new code' } });
    expect(seen.filter((s) => s.path === '/api/accounts/deviceauth/token').length).toBe(179);
  });
});

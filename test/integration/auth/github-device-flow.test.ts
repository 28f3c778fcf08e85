import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type Clock, signInWithDeviceCode } from '../../../main/core/auth/device-flow.js';
import type { AuthFlowEvent } from '../../../main/core/auth/flow-events.js';
import { BUILT_IN_PROVIDERS, type Provider } from '../../../main/core/auth/provider-registry.js';

/**
 * github.com cannot be reached from here: this imitates its device flow quirks (JSON only with
 * `Accept: application/json`, errors with HTTP 200, a new `interval` sent with slow_down).
 */
const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

async function fakeGithub(script: ReadonlyArray<Record<string, unknown>>) {
  const polls: { accept?: string; body: Record<string, string> }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
      const json = (value: unknown) => res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(value));
      if (req.headers.accept !== 'application/json') {
        res.writeHead(200, { 'content-type': 'application/x-www-form-urlencoded' }).end('error=unsupported');
        return;
      }
      if (req.url === '/login/device/code') {
        return json({ device_code: 'dc-1', user_code: 'WDJB-MJHT', verification_uri: 'https://github.com/login/device', expires_in: 899, interval: 5 });
      }
      if (req.url === '/login/oauth/access_token') {
        polls.push({ accept: req.headers.accept, body });
        return json(script[polls.length - 1] ?? { error: 'expired_token' });
      }
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const base = BUILT_IN_PROVIDERS.find((p) => p.id === 'github-copilot')!;
  const provider: Provider = {
    ...base,
    issuer: origin,
    deviceAuthorizationEndpoint: `${origin}/login/device/code`,
    tokenEndpoint: `${origin}/login/oauth/access_token`,
  };
  return { provider, polls };
}

function instantClock(): Clock & { sleeps: number[] } {
  let time = Date.now();
  const sleeps: number[] = [];
  return { sleeps, now: () => time, sleep: async (ms) => void (sleeps.push(ms), (time += ms)) };
}

describe('GitHub device flow (RFC 8628 with GitHub quirks)', () => {
  it('handles pending and slow_down with a new interval sent with HTTP 200, then signs in', async () => {
    const { provider, polls } = await fakeGithub([
      { error: 'authorization_pending' },
      { error: 'slow_down', interval: 10 },
      { error: 'authorization_pending' },
      { access_token: 'gho_16C7e42F292c6912E7710c838347Ae178B4a', token_type: 'bearer', scope: 'read:user' },
    ]);
    const clock = instantClock();
    const events: AuthFlowEvent[] = [];
    const result = await signInWithDeviceCode({ provider, onEvent: (e) => events.push(e), clock });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.scope).toBe('read:user');
    expect(clock.sleeps).toEqual([5000, 5000, 10000, 10000]);
    expect(polls[0]!.body).toMatchObject({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: 'dc-1', client_id: 'Iv1.b507a08c87ecfe98' });
    expect(events.map((e) => e.event === 'device-code' && e.userCode)).toEqual(['WDJB-MJHT', 'WDJB-MJHT']);
  });

  it('ends on access_denied sent with HTTP 200', async () => {
    const { provider } = await fakeGithub([{ error: 'access_denied' }]);
    const result = await signInWithDeviceCode({ provider, onEvent: () => undefined, clock: instantClock() });
    expect(result).toEqual({ ok: false, error: { code: 'access_denied', message: 'Sign-in was denied — try again' } });
  });
});

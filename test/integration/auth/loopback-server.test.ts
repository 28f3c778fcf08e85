import fs from 'node:fs';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { signInWithBrowser } from '../../../main/core/auth/browser-flow.js';
import { type CallbackSuccess, startLoopbackServer } from '../../../main/core/auth/loopback-server.js';
import { type AuthResult, ok } from '../../../main/core/auth/auth-errors.js';
import { type OidcServer, startOidcServer } from '../../support/oidc-server.js';
import { customOidcEntry, makeDataDir, providerFromConfig, writeProvidersJson } from '../../support/auth-fixtures.js';

const STATE = 'expected-state-value';
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

/** A loopback server whose exchange step just records that it ran. */
async function server(options: { timeoutMs?: number; signal?: AbortSignal; port?: number; fallbackPorts?: number[]; exchangeDelayMs?: number } = {}) {
  const exchanges: URLSearchParams[] = [];
  const started = await startLoopbackServer<string>({
    providerName: 'Test Provider',
    redirectHost: '127.0.0.1',
    port: options.port ?? 0,
    fallbackPorts: options.fallbackPorts,
    path: '/callback',
    expectedState: STATE,
    timeoutMs: options.timeoutMs,
    signal: options.signal,
    onCallback: async (params): Promise<AuthResult<CallbackSuccess<string>>> => {
      exchanges.push(params);
      if (options.exchangeDelayMs) await new Promise((r) => setTimeout(r, options.exchangeDelayMs));
      return ok({ value: 'tokens', accountLabel: 'alice@example.test' });
    },
  });
  if (!started.ok) throw new Error(started.error.message);
  cleanups.push(() => started.value.close());
  return { ...started.value, exchanges };
}

async function get(url: string): Promise<{ status: number; html: string }> {
  const response = await fetch(url);
  return { status: response.status, html: await response.text() };
}

/** Holds a port on 127.0.0.1 the way another program would. */
async function occupyPort(): Promise<number> {
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
  return (blocker.address() as net.AddressInfo).port;
}

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('loopback server', () => {
  it('accepts one callback with the right state, shows the success page, then closes', async () => {
    const s = await server();
    const page = await get(`${s.redirectUri}?code=abc&state=${STATE}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Signed in to Test Provider — you can close this tab and return to Agent Relay');
    expect(page.html).toContain('Connected as alice@example.test');
    expect(page.html).not.toMatch(/<script|https?:\/\/(?!127)/);
    expect(await s.result).toEqual({ ok: true, value: 'tokens' });
    await expect(fetch(s.redirectUri)).rejects.toThrow();
  });

  it('binds 127.0.0.1 and names the redirect with the host the provider registered', async () => {
    const started = await startLoopbackServer({
      providerName: 'P',
      redirectHost: 'localhost',
      port: 0,
      path: '/auth/callback',
      expectedState: STATE,
      onCallback: async () => ok({ value: 1 }),
    });
    if (!started.ok) throw new Error(started.error.message);
    cleanups.push(() => started.value.close());
    expect(started.value.redirectUri).toBe(`http://localhost:${started.value.port}/auth/callback`);
    const page = await get(`http://127.0.0.1:${started.value.port}/auth/callback?code=x&state=${STATE}`);
    expect(page.status).toBe(200);
  });

  it('answers other paths with 404 and keeps waiting', async () => {
    const s = await server();
    expect((await get(`http://127.0.0.1:${s.port}/favicon.ico`)).status).toBe(404);
    expect((await get(`${s.redirectUri}?code=abc&state=${STATE}`)).status).toBe(200);
    expect((await s.result).ok).toBe(true);
  });

  it('refuses a wrong state without exchanging the code', async () => {
    const s = await server();
    const page = await get(`${s.redirectUri}?code=abc&state=forged`);
    expect(page.status).toBe(400);
    expect(page.html).toContain('state mismatch');
    const result = await s.result;
    expect(result.ok ? 'ok' : result.error.code).toBe('state_mismatch');
    expect(s.exchanges).toEqual([]);
  });

  it('refuses a callback without a code', async () => {
    const s = await server();
    const page = await get(`${s.redirectUri}?state=${STATE}`);
    expect(page.html).toContain('carried no authorization code');
    const result = await s.result;
    expect(result.ok ? 'ok' : result.error.code).toBe('missing_code');
  });

  it('refuses a second callback (already_used) and exchanges once', async () => {
    // The exchange takes a while, so the second callback arrives while the first is being exchanged.
    const s = await server({ exchangeDelayMs: 300 });
    const firstRequest = get(`${s.redirectUri}?code=one&state=${STATE}`);
    while (s.exchanges.length === 0) await new Promise((r) => setTimeout(r, 10));
    const [first, second] = await Promise.all([firstRequest, get(`${s.redirectUri}?code=two&state=${STATE}`)]);
    const statuses = [first.status, second.status].sort();
    expect(statuses).toEqual([200, 409]);
    expect([first.html, second.html].join()).toContain('already used');
    expect(s.exchanges).toHaveLength(1);
    expect((await s.result).ok).toBe(true);
  });

  it('times out: the result says so and a late callback reaches nothing', async () => {
    const s = await server({ timeoutMs: 150 });
    const result = await s.result;
    expect(result.ok ? 'ok' : result.error.code).toBe('timeout');
    if (!result.ok) expect(result.error.message).toContain('Start the sign-in again');
    await expect(fetch(`${s.redirectUri}?code=abc&state=${STATE}`)).rejects.toThrow();
    expect(s.exchanges).toEqual([]);
  });

  it('cancel ends the wait at once and closes the port', async () => {
    const controller = new AbortController();
    const s = await server({ signal: controller.signal });
    controller.abort();
    const result = await s.result;
    expect(result.ok ? 'ok' : result.error.code).toBe('cancelled');
    await expect(fetch(`${s.redirectUri}?code=abc&state=${STATE}`)).rejects.toThrow();
  });

  it('uses the provider’s fixed port, and its fallback when the fixed port is busy', async () => {
    const busy = await occupyPort();
    const fallback = await freePort();
    const s = await server({ port: busy, fallbackPorts: [fallback] });
    expect(s.port).toBe(fallback);
    expect(s.redirectUri).toBe(`http://127.0.0.1:${fallback}/callback`);
  });

  it('reports port_in_use, naming the ports, when the fixed port and its fallback are taken', async () => {
    const busy = await occupyPort();
    const busyFallback = await occupyPort();
    const started = await startLoopbackServer({
      providerName: 'Codex',
      redirectHost: 'localhost',
      port: busy,
      fallbackPorts: [busyFallback],
      path: '/auth/callback',
      expectedState: STATE,
      onCallback: async () => ok({ value: 1 }),
    });
    expect(started.ok).toBe(false);
    if (started.ok) return;
    expect(started.error.code).toBe('port_in_use');
    expect(started.error.message).toContain(`Port ${busy} (and the fallback port ${busyFallback})`);
    expect(started.error.message).toContain('in use by another program');
  });
});

describe('browser sign-in refusals through the real OAuth server', () => {
  let oidc: OidcServer;
  let dataDir: string;

  async function setup(extra: Record<string, unknown> = {}) {
    oidc = await startOidcServer();
    dataDir = makeDataDir();
    cleanups.push(async () => {
      await oidc.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    });
    writeProvidersJson(dataDir, { 'test-oidc': customOidcEntry(oidc.issuer, extra) });
    return providerFromConfig(dataDir, 'test-oidc');
  }

  it('the user denying consent ends with access_denied and an error page', async () => {
    const provider = await setup();
    let opened!: (url: string) => void;
    const url = new Promise<string>((resolve) => (opened = resolve));
    const result = signInWithBrowser({ provider, onEvent: (e) => e.event === 'open-url' && opened(e.url) });
    const page = await oidc.user.authorize(await url, { decision: 'deny' });
    expect(page.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback\?error=access_denied/);
    expect(page.html).toContain('Sign-in was denied at Test OIDC');
    const outcome = await result;
    expect(outcome.ok ? 'ok' : outcome.error.code).toBe('access_denied');
    expect(oidc.countGrants('authorization_code')).toBe(0);
  });

  it('a replayed callback URL is refused after a successful sign-in', async () => {
    const provider = await setup();
    let opened!: (url: string) => void;
    const url = new Promise<string>((resolve) => (opened = resolve));
    const result = signInWithBrowser({ provider, onEvent: (e) => e.event === 'open-url' && opened(e.url) });
    const page = await oidc.user.authorize(await url);
    expect((await result).ok).toBe(true);
    await expect(fetch(page.url)).rejects.toThrow();
    expect(oidc.countGrants('authorization_code')).toBe(1);
  });

  it('a fixed port that is busy is reported before the browser opens', async () => {
    const busy = await occupyPort();
    const provider = await setup({ redirectPort: busy });
    const events: string[] = [];
    const outcome = await signInWithBrowser({ provider, onEvent: (e) => events.push(e.event) });
    expect(outcome.ok ? 'ok' : outcome.error.code).toBe('port_in_use');
    expect(events).toEqual([]);
  });

  it('cancel while waiting for the browser ends with cancelled', async () => {
    const provider = await setup();
    const controller = new AbortController();
    const outcome = signInWithBrowser({ provider, signal: controller.signal, onEvent: () => controller.abort() });
    const result = await outcome;
    expect(result.ok ? 'ok' : result.error.code).toBe('cancelled');
  });
});

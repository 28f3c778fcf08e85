import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadProviderRegistry, providersConfigPath, type Provider } from '../../../main/core/auth/provider-registry.js';
import { type RefreshAuditEvent, RefreshOwner } from '../../../main/core/auth/refresh.js';
import { revokeTokens } from '../../../main/core/auth/revoke.js';
import type { TokenSet } from '../../../main/core/auth/token-set.js';
import { type OidcServer, startOidcServer } from '../../support/oidc-server.js';
import { JsonCredentialStore } from '../../support/json-credential-store.js';
import {
  captureLogger,
  customOidcEntry,
  expectNoSecretsLeaked,
  makeDataDir,
  providerFromConfig,
  secretsOf,
  signInThroughBrowser,
  writeProvidersJson,
} from '../../support/auth-fixtures.js';

const KEY = 'test-oidc/default';
let oidc: OidcServer;
let dataDir: string;
let provider: Provider;
let store: JsonCredentialStore;

beforeEach(async () => {
  oidc = await startOidcServer();
  dataDir = makeDataDir();
  writeProvidersJson(dataDir, { 'test-oidc': customOidcEntry(oidc.issuer) });
  provider = providerFromConfig(dataDir, 'test-oidc');
  store = new JsonCredentialStore(path.join(dataDir, 'credentials.json'));
});

afterEach(async () => {
  await oidc.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** A signed-in account whose recorded expiry is within the refresh window. */
async function expiringAccount(): Promise<TokenSet> {
  const tokens = await signInThroughBrowser(oidc.user, provider);
  await store.saveAccount(KEY, { providerId: provider.id, tokens: { ...tokens, expiresAt: Date.now() + 60_000 }, state: 'connected', updatedAt: Date.now() });
  return tokens;
}

function owner(extra: { audit?: RefreshAuditEvent[]; logger?: ReturnType<typeof captureLogger>['logger'] } = {}) {
  return new RefreshOwner({
    store,
    providers: (id) => (id === provider.id ? provider : undefined),
    lockDir: path.join(dataDir, 'locks'),
    logger: extra.logger,
    onAudit: (event) => extra.audit?.push(event),
  });
}

describe('refresh owner against a real OAuth server', () => {
  it('refreshes ahead of expiry and keeps the rotated refresh token', async () => {
    const original = await expiringAccount();
    const { logger, lines } = captureLogger(dataDir);
    const result = await owner({ logger }).getFreshToken(KEY);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.accessToken).not.toBe(original.accessToken);
    expect(result.value.refreshToken).toBeTruthy();
    expect(result.value.refreshToken).not.toBe(original.refreshToken);
    const stored = await store.loadAccount(KEY);
    expect(stored?.tokens.refreshToken).toBe(result.value.refreshToken);
    expect(stored?.state).toBe('connected');
    expect(oidc.countGrants('refresh_token')).toBe(1);

    // The old refresh token is dead at the server: rotation really happened.
    const reuse = await new RefreshOwner({
      store: { loadAccount: async () => ({ providerId: provider.id, tokens: { ...original, expiresAt: 0 }, state: 'connected', updatedAt: 0 }), saveAccount: async () => undefined },
      providers: () => provider,
      lockDir: path.join(dataDir, 'locks-other'),
    }).getFreshToken('other');
    expect(reuse.ok ? 'ok' : reuse.error.code).toBe('needs_signin');
    expect(lines.some((l) => l.includes('refreshed credentials'))).toBe(true);
    expectNoSecretsLeaked({ dataDir, secrets: [...secretsOf(original), ...secretsOf(result.value)], storeFiles: [store.file], logLines: lines });
  });

  it('does not refresh a token that is not near expiry', async () => {
    const tokens = await signInThroughBrowser(oidc.user, provider);
    await store.saveAccount(KEY, { providerId: provider.id, tokens, state: 'connected', updatedAt: Date.now() });
    const result = await owner().getFreshToken(KEY);
    expect(result.ok && result.value.accessToken).toBe(tokens.accessToken);
    expect(oidc.countGrants('refresh_token')).toBe(0);
  });

  it('turns a revoked refresh token into "sign in again" without retrying', async () => {
    const tokens = await expiringAccount();
    const revoked = await revokeTokens(provider, tokens);
    expect(revoked).toEqual({ ok: true, value: { revoked: true } });
    const audit: RefreshAuditEvent[] = [];
    const refresher = owner({ audit });
    const first = await refresher.getFreshToken(KEY);
    expect(first.ok ? 'ok' : first.error.code).toBe('needs_signin');
    expect((await store.loadAccount(KEY))?.state).toBe('needs_signin');
    const again = await refresher.getFreshToken(KEY);
    expect(again.ok ? 'ok' : again.error.code).toBe('needs_signin');
    // One refused attempt at the server, no loop.
    expect(oidc.tokenRequests.filter((r) => r.grantType === 'refresh_token').map((r) => r.error)).toEqual(['invalid_grant']);
    expect(audit).toEqual([{ type: 'needs_signin', key: KEY, providerId: provider.id, code: 'invalid_grant' }]);
  });

  it('many concurrent callers cause exactly one refresh at the server', async () => {
    await expiringAccount();
    const refresher = owner();
    const results = await Promise.all(Array.from({ length: 25 }, () => refresher.getFreshToken(KEY)));
    const tokens = new Set(results.map((r) => (r.ok ? r.value.accessToken : r.error.code)));
    expect(tokens.size).toBe(1);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(oidc.countGrants('refresh_token')).toBe(1);
  });

  it('a 401 from the provider before the recorded expiry triggers one refresh, then the call succeeds', async () => {
    const tokens = await signInThroughBrowser(oidc.user, provider);
    await store.saveAccount(KEY, { providerId: provider.id, tokens: { ...tokens, expiresAt: Date.now() + 3_600_000 }, state: 'connected', updatedAt: Date.now() });
    // The access token dies at the server long before its recorded expiry.
    await oidc.killAccessToken(tokens.accessToken);
    const statuses: number[] = [];
    const userinfo = async (accessToken: string) => {
      const response = await fetch(`${oidc.issuer}/me`, { headers: { authorization: `Bearer ${accessToken}` } });
      statuses.push(response.status);
      return { status: response.status, value: response.status === 200 ? ((await response.json()) as { email: string }) : undefined };
    };
    const result = await owner().withFreshToken(KEY, userinfo);
    expect(result.ok && result.value?.email).toBe('alice@example.test');
    expect(statuses).toEqual([401, 200]);
    expect(oidc.countGrants('refresh_token')).toBe(1);
  });

  it('a 401 that survives the refresh turns the account into "sign in again"', async () => {
    const tokens = await signInThroughBrowser(oidc.user, provider);
    await store.saveAccount(KEY, { providerId: provider.id, tokens, state: 'connected', updatedAt: Date.now() });
    let calls = 0;
    const result = await owner().withFreshToken(KEY, async () => ({ status: 401, value: ++calls }));
    expect(result.ok ? 'ok' : result.error.code).toBe('needs_signin');
    expect(calls).toBe(2);
    expect(oidc.countGrants('refresh_token')).toBe(1);
    expect((await store.loadAccount(KEY))?.state).toBe('needs_signin');
  });

  it('two processes refreshing one account at once cause exactly one refresh', async () => {
    await expiringAccount();
    const bundleDir = fs.mkdtempSync(path.join(os.tmpdir(), 'refresh-child-'));
    try {
      const script = path.join(bundleDir, 'child.mjs');
      await build({
        entryPoints: [fileURLToPath(new URL('./refresh-child.ts', import.meta.url))],
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        outfile: script,
        logLevel: 'silent',
        banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
      });
      const child = spawn(process.execPath, [script, store.file, path.join(dataDir, 'locks'), providersConfigPath(dataDir), KEY], { stdio: ['pipe', 'pipe', 'inherit'] });
      const output: string[] = [];
      const ready = new Promise<void>((resolve) => {
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          output.push(...chunk.split('\n').filter(Boolean));
          if (output.includes('ready')) resolve();
        });
      });
      const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
      await ready;
      // Both processes start their refresh at the same moment.
      child.stdin.write('go\n');
      const here = await Promise.all([owner().getFreshToken(KEY), owner().getFreshToken(KEY)]);
      await exited;
      const there = JSON.parse(output.find((l) => l.startsWith('{')) ?? '{}') as { ok: boolean; accessTokenSha?: string };
      expect(there.ok).toBe(true);
      expect(here.every((r) => r.ok)).toBe(true);
      const hereSha = here.map((r) => (r.ok ? crypto.createHash('sha256').update(r.value.accessToken).digest('hex') : ''));
      expect(new Set([...hereSha, there.accessTokenSha]).size).toBe(1);
      expect(oidc.countGrants('refresh_token')).toBe(1);
      expect(fs.readdirSync(path.join(dataDir, 'locks'))).toEqual([]);
    } finally {
      fs.rmSync(bundleDir, { recursive: true, force: true });
    }
  });
});

describe('providers.json for the refresh owner', () => {
  it('loads the same provider in another process from the file path', () => {
    expect(loadProviderRegistry(providersConfigPath(dataDir)).get('test-oidc')?.issuer).toBe(oidc.issuer);
  });
});

describe('a token endpoint that never answers', () => {
  it('ends the refresh with timeout, changes nothing and frees the lock for the next refresh', async () => {
    const tokens = await expiringAccount();
    const hung: http.ServerResponse[] = [];
    const server = http.createServer((_req, res) => hung.push(res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      const stuck: Provider = { ...provider, tokenEndpoint: `http://127.0.0.1:${port}/token` };
      const started = Date.now();
      const result = await new RefreshOwner({ store, providers: () => stuck, lockDir: path.join(dataDir, 'locks'), requestTimeoutMs: 500 }).getFreshToken(KEY);
      expect(result.ok ? 'ok' : result.error).toMatchObject({ code: 'timeout', message: expect.stringMatching(/did not answer in time; nothing was changed/) });
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(hung).toHaveLength(1);
      expect((await store.loadAccount(KEY))?.tokens.refreshToken).toBe(tokens.refreshToken);
      expect(fs.readdirSync(path.join(dataDir, 'locks'))).toEqual([]);
      // The lock is free and the refresh token unspent: the real server refreshes it.
      const next = await owner().getFreshToken(KEY);
      expect(next.ok).toBe(true);
      expect(oidc.countGrants('refresh_token')).toBe(1);
    } finally {
      for (const res of hung) res.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

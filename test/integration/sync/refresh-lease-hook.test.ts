import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Provider } from '../../../main/core/auth/provider-registry.js';
import { type RefreshAuditEvent, type RefreshLease, RefreshOwner } from '../../../main/core/auth/refresh.js';
import type { TokenSet } from '../../../main/core/auth/token-set.js';
import { customOidcEntry, makeDataDir, providerFromConfig, signInThroughBrowser, writeProvidersJson } from '../../support/auth-fixtures.js';
import { JsonCredentialStore } from '../../support/json-credential-store.js';
import { startOidcServer, type OidcServer } from '../../support/oidc-server.js';

/** RefreshOwner's lease hook against a real OAuth server (rotating refresh tokens). */

const KEY = 'test-oidc:default';
let oidc: OidcServer;
let dataDir: string;
let provider: Provider;
let store: JsonCredentialStore;

beforeEach(async () => {
  oidc = await startOidcServer();
  dataDir = makeDataDir('sync-lease-');
  writeProvidersJson(dataDir, { 'test-oidc': customOidcEntry(oidc.issuer) });
  provider = providerFromConfig(dataDir, 'test-oidc');
  store = new JsonCredentialStore(path.join(dataDir, 'credentials.json'));
});
afterEach(async () => {
  await oidc.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function expiringAccount(): Promise<TokenSet> {
  const tokens = await signInThroughBrowser(oidc.user, provider);
  await store.saveAccount(KEY, { providerId: provider.id, tokens: { ...tokens, expiresAt: Date.now() + 60_000 }, state: 'connected', updatedAt: Date.now() });
  return tokens;
}

function owner(lease: RefreshLease, audit: RefreshAuditEvent[] = []) {
  return new RefreshOwner({ store, providers: () => provider, lockDir: path.join(dataDir, 'locks'), lease, leaseWaitMs: 10_000, onAudit: (e) => audit.push(e) });
}

describe('RefreshOwner with a refresh lease', () => {
  it('with the lease: refreshes once, and releases only after the new tokens are stored', async () => {
    const before = await expiringAccount();
    const seenAtRelease: string[] = [];
    const result = await owner({
      acquire: async () => ({
        granted: true,
        release: async () => {
          seenAtRelease.push((await store.loadAccount(KEY))!.tokens.accessToken);
        },
      }),
    }).getFreshToken(KEY);
    expect(result.ok).toBe(true);
    expect(oidc.countGrants('refresh_token')).toBe(1);
    const stored = (await store.loadAccount(KEY))!.tokens.accessToken;
    expect(stored).not.toBe(before.accessToken);
    expect(seenAtRelease).toEqual([stored]);
  });

  it('denied: waits, pulls, and adopts what the holder refreshed without spending the refresh token', async () => {
    await expiringAccount();
    const audit: RefreshAuditEvent[] = [];
    let pulls = 0;
    const result = await owner(
      {
        acquire: async () => ({ granted: false, retryAfterMs: 50 }),
        // The other device's push arrives with the pull.
        onDenied: async () => {
          pulls++;
          const current = (await store.loadAccount(KEY))!;
          await store.saveAccount(KEY, { ...current, tokens: { ...current.tokens, accessToken: 'from-the-other-device', expiresAt: Date.now() + 3_600_000 } });
        },
      },
      audit,
    ).getFreshToken(KEY);
    expect(result).toMatchObject({ ok: true, value: { accessToken: 'from-the-other-device' } });
    expect(pulls).toBe(1);
    expect(oidc.countGrants('refresh_token')).toBe(0);
    expect(audit.map((e) => e.type)).toEqual(['adopted']);
  });

  it('granted after a wait, with fresh tokens already pulled: adopts them and still releases', async () => {
    await expiringAccount();
    let released = 0;
    let asks = 0;
    const result = await owner({
      acquire: async () => {
        if (asks++ === 0) return { granted: false, retryAfterMs: 50 };
        const current = (await store.loadAccount(KEY))!;
        await store.saveAccount(KEY, { ...current, tokens: { ...current.tokens, accessToken: 'pulled-on-grant', expiresAt: Date.now() + 3_600_000 } });
        return { granted: true, release: async () => void released++ };
      },
    }).getFreshToken(KEY);
    expect(result).toMatchObject({ ok: true, value: { accessToken: 'pulled-on-grant' } });
    expect(released).toBe(1);
    expect(oidc.countGrants('refresh_token')).toBe(0);
  });

  it('offline (the lease cannot be asked for): refreshes alone', async () => {
    await expiringAccount();
    const result = await owner({
      acquire: async () => {
        throw new Error('The sync server cannot be reached (ECONNREFUSED)');
      },
    }).getFreshToken(KEY);
    expect(result.ok).toBe(true);
    expect(oidc.countGrants('refresh_token')).toBe(1);
  });
});

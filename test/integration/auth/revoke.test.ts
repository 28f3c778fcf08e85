import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUILT_IN_PROVIDERS } from '../../../main/core/auth/provider-registry.js';
import { revokeTokens } from '../../../main/core/auth/revoke.js';
import { type OidcServer, startOidcServer } from '../../support/oidc-server.js';
import { customOidcEntry, makeDataDir, providerFromConfig, signInThroughBrowser, writeProvidersJson } from '../../support/auth-fixtures.js';

let oidc: OidcServer;
let dataDir: string;

beforeEach(async () => {
  oidc = await startOidcServer();
  dataDir = makeDataDir();
  writeProvidersJson(dataDir, { 'test-oidc': customOidcEntry(oidc.issuer) });
});

afterEach(async () => {
  await oidc.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('revoking on disconnect (RFC 7009)', () => {
  it('revokes at the server: the access token stops working and the refresh token is refused', async () => {
    const provider = providerFromConfig(dataDir, 'test-oidc');
    const tokens = await signInThroughBrowser(oidc.user, provider);
    expect((await fetch(`${oidc.issuer}/me`, { headers: { authorization: `Bearer ${tokens.accessToken}` } })).status).toBe(200);
    expect(await revokeTokens(provider, tokens)).toEqual({ ok: true, value: { revoked: true } });
    expect((await fetch(`${oidc.issuer}/me`, { headers: { authorization: `Bearer ${tokens.accessToken}` } })).status).toBe(401);
    const refresh = await fetch(`${oidc.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refreshToken!, client_id: 'agent-relay-test' }),
    });
    expect(((await refresh.json()) as { error: string }).error).toBe('invalid_grant');
  });

  it('says nothing was revoked for a provider without a revocation endpoint, without any request', async () => {
    const anthropic = BUILT_IN_PROVIDERS.find((p) => p.id === 'anthropic')!;
    const requests: string[] = [];
    const result = await revokeTokens(anthropic, { accessToken: 'a', refreshToken: 'r' }, {
      fetch: async (input) => {
        requests.push(String(input));
        return new Response('{}', { status: 500 });
      },
    });
    expect(result).toEqual({ ok: true, value: { revoked: false } });
    expect(requests).toEqual([]);
  });
});

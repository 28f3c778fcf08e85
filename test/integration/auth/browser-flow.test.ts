import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signInWithBrowser } from '../../../main/core/auth/browser-flow.js';
import type { AuthFlowEvent } from '../../../main/core/auth/flow-events.js';
import { type OidcServer, startOidcServer } from '../../support/oidc-server.js';
import { customOidcEntry, expectNoSecretsLeaked, makeDataDir, providerFromConfig, secretsOf, writeProvidersJson } from '../../support/auth-fixtures.js';

let oidc: OidcServer;
let dataDir: string;

beforeEach(async () => {
  oidc = await startOidcServer();
  dataDir = makeDataDir();
});

afterEach(async () => {
  await oidc.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Starts the flow and hands back the authorize URL once the app asks for the browser to open. */
function startFlow(provider = providerFromConfig(dataDir, 'test-oidc'), extra: { timeoutMs?: number; signal?: AbortSignal } = {}) {
  let resolveUrl!: (url: string) => void;
  const opened = new Promise<string>((resolve) => (resolveUrl = resolve));
  const events: AuthFlowEvent[] = [];
  const result = signInWithBrowser({
    provider,
    onEvent: (event) => {
      events.push(event);
      if (event.event === 'open-url') resolveUrl(event.url);
    },
    ...extra,
  });
  return { opened, result, events };
}

describe('browser sign-in against a real OAuth server', () => {
  it('signs in end to end: the user follows the authorize URL, logs in, consents, and the loopback gets the code', async () => {
    writeProvidersJson(dataDir, { 'test-oidc': customOidcEntry(oidc.issuer) });
    const { opened, result } = startFlow();
    const authorizeUrl = await opened;
    const url = new URL(authorizeUrl);
    expect(url.origin).toBe(oidc.issuer);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);

    const lastPage = await oidc.user.authorize(authorizeUrl, { login: 'alice' });
    expect(lastPage.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback\?/);
    expect(lastPage.status).toBe(200);
    expect(lastPage.html).toContain('Signed in to Test OIDC');
    expect(lastPage.html).toContain('you can close this tab and return to Agent Relay');
    expect(lastPage.html).toContain('alice@example.test');

    const outcome = await result;
    if (!outcome.ok) throw new Error(outcome.error.message);
    expect(outcome.value.account?.email).toBe('alice@example.test');
    expect(outcome.value.refreshToken).toBeTruthy();
    expect(outcome.value.expiresAt).toBeGreaterThan(Date.now());
    expect(oidc.countGrants('authorization_code')).toBe(1);
    expectNoSecretsLeaked({ dataDir, secrets: secretsOf(outcome.value) });
  });
});

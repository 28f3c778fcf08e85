import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signInWithBrowser } from '../../../main/core/auth/browser-flow.js';
import type { AuthFlowEvent } from '../../../main/core/auth/flow-events.js';
import { type OidcServer, startOidcServer } from '../../support/oidc-server.js';
import { captureLogger, customOidcEntry, expectNoSecretsLeaked, makeDataDir, providerFromConfig, secretsOf, writeProvidersJson } from '../../support/auth-fixtures.js';

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
function startFlow(provider = providerFromConfig(dataDir, 'test-oidc'), extra: { logger?: ReturnType<typeof captureLogger>['logger'] } = {}) {
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
    const { logger, lines } = captureLogger(dataDir);
    const { opened, result } = startFlow(undefined, { logger });
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
    expect(lines.some((l) => l.includes('browser sign-in finished'))).toBe(true);
    expectNoSecretsLeaked({ dataDir, secrets: secretsOf(outcome.value), logLines: lines });
  });

  it('exchanges the code with a JSON body carrying the state when the provider wants JSON (Anthropic)', async () => {
    await oidc.close();
    oidc = await startOidcServer({ jsonTokenRequests: true });
    writeProvidersJson(dataDir, { 'test-oidc': customOidcEntry(oidc.issuer, { tokenRequestEncoding: 'json', redirectHost: 'localhost' }) });
    const { opened, result } = startFlow();
    const authorizeUrl = await opened;
    expect(new URL(authorizeUrl).searchParams.get('redirect_uri')).toMatch(/^http:\/\/localhost:\d+\/callback$/);
    // The test's browser resolves localhost to the loopback address the server bound.
    const lastPage = await oidc.user.authorize(authorizeUrl);
    expect(lastPage.html).toContain('Signed in to Test OIDC');
    const outcome = await result;
    expect(outcome.ok).toBe(true);
    expect(oidc.tokenBodies[0]).toEqual({
      contentType: 'application/json',
      keys: ['client_id', 'code', 'code_verifier', 'grant_type', 'redirect_uri', 'state'],
    });
  });

  it('uses endpoints given in providers.json without discovery', async () => {
    writeProvidersJson(dataDir, {
      'test-oidc': customOidcEntry(oidc.issuer, {
        authorizationEndpoint: `${oidc.issuer}/auth`,
        tokenEndpoint: `${oidc.issuer}/token`,
        userinfoEndpoint: `${oidc.issuer}/me`,
        methods: ['browser'],
      }),
    });
    const discoveries: string[] = [];
    let resolveUrl!: (url: string) => void;
    const opened = new Promise<string>((resolve) => (resolveUrl = resolve));
    const result = signInWithBrowser({
      provider: providerFromConfig(dataDir, 'test-oidc'),
      fetch: (input, init) => {
        if (String(input).includes('/.well-known/')) discoveries.push(String(input));
        return fetch(input, init);
      },
      onEvent: (e) => e.event === 'open-url' && resolveUrl(e.url),
    });
    await oidc.user.authorize(await opened);
    const outcome = await result;
    expect(outcome.ok && outcome.value.account?.email).toBe('alice@example.test');
    expect(discoveries).toEqual([]);
  });
});

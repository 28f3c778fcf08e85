import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { signInWithDeviceCode } from '../../../main/core/auth/device-flow.js';
import type { AuthFlowEvent } from '../../../main/core/auth/flow-events.js';
import { loadProviderRegistry, providersConfigPath } from '../../../main/core/auth/provider-registry.js';
import { type OidcServer, startOidcServer } from '../../support/oidc-server.js';
import { makeDataDir, providerFromConfig, writeProvidersJson } from '../../support/auth-fixtures.js';

// Overriding only `issuer` of a built-in provider must move its sign-in with it (discovery at the
// new issuer) or be refused by name: never a sign-in at the old host.

let oidc: OidcServer | undefined;
let dataDir: string | undefined;
afterEach(async () => {
  await oidc?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  oidc = dataDir = undefined;
});

/** Real fetch that remembers every host it was asked to reach. */
function recordingFetch(hosts: string[]): typeof fetch {
  return (input, init) => {
    hosts.push(new URL(input instanceof Request ? input.url : String(input)).host);
    return fetch(input, init);
  };
}

describe('a built-in provider with only its issuer overridden', () => {
  it('signs in at the new issuer: every endpoint found by discovery there, none at the built-in host', async () => {
    oidc = await startOidcServer({ deviceInterval: 1 });
    dataDir = makeDataDir();
    // A company's own OpenID server in place of Google's (the client is that server's, so it is given too;
    // so are its methods: Gemini's own way is now Gemini CLI's sign-in, not a flow the app runs).
    writeProvidersJson(dataDir, { google: { issuer: oidc.issuer, clientId: 'agent-relay-test', clientSecret: '', scopes: ['openid', 'email', 'offline_access'], methods: ['browser', 'device'] } });
    const provider = providerFromConfig(dataDir, 'google');
    expect(provider).toMatchObject({ issuer: oidc.issuer, name: 'Gemini' });
    for (const key of ['authorizationEndpoint', 'tokenEndpoint', 'deviceAuthorizationEndpoint', 'revocationEndpoint', 'userinfoEndpoint'] as const) {
      expect(provider[key], key).toBeUndefined();
    }

    const hosts: string[] = [];
    let approve!: (event: Extract<AuthFlowEvent, { event: 'device-code' }>) => void;
    const announced = new Promise<Extract<AuthFlowEvent, { event: 'device-code' }>>((resolve) => (approve = resolve));
    const result = signInWithDeviceCode({ provider, fetch: recordingFetch(hosts), onEvent: (event) => event.event === 'device-code' && approve(event) });
    const code = await announced;
    expect(code.verificationUri).toBe(`${oidc.issuer}/device`);
    await oidc.user.approveDevice(code.verificationUri, code.userCode, { login: 'grace' });
    const signedIn = await result;
    expect(signedIn.ok ? signedIn.value.account?.email : signedIn.error).toBe('grace@example.test');
    expect(new Set(hosts)).toEqual(new Set([new URL(oidc.issuer).host]));
  });

  it('an issuer without discovery fails the sign-in naming the fields to set, without reaching the built-in host', async () => {
    const bare = http.createServer((_req, res) => res.writeHead(404).end());
    await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
    try {
      const issuer = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;
      dataDir = makeDataDir();
      writeProvidersJson(dataDir, { google: { issuer, methods: ['browser', 'device'] } });
      const hosts: string[] = [];
      const events: AuthFlowEvent[] = [];
      const result = await signInWithDeviceCode({ provider: providerFromConfig(dataDir, 'google'), fetch: recordingFetch(hosts), onEvent: (e) => events.push(e) });
      expect(result.ok ? 'ok' : result.error).toEqual({
        code: 'discovery_failed',
        message: expect.stringContaining(`Check the issuer, or set authorizationEndpoint, tokenEndpoint, deviceAuthorizationEndpoint for "google" in providers.json.`),
      });
      expect(events).toEqual([]);
      expect(new Set(hosts)).toEqual(new Set([new URL(issuer).host]));
    } finally {
      await new Promise((resolve) => bare.close(resolve));
    }
  });

  it('is refused by name when the provider has an address no discovery gives (Copilot token, paste page)', () => {
    dataDir = makeDataDir();
    writeProvidersJson(dataDir, {
      'github-copilot': { issuer: 'https://github.example.com' },
      // Claude's paste page matters only where the app runs the paste flow (not the built-in Claude any more).
      anthropic: { issuer: 'https://claude.example.com', methods: ['paste'] },
    });
    const file = providersConfigPath(dataDir);
    const registry = loadProviderRegistry(file);
    expect(registry.errors.map((e) => e.message)).toEqual([
      `${file}: providers.github-copilot.issuer: moving GitHub Copilot to https://github.example.com also needs copilotTokenEndpoint (no discovery gives it); set copilotTokenEndpoint for "github-copilot", or remove its issuer to keep https://github.com`,
      `${file}: providers.anthropic.issuer: moving Claude Code to https://claude.example.com also needs pasteRedirectUri (no discovery gives it); set pasteRedirectUri for "anthropic", or remove its issuer to keep https://claude.com`,
    ]);
    // Given those too, the override is taken, and its other endpoints come from the new issuer.
    writeProvidersJson(dataDir, { 'github-copilot': { issuer: 'https://github.example.com', copilotTokenEndpoint: 'https://api.github.example.com/copilot_internal/v2/token' } });
    const moved = loadProviderRegistry(file);
    expect(moved.errors).toEqual([]);
    expect(moved.get('github-copilot')).toMatchObject({ issuer: 'https://github.example.com', copilotTokenEndpoint: 'https://api.github.example.com/copilot_internal/v2/token' });
    expect(moved.get('github-copilot')!.tokenEndpoint).toBeUndefined();
  });

  it('an issuer override to the same host, or one that gives the endpoints, keeps them', () => {
    dataDir = makeDataDir();
    writeProvidersJson(dataDir, { google: { issuer: 'https://accounts.google.com/' }, openai: { issuer: 'https://auth.example.com', tokenEndpoint: 'https://auth.example.com/token' } });
    const registry = loadProviderRegistry(providersConfigPath(dataDir));
    expect(registry.errors).toEqual([]);
    expect(registry.get('google')!.tokenEndpoint).toBe('https://oauth2.googleapis.com/token');
    expect(registry.get('openai')).toMatchObject({ tokenEndpoint: 'https://auth.example.com/token' });
    expect(registry.get('openai')!.authorizationEndpoint).toBeUndefined();
  });
});

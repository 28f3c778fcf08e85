import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SignInProgress } from '../../../preload/contract.js';
import { customOidcEntry, writeProvidersJson } from '../../support/auth-fixtures.js';
import { startOidcServer, type OidcServer } from '../../support/oidc-server.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { addUser, api, apiToken, connectedProviders, openDevice, signInDevice, startCloud, waitFor, type CloudServer, type Device } from './sync-support.js';

const PASSWORD = 'user-password-1234';
const PASSPHRASE = 'blue harbour lantern 42';

describe('refresh across devices: one rotating refresh token, one refresh', () => {
  let cloudDir: ReturnType<typeof makeTempDir>;
  let cloud: CloudServer;
  let oidc: OidcServer;
  const open: Device[] = [];
  const dirs: Array<ReturnType<typeof makeTempDir>> = [];

  /** A device whose providers.json adds the real OAuth server as provider test-oidc. */
  const device = (name: string) => {
    const dir = makeTempDir(`sync-${name}-`);
    dirs.push(dir);
    writeProvidersJson(dir.dir, { 'test-oidc': customOidcEntry(oidc.issuer, { methods: ['device'] }) });
    const d = openDevice(name, {}, dir.dir);
    open.push(d);
    return d;
  };

  beforeAll(async () => {
    cloudDir = makeTempDir('sync-cloud-');
    cloud = await startCloud(cloudDir.dir);
    // Rotating refresh tokens: a reused one is refused and ends the grant, as Anthropic and OpenAI do.
    oidc = await startOidcServer({ deviceInterval: 1, accessTokenTtl: 3600 });
  });
  afterEach(async () => {
    for (const d of open.splice(0)) await d.close();
    for (const d of dirs.splice(0)) d.cleanup();
  });
  afterAll(async () => {
    await cloud?.stop();
    await oidc?.close();
    cloudDir?.cleanup();
  });

  it('two devices with an expiring account perform ONE refresh between them and both end with the new tokens', async () => {
    const email = 'refresher@example.test';
    await addUser(cloudDir.dir, email, PASSWORD);
    const a = device('laptop');
    const b = device('desktop');
    await signInDevice(a, cloud.url, email, PASSWORD);
    await a.call('sync.enable', { passphrase: PASSPHRASE });
    await signInDevice(b, cloud.url, email, PASSWORD);
    await b.call('sync.enable', { passphrase: PASSPHRASE });

    // A real OAuth login on the first device, approved at the OAuth server's own pages.
    const { flowId } = await a.call('providers.connect', { provider: 'test-oidc', method: 'device' });
    const progress = () => a.events.filter((e) => e.event === 'providers.signIn').map((e) => e.payload as SignInProgress).filter((p) => p.flowId === flowId);
    const code = await waitFor(() => progress().find((p) => p.phase === 'device-code'));
    await oidc.user.approveDevice(code.verificationUri!, code.userCode!);
    const connected = await waitFor(() => progress().find((p) => p.phase === 'connected'), 20_000);
    const accountId = connected.account!.accountId;
    await waitFor(async () => (await b.call('sync.now')).state === 'up_to_date' && (await connectedProviders(b)).includes('test-oidc'));

    // The access token is about to expire, on both devices.
    await (await a.service.providers.openedVault()).updateSecrets('test-oidc', accountId, { expiresAt: Date.now() + 1000 });
    await waitFor(async () => {
      await b.call('sync.now');
      const secrets = await (await b.service.providers.openedVault()).getSecrets('test-oidc', accountId);
      return secrets?.expiresAt !== undefined && secrets.expiresAt < Date.now() + 60_000;
    });
    const original = await (await a.service.providers.openedVault()).getSecrets('test-oidc', accountId);
    expect(oidc.countGrants('refresh_token')).toBe(0);

    // Both need a fresh token at the same moment (two agents starting on two machines).
    const [fromA, fromB] = await Promise.all([a.service.providers.freshCredentials('test-oidc'), b.service.providers.freshCredentials('test-oidc')]);

    expect(oidc.countGrants('refresh_token')).toBe(1);
    expect(oidc.tokenRequests.filter((r) => r.grantType === 'refresh_token').map((r) => r.error)).toEqual([undefined]);
    expect(fromA.tokens?.accessToken).toBeTruthy();
    expect(fromA.tokens?.accessToken).not.toBe(original?.accessToken);
    expect(fromB.tokens?.accessToken).toBe(fromA.tokens?.accessToken);
    expect(fromB.tokens?.refreshToken).toBe(fromA.tokens?.refreshToken);
    for (const d of [a, b]) {
      const account = (await d.call('providers.list')).providers.find((p) => p.id === 'test-oidc')!.accounts[0]!;
      expect(account.state).toBe('connected');
    }

    // The server arbitrated: one device got the lease, the other was told to wait.
    const token = await apiToken(cloud.url, email, PASSWORD);
    const actions = ((await api(cloud.url, token, 'GET', '/audit?limit=200')).body.events as Array<{ action: string }>).map((e) => e.action);
    expect(actions).toContain('lease_granted');
    expect(actions).toContain('lease_denied');

    // And the refreshed token really works: a second round refreshes nothing.
    await Promise.all([a.service.providers.freshCredentials('test-oidc'), b.service.providers.freshCredentials('test-oidc')]);
    expect(oidc.countGrants('refresh_token')).toBe(1);
  }, 120_000);
});

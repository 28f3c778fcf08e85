import fs from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generateVaultKey } from '../../../main/core/sync/crypto.js';
import { SYNC_ENTRY_PROVIDER } from '../../../main/core/sync/sync-service.js';
import { makeTempDir } from '../../support/temp-dir.js';
import { addUser, allFileBytes, api, apiToken, connectedProviders, openDevice, signInDevice, startCloud, waitFor, type CloudServer, type Device } from './sync-support.js';

const PASSWORD = 'user-password-1234';
const PASSPHRASE = 'blue harbour lantern 42';

describe('cloud sync between two desktop data dirs through the real sync server', () => {
  let cloudDir: ReturnType<typeof makeTempDir>;
  let cloud: CloudServer;
  const open: Device[] = [];
  let users = 0;

  const newUser = async () => {
    const email = `user${++users}@example.test`;
    await addUser(cloudDir.dir, email, PASSWORD);
    return email;
  };
  const device = (name: string) => {
    const d = openDevice(name);
    open.push(d);
    return d;
  };
  /** A first device signed in and on, and a second one signed in and on with the same passphrase. */
  const pair = async () => {
    const email = await newUser();
    const a = device('laptop');
    const b = device('desktop');
    await signInDevice(a, cloud.url, email, PASSWORD);
    const first = await a.call('sync.enable', { passphrase: PASSPHRASE });
    await signInDevice(b, cloud.url, email, PASSWORD);
    await b.call('sync.enable', { passphrase: PASSPHRASE });
    return { email, a, b, recoveryCode: first.recoveryCode! };
  };

  beforeAll(async () => {
    cloudDir = makeTempDir('sync-cloud-');
    cloud = await startCloud(cloudDir.dir);
  });
  afterEach(async () => {
    for (const d of open.splice(0)) await d.close();
  });
  afterAll(async () => {
    await cloud?.stop();
    cloudDir?.cleanup();
  });

  it('first device chooses a passphrase and gets a recovery code once; the second is refused a wrong passphrase, then pulls with the right one', async () => {
    const email = await newUser();
    const a = device('laptop');
    await signInDevice(a, cloud.url, email, PASSWORD);
    expect(await a.call('sync.status')).toMatchObject({ state: 'needs_passphrase', passphrase: 'choose', signedIn: true, account: email, server: cloud.url, deviceName: 'laptop' });
    await expect(a.call('sync.enable', { passphrase: 'short' })).rejects.toMatchObject({ code: 'passphrase_too_short' });

    const first = await a.call('sync.enable', { passphrase: PASSPHRASE });
    expect(first.recoveryCode).toMatch(/^[A-Z2-7]{5}(-[A-Z2-7]{5}){5}$/);
    expect(first.status).toMatchObject({ state: 'up_to_date', signedIn: true });
    await a.call('providers.saveApiKey', { provider: 'openai', apiKey: 'sk-synced-openai-key-0001' });

    const b = device('desktop');
    await signInDevice(b, cloud.url, email, PASSWORD);
    expect(await b.call('sync.status')).toMatchObject({ state: 'needs_passphrase', passphrase: 'enter' });
    await expect(b.call('sync.enable', { passphrase: 'not the passphrase' })).rejects.toMatchObject({
      code: 'wrong_passphrase',
      message: expect.stringMatching(/passphrase you chose on your first device, or your recovery code/),
    });
    expect(await connectedProviders(b)).toEqual([]);
    const second = await b.call('sync.enable', { passphrase: PASSPHRASE });
    expect(second.recoveryCode).toBeUndefined();
    expect(second.status.state).toBe('up_to_date');
    expect(await connectedProviders(b)).toEqual(['openai']);
    const secrets = await (await b.service.providers.openedVault()).getSecrets('openai');
    expect(secrets?.apiKey).toBe('sk-synced-openai-key-0001');

    // The server lists both devices by name.
    const token = await apiToken(cloud.url, email, PASSWORD);
    const devices = await api(cloud.url, token, 'GET', '/devices');
    expect((devices.body.devices as Array<{ name: string }>).map((d) => d.name).sort()).toEqual(['desktop', 'laptop']);
  }, 90_000);

  it('a connection on one device appears on the other, and a disconnect travels back', async () => {
    const { a, b } = await pair();
    await a.call('providers.saveApiKey', { provider: 'anthropic', apiKey: 'sk-ant-synced-key-0002', account: 'work' });
    // Pushed on the local change (debounced); the other device pulls.
    await waitFor(async () => (await b.call('sync.now')).state === 'up_to_date' && (await connectedProviders(b)).includes('anthropic'));
    expect((await b.call('providers.list')).providers.find((p) => p.id === 'anthropic')?.accounts.map((x) => x.name)).toEqual(['work']);

    await b.call('providers.disconnect', { provider: 'anthropic', accountId: 'work' });
    await waitFor(async () => (await a.call('sync.now')).state === 'up_to_date' && !(await connectedProviders(a)).includes('anthropic'));
    // The tombstone keeps it gone: another round on both does not bring it back.
    await a.call('sync.now');
    await b.call('sync.now');
    expect(await connectedProviders(a)).toEqual([]);
    expect(await connectedProviders(b)).toEqual([]);
  }, 90_000);

  it('concurrent edits on both devices merge without loss; the write on the old version gets 409 and is merged and retried', async () => {
    const { email, a, b } = await pair();
    const token = await apiToken(cloud.url, email, PASSWORD);
    const before = (await api(cloud.url, token, 'GET', '/vault')).body.version as number;
    // Both change a different provider before either has seen the other's write.
    await Promise.all([
      a.call('providers.saveApiKey', { provider: 'openai', apiKey: 'sk-from-laptop-0003' }),
      b.call('providers.saveApiKey', { provider: 'google', apiKey: 'AIza-from-desktop-0004' }),
    ]);
    // Each device pushes on its own change, both on the version they last saw: one of them is refused.
    await waitFor(async () => ((await api(cloud.url, token, 'GET', '/vault')).body.version as number) >= before + 2);
    await waitFor(async () => {
      const [sa, sb] = [await a.call('sync.now'), await b.call('sync.now')];
      return sa.state === 'up_to_date' && sb.state === 'up_to_date' && (await connectedProviders(a)).length === 2 && (await connectedProviders(b)).length === 2;
    }, 20_000);
    expect((await connectedProviders(a)).sort()).toEqual(['google', 'openai']);
    expect((await connectedProviders(b)).sort()).toEqual(['google', 'openai']);
    expect((await (await a.service.providers.openedVault()).getSecrets('google'))?.apiKey).toBe('AIza-from-desktop-0004');
    expect((await (await b.service.providers.openedVault()).getSecrets('openai'))?.apiKey).toBe('sk-from-laptop-0003');

    // The server saw a refused stale write and then the merged one.
    const audit = (await api(cloud.url, token, 'GET', '/audit?limit=100')).body.events as Array<{ action: string }>;
    expect(audit.map((e) => e.action)).toContain('vault_conflict');
    expect(((await api(cloud.url, token, 'GET', '/vault')).body.version as number) - before).toBeGreaterThanOrEqual(2);
    expect([...a.logLines, ...b.logLines].some((l) => /write conflict; merging and retrying/.test(l))).toBe(true);
  }, 90_000);

  it('refuses a tampered or truncated blob from the server and applies nothing from it', async () => {
    const { email, a, b } = await pair();
    await a.call('providers.saveApiKey', { provider: 'openai', apiKey: 'sk-before-tamper-0005' });
    await waitFor(async () => (await b.call('sync.now')).state === 'up_to_date' && (await connectedProviders(b)).includes('openai'));
    await b.call('sync.disable');

    const token = await apiToken(cloud.url, email, PASSWORD);
    const current = (await api(cloud.url, token, 'GET', '/vault')).body as { version: number; blob: string };
    const raw = Buffer.from(current.blob, 'base64');
    raw[raw.length - 20] = raw[raw.length - 20]! ^ 0x40;
    expect((await api(cloud.url, token, 'PUT', '/vault', { baseVersion: current.version, blob: raw.toString('base64') })).status).toBe(200);

    const now = await a.call('sync.now');
    expect(now).toMatchObject({ state: 'error', code: 'blob_tampered', message: expect.stringMatching(/nothing from it was applied/) });
    expect(await connectedProviders(a)).toEqual(['openai']);

    const tampered = (await api(cloud.url, token, 'GET', '/vault')).body as { version: number };
    const cut = Buffer.from(current.blob, 'base64').subarray(0, 40).toString('base64');
    expect((await api(cloud.url, token, 'PUT', '/vault', { baseVersion: tampered.version, blob: cut })).status).toBe(200);
    expect(await a.call('sync.now')).toMatchObject({ state: 'error', code: 'blob_tampered' });
    expect((await (await a.service.providers.openedVault()).getSecrets('openai'))?.apiKey).toBe('sk-before-tamper-0005');
  }, 90_000);

  it('a passphrase change re-wraps the key: the old passphrase no longer unlocks a new device, the new one and the recovery code do', async () => {
    const { email, a, b, recoveryCode } = await pair();
    await expect(a.call('sync.changePassphrase', { current: 'wrong one', next: 'a brand new passphrase' })).rejects.toMatchObject({ code: 'wrong_passphrase' });
    await a.call('sync.changePassphrase', { current: PASSPHRASE, next: 'a brand new passphrase' });
    // The device already on keeps syncing with the same key.
    await a.call('providers.saveApiKey', { provider: 'openai', apiKey: 'sk-after-rewrap-0006' });
    await waitFor(async () => (await b.call('sync.now')).state === 'up_to_date' && (await connectedProviders(b)).includes('openai'));

    const c = device('tablet');
    await signInDevice(c, cloud.url, email, PASSWORD);
    await expect(c.call('sync.enable', { passphrase: PASSPHRASE })).rejects.toMatchObject({ code: 'wrong_passphrase' });
    expect((await c.call('sync.enable', { passphrase: recoveryCode.toLowerCase() })).status.state).toBe('up_to_date');
    expect(await connectedProviders(c)).toEqual(['openai']);
    await c.call('sync.disable');
    expect((await c.call('sync.enable', { passphrase: 'a brand new passphrase' })).status.state).toBe('up_to_date');
  }, 120_000);

  it("the server's database holds no token, API key, passphrase, recovery code or vault key in plain text; another user sees none of it", async () => {
    const { a, recoveryCode } = await pair();
    await a.call('providers.saveApiKey', { provider: 'openai', apiKey: 'sk-must-stay-secret-0007' });
    await waitFor(async () => (await a.call('sync.now')).state === 'up_to_date');
    const vault = await a.service.providers.openedVault();
    const entry = await vault.getAccount(SYNC_ENTRY_PROVIDER, 'account');
    const vaultKey = Buffer.from(entry!.secrets.extra!.vaultKey!, 'base64');
    expect(vaultKey).toHaveLength(32);
    expect(vaultKey.equals(generateVaultKey())).toBe(false);

    const bytes = allFileBytes(cloudDir.dir);
    expect(bytes.length).toBeGreaterThan(1000);
    for (const secret of [
      'sk-must-stay-secret-0007',
      PASSPHRASE,
      recoveryCode,
      recoveryCode.replace(/-/g, ''),
      vaultKey.toString('base64'),
      vaultKey.toString('hex'),
      vaultKey.toString('latin1'),
      entry!.secrets.extra!.accessToken!,
      entry!.secrets.extra!.refreshToken!,
    ]) {
      expect(bytes.includes(secret), `found ${secret.slice(0, 6)}… in the server's files`).toBe(false);
    }
    // The desktop's own data dir keeps the sync login and key encrypted too.
    const local = allFileBytes(a.dir);
    // …and neither its files (vault, logs) nor its log lines hold the passphrase, recovery code, key or tokens.
    for (const secret of ['sk-must-stay-secret-0007', PASSPHRASE, recoveryCode, vaultKey.toString('base64'), entry!.secrets.extra!.accessToken!]) {
      expect(local.includes(secret)).toBe(false);
      expect(a.logLines.join('\n').includes(secret)).toBe(false);
    }
    expect(fs.readdirSync(a.dir)).toContain('vault.bin');

    // Another user of the same server reads an empty vault.
    const stranger = await newUser();
    const token = await apiToken(cloud.url, stranger, PASSWORD);
    expect((await api(cloud.url, token, 'GET', '/vault')).body).toMatchObject({ version: 0, blob: null });
    expect((await api(cloud.url, token, 'GET', '/key')).body).toMatchObject({ envelope: null });
  }, 90_000);

  it('a change made just before the app closes still reaches the server (in-process CLI commands)', async () => {
    const email = await newUser();
    const a = openDevice('laptop', { sync: { deviceName: 'laptop', debounceMs: 60_000, periodMs: 10 * 60_000 } });
    open.push(a);
    await signInDevice(a, cloud.url, email, PASSWORD);
    await a.call('sync.enable', { passphrase: PASSPHRASE });
    const token = await apiToken(cloud.url, email, PASSWORD);
    const before = (await api(cloud.url, token, 'GET', '/vault')).body.version as number;
    await a.call('providers.saveApiKey', { provider: 'openai', apiKey: 'sk-flushed-on-close-0011' });
    await a.close();
    open.splice(open.indexOf(a), 1);
    expect((await api(cloud.url, token, 'GET', '/vault')).body.version).toBe(before + 1);

    const b = device('desktop');
    await signInDevice(b, cloud.url, email, PASSWORD);
    await b.call('sync.enable', { passphrase: PASSPHRASE });
    expect(await connectedProviders(b)).toEqual(['openai']);
  }, 90_000);

  it('a device revoked from another stops syncing and says so; signing in and turning sync on again registers it anew', async () => {
    const { email, a, b } = await pair();
    const token = await apiToken(cloud.url, email, PASSWORD);
    const devices = (await api(cloud.url, token, 'GET', '/devices')).body.devices as Array<{ id: string; name: string }>;
    const desktop = devices.find((d) => d.name === 'desktop')!;
    expect((await api(cloud.url, token, 'DELETE', `/devices/${desktop.id}`)).status).toBe(204);

    const refused = await b.call('sync.now');
    expect(refused.state).toBe('error');
    expect(['device_revoked', 'needs_signin']).toContain(refused.code);
    expect(refused.message).toMatch(/sign|device/i);
    await a.call('providers.saveApiKey', { provider: 'openai', apiKey: 'sk-after-revoke-0012' });
    await waitFor(async () => (await a.call('sync.now')).state === 'up_to_date');
    expect(await connectedProviders(b)).toEqual([]);

    await signInDevice(b, cloud.url, email, PASSWORD);
    const status = await b.call('sync.status');
    if (status.state !== 'up_to_date') await b.call('sync.enable', { passphrase: PASSPHRASE });
    await waitFor(async () => (await b.call('sync.now')).state === 'up_to_date' && (await connectedProviders(b)).includes('openai'));
    const after = (await api(cloud.url, token, 'GET', '/devices')).body.devices as Array<{ name: string; revoked: boolean }>;
    expect(after.filter((d) => d.name === 'desktop' && !d.revoked)).toHaveLength(1);
  }, 120_000);

  it('turning sync off keeps the local logins and stops traffic; remove-server-data empties the server', async () => {
    const { email, a, b } = await pair();
    await a.call('providers.saveApiKey', { provider: 'openai', apiKey: 'sk-kept-locally-0008' });
    await waitFor(async () => (await b.call('sync.now')).state === 'up_to_date' && (await connectedProviders(b)).includes('openai'));
    expect(await b.call('sync.disable')).toMatchObject({ state: 'off', signedIn: true });
    expect(await connectedProviders(b)).toEqual(['openai']);
    await expect(b.call('sync.now')).rejects.toMatchObject({ code: 'not_enabled' });

    const token = await apiToken(cloud.url, email, PASSWORD);
    const version = (await api(cloud.url, token, 'GET', '/vault')).body.version;
    await b.call('providers.saveApiKey', { provider: 'google', apiKey: 'AIza-not-sent-0009' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await api(cloud.url, token, 'GET', '/vault')).body.version).toBe(version);

    expect(await a.call('sync.removeServerData', { confirm: true })).toMatchObject({ state: 'off', message: expect.stringMatching(/removed from the sync server/) });
    expect((await api(cloud.url, token, 'GET', '/vault')).body).toMatchObject({ version: 0, blob: null });
    expect((await api(cloud.url, token, 'GET', '/key')).body).toMatchObject({ envelope: null });
    expect(await connectedProviders(a)).toEqual(['openai']);
  }, 90_000);
});

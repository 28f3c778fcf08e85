import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { api } from './support/api-client.js';
import { runCloud, startCloud, type ServerProcess } from './support/cloud-process.js';
import { signIn, tokenRequest, type Tokens } from './support/device-sign-in.js';
import { makeTempDir } from './support/temp-dir.js';
import { encryptVault, wrapKey } from './support/vault-crypto.js';

export interface SuiteSecrets {
  readonly strings: ReadonlyArray<string>;
  readonly blob: string;
}

/**
 * The API, end to end through the real server: users made with the CLI, tokens from the device flow
 * played through the server's own pages. Runs on SQLite and, when given a URL, on PostgreSQL.
 * `inspect` receives every secret the suite used and checks the database holds none of them.
 */
export function apiSuite(label: string, options: { databaseUrl?: string; inspect: (dataDir: string, secrets: SuiteSecrets) => Promise<void> }): void {
  // Real processes and scrypt logins: generous time on a loaded two-core machine.
  describe(`sync API on ${label}`, { timeout: 60_000 }, () => {
    const dir = makeTempDir();
    const run = randomBytes(4).toString('hex');
    const dbArgs = ['--data-dir', dir.path, ...(options.databaseUrl ? ['--database-url', options.databaseUrl] : [])];
    const users = { ada: `ada-${run}@example.test`, bob: `bob-${run}@example.test`, cy: `cy-${run}@example.test` };
    const password = `pw-${run}-correct-horse`;
    const vaultKey = randomBytes(32);
    const passphrase = `passphrase-${run}-never-leaves`;
    const providerSecret = `sk-ant-ort01-PLAINTEXT-${run}`;
    const blob = encryptVault(vaultKey, JSON.stringify({ entries: { 'claude:ada': { refreshToken: providerSecret } } }));
    let server: ServerProcess;
    let ada: Tokens;
    let bob: Tokens;
    const secrets: string[] = [password, passphrase, providerSecret, vaultKey.toString('base64'), vaultKey.toString('hex')];

    beforeAll(async () => {
      for (const email of Object.values(users)) {
        const added = await runCloud(['users', 'add', email, '--password-stdin', ...dbArgs], { input: `${password}\n` });
        expect(added.stderr).toBe('');
        expect(added.code).toBe(0);
      }
      server = await startCloud([...dbArgs, '--rate-limit', '100']);
      ada = await signIn(server.issuer, users.ada, password);
      bob = await signIn(server.issuer, users.bob, password);
      for (const t of [ada, bob]) {
        secrets.push(t.access_token);
        if (t.refresh_token) secrets.push(t.refresh_token);
      }
    }, 60_000);

    afterAll(async () => {
      expect(await server?.stop()).toBe(0);
      dir.remove();
    });

    test('info names the built-in issuer and the desktop client', async () => {
      const info = await api(server.url, 'GET', '/info');
      expect(info.status).toBe(200);
      expect(info.body).toMatchObject({ name: 'agent-relay-cloud', issuer: `${server.url}/oidc`, clientId: 'agent-relay-desktop', scopes: ['openid', 'email', 'offline_access'] });
      const discovery = (await (await fetch(`${server.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
      expect(discovery.issuer).toBe(server.issuer);
      expect(discovery.device_authorization_endpoint).toBe(`${server.issuer}/device/auth`);
      expect(ada.scope.split(' ').sort()).toEqual(['email', 'offline_access', 'openid']);
      expect(ada.refresh_token).toBeTruthy();
    });

    test('requests without a token, with a wrong one or a revoked one get 401 in the error shape', async () => {
      const none = await api(server.url, 'GET', '/vault');
      expect(none.status).toBe(401);
      expect(none.body.error?.code).toBe('unauthorized');
      expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect((await api(server.url, 'GET', '/vault', { token: 'not-a-token' })).status).toBe(401);
      expect((await api(server.url, 'GET', '/vault', { token: ada.access_token.slice(0, -2) + 'xx' })).status).toBe(401);

      const cy = await signIn(server.issuer, users.cy, password);
      expect((await api(server.url, 'GET', '/vault', { token: cy.access_token })).status).toBe(200);
      const revoked = await fetch(`${server.issuer}/token/revocation`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ client_id: 'agent-relay-desktop', token: cy.access_token }).toString(),
      });
      expect(revoked.status).toBe(200);
      const after = await api(server.url, 'GET', '/vault', { token: cy.access_token });
      expect(after.status).toBe(401);
      expect(after.body.error?.code).toBe('unauthorized');
    });

    test('a refresh rotates the refresh token and the old one is refused', async () => {
      const cy = await signIn(server.issuer, users.cy, password);
      const refreshed = await tokenRequest(server.issuer, { grant_type: 'refresh_token', refresh_token: String(cy.refresh_token) });
      expect(refreshed.status).toBe(200);
      expect(refreshed.body.refresh_token).not.toBe(cy.refresh_token);
      expect((await api(server.url, 'GET', '/vault', { token: String(refreshed.body.access_token) })).status).toBe(200);
      const reused = await tokenRequest(server.issuer, { grant_type: 'refresh_token', refresh_token: String(cy.refresh_token) });
      expect(reused.status).toBe(400);
      expect(reused.body.error).toBe('invalid_grant');
    });

    test('the vault is written with optimistic concurrency; an old base version gets 409 with the current blob', async () => {
      const empty = await api(server.url, 'GET', '/vault', { token: ada.access_token });
      expect(empty.body).toEqual({ version: 0, blob: null, updatedAt: null });
      const first = await api(server.url, 'PUT', '/vault', { token: ada.access_token, body: { baseVersion: 0, blob } });
      expect(first.status).toBe(200);
      expect(first.body).toEqual({ version: 1 });
      const second = await api(server.url, 'PUT', '/vault', { token: ada.access_token, body: { baseVersion: 1, blob } });
      expect(second.body).toEqual({ version: 2 });
      const stale = await api(server.url, 'PUT', '/vault', { token: ada.access_token, body: { baseVersion: 1, blob: 'AAAA' } });
      expect(stale.status).toBe(409);
      expect(stale.body.error?.code).toBe('version_conflict');
      expect(stale.body.version).toBe(2);
      expect(stale.body.blob).toBe(blob);
      const read = await api(server.url, 'GET', '/vault', { token: ada.access_token });
      expect(read.body).toMatchObject({ version: 2, blob });
      expect(typeof read.body.updatedAt).toBe('string');
      const bad = await api(server.url, 'PUT', '/vault', { token: ada.access_token, body: { baseVersion: 2, blob: 'not base64!' } });
      expect(bad.status).toBe(400);
      expect(bad.body.error?.code).toBe('bad_request');

      const envelope = wrapKey(vaultKey, passphrase);
      const key = await api(server.url, 'PUT', '/key', { token: ada.access_token, body: { baseVersion: 0, envelope } });
      expect(key.body).toEqual({ version: 1 });
      const keyConflict = await api(server.url, 'PUT', '/key', { token: ada.access_token, body: { baseVersion: 0, envelope: { v: 1 } } });
      expect(keyConflict.status).toBe(409);
      expect(keyConflict.body).toMatchObject({ version: 1, envelope });
      expect((await api(server.url, 'GET', '/key', { token: ada.access_token })).body).toEqual({ version: 1, envelope });
      const huge = await api(server.url, 'PUT', '/key', { token: ada.access_token, body: { baseVersion: 1, envelope: { pad: 'x'.repeat(17 * 1024) } } });
      expect(huge.status).toBe(413);
    });

    test('one user can neither read nor change another user\'s data', async () => {
      const adaVault = await api(server.url, 'GET', '/vault', { token: ada.access_token });
      expect(adaVault.body.version).toBeGreaterThan(0);
      const adaDevice = await api(server.url, 'POST', '/devices', { token: ada.access_token, body: { name: "Ada's laptop" } });
      const bobRead = await api(server.url, 'GET', '/vault', { token: bob.access_token });
      expect(bobRead.body).toEqual({ version: 0, blob: null, updatedAt: null });
      expect(bobRead.text).not.toContain(blob.slice(0, 40));
      const bobWrite = await api(server.url, 'PUT', '/vault', { token: bob.access_token, body: { baseVersion: adaVault.body.version, blob: 'Ym9i' } });
      expect(bobWrite.status).toBe(409);
      expect(bobWrite.body).toMatchObject({ version: 0, blob: null });
      expect((await api(server.url, 'GET', '/key', { token: bob.access_token })).body).toEqual({ version: 0, envelope: null });
      expect((await api(server.url, 'DELETE', `/devices/${String(adaDevice.body.id)}`, { token: bob.access_token })).status).toBe(404);
      const asAdaDevice = await api(server.url, 'GET', '/vault', { token: bob.access_token, deviceId: String(adaDevice.body.id) });
      expect(asAdaDevice.status).toBe(403);
      expect(asAdaDevice.text).not.toContain(blob.slice(0, 40));
      expect((await api(server.url, 'GET', '/devices', { token: bob.access_token })).body).toEqual({ devices: [] });
      const bobAudit = await api(server.url, 'GET', '/audit', { token: bob.access_token });
      expect(JSON.stringify(bobAudit.body)).not.toContain(String(adaDevice.body.id));
      expect((await api(server.url, 'DELETE', '/vault', { token: bob.access_token })).status).toBe(204);
      expect((await api(server.url, 'GET', '/vault', { token: ada.access_token })).body).toMatchObject({ version: adaVault.body.version, blob });
      const devices = await api(server.url, 'GET', '/devices', { token: ada.access_token });
      expect((devices.body.devices as Array<{ id: string }>).map((d) => d.id)).toContain(adaDevice.body.id);
    });

    test('devices register, list with last seen, and a revoked device is shut out', async () => {
      const second = await signIn(server.issuer, users.ada, password);
      const laptop = await api(server.url, 'POST', '/devices', { token: ada.access_token, body: { name: 'Laptop' } });
      expect(laptop.status).toBe(201);
      expect(laptop.body).toMatchObject({ name: 'Laptop' });
      const desktop = await api(server.url, 'POST', '/devices', { token: second.access_token, body: { name: 'Desktop' } });
      const laptopId = String(laptop.body.id);
      const desktopId = String(desktop.body.id);
      expect((await api(server.url, 'GET', '/vault', { token: second.access_token, deviceId: desktopId })).status).toBe(200);
      const list = await api(server.url, 'GET', '/devices', { token: ada.access_token, deviceId: laptopId });
      const listed = list.body.devices as Array<{ id: string; name: string; lastSeen: string | null; revoked: boolean; createdAt: string }>;
      expect(listed.find((d) => d.id === desktopId)).toMatchObject({ name: 'Desktop', revoked: false });
      expect(typeof listed.find((d) => d.id === desktopId)?.lastSeen).toBe('string');

      expect((await api(server.url, 'DELETE', `/devices/${desktopId}`, { token: ada.access_token, deviceId: laptopId })).status).toBe(204);
      const asRevoked = await api(server.url, 'GET', '/vault', { token: ada.access_token, deviceId: desktopId });
      expect(asRevoked.status).toBe(403);
      expect(asRevoked.body.error?.code).toBe('device_revoked');
      // Its sign-in ended with it: the revoked device's own tokens no longer work.
      expect((await api(server.url, 'GET', '/vault', { token: second.access_token })).status).toBe(401);
      expect((await tokenRequest(server.issuer, { grant_type: 'refresh_token', refresh_token: String(second.refresh_token) })).body.error).toBe('invalid_grant');
      // The other device of the same user keeps working.
      expect((await api(server.url, 'GET', '/vault', { token: ada.access_token, deviceId: laptopId })).status).toBe(200);
      const after = await api(server.url, 'GET', '/devices', { token: ada.access_token });
      expect((after.body.devices as Array<{ id: string; revoked: boolean }>).find((d) => d.id === desktopId)?.revoked).toBe(true);
    });

    test('leases are granted, denied to other devices, renewed and released only by the holder', async () => {
      const one = String((await api(server.url, 'POST', '/devices', { token: ada.access_token, body: { name: 'One' } })).body.id);
      const two = String((await api(server.url, 'POST', '/devices', { token: ada.access_token, body: { name: 'Two' } })).body.id);
      const key = encodeURIComponent('claude:acct-1');
      const granted = await api(server.url, 'POST', `/leases/${key}`, { token: ada.access_token, deviceId: one, body: { ttlSeconds: 60 } });
      expect(granted.status).toBe(200);
      expect(granted.body.granted).toBe(true);
      const denied = await api(server.url, 'POST', `/leases/${key}`, { token: ada.access_token, deviceId: two, body: { ttlSeconds: 60 } });
      expect(denied.status).toBe(409);
      expect(denied.body).toMatchObject({ granted: false, holder: one, expiresAt: granted.body.expiresAt });
      const renewed = await api(server.url, 'POST', `/leases/${key}`, { token: ada.access_token, deviceId: one, body: { ttlSeconds: 90 } });
      expect(renewed.body.granted).toBe(true);
      expect(Date.parse(String(renewed.body.expiresAt))).toBeGreaterThan(Date.parse(String(granted.body.expiresAt)));
      expect((await api(server.url, 'DELETE', `/leases/${key}`, { token: ada.access_token, deviceId: two })).status).toBe(409);
      // Bob's leases live in his own namespace: the same key is free for him and he cannot release Ada's.
      const bobDevice = String((await api(server.url, 'POST', '/devices', { token: bob.access_token, body: { name: 'Bob' } })).body.id);
      expect((await api(server.url, 'POST', `/leases/${key}`, { token: bob.access_token, deviceId: bobDevice, body: { ttlSeconds: 60 } })).body.granted).toBe(true);
      expect((await api(server.url, 'POST', `/leases/${key}`, { token: ada.access_token, deviceId: two, body: { ttlSeconds: 60 } })).body.holder).toBe(one);
      expect((await api(server.url, 'DELETE', `/leases/${key}`, { token: ada.access_token, deviceId: one })).status).toBe(204);
      expect((await api(server.url, 'POST', `/leases/${key}`, { token: ada.access_token, deviceId: two, body: { ttlSeconds: 1 } })).body.granted).toBe(true);
      // An expired lease is free for the next device.
      await new Promise((r) => setTimeout(r, 1100));
      expect((await api(server.url, 'POST', `/leases/${key}`, { token: ada.access_token, deviceId: one, body: { ttlSeconds: 60 } })).body.granted).toBe(true);
      expect((await api(server.url, 'POST', `/leases/${key}`, { token: ada.access_token, body: { ttlSeconds: 60 } })).body.error?.code).toBe('device_required');
      expect((await api(server.url, 'POST', `/leases/${key}`, { token: ada.access_token, deviceId: one, body: { ttlSeconds: 500 } })).status).toBe(400);
    });

    test('the audit trail shows what devices did, newest first, without blob or envelope content', async () => {
      const audit = await api(server.url, 'GET', '/audit?limit=200', { token: ada.access_token });
      expect(audit.status).toBe(200);
      const events = audit.body.events as Array<{ time: string; deviceId: string | null; action: string; detail?: string }>;
      const actions = new Set(events.map((e) => e.action));
      for (const action of ['device_registered', 'device_revoked', 'vault_written', 'vault_conflict', 'key_written', 'lease_granted', 'lease_denied']) expect(actions).toContain(action);
      const times = events.map((e) => Date.parse(e.time));
      expect([...times].sort((a, b) => b - a)).toEqual(times);
      expect(events.find((e) => e.action === 'lease_denied')?.detail).toBe('claude:acct-1');
      expect(audit.text).not.toContain(blob.slice(0, 40));
      expect(audit.text).not.toContain('"wrapped"');
      expect((await api(server.url, 'GET', '/audit?limit=2', { token: ada.access_token })).body.events).toHaveLength(2);
    });

    test('a body over 1 MiB gets 413 and leaves the vault as it was', async () => {
      const before = await api(server.url, 'GET', '/vault', { token: ada.access_token });
      const big = await api(server.url, 'PUT', '/vault', { token: ada.access_token, body: { baseVersion: before.body.version, blob: 'A'.repeat(1024 * 1024 + 4) } });
      expect(big.status).toBe(413);
      expect(big.body.error?.code).toBe('too_large');
      expect((await api(server.url, 'GET', '/vault', { token: ada.access_token })).body.version).toBe(before.body.version);
    });

    test('a user over the rate limit gets 429 with Retry-After; other users are not affected', async () => {
      const cy = await signIn(server.issuer, users.cy, password);
      let limited: Awaited<ReturnType<typeof api>> | undefined;
      // Up to 250: a minute boundary during the loop starts a fresh window once.
      for (let i = 0; i < 250 && !limited; i++) {
        const r = await api(server.url, 'GET', '/devices', { token: cy.access_token });
        if (r.status === 429) limited = r;
        else expect(r.status).toBe(200);
      }
      expect(limited?.body.error?.code).toBe('rate_limited');
      expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await api(server.url, 'GET', '/vault', { token: bob.access_token })).status).toBe(200);
    });

    test('DELETE /vault removes the user\'s vault, key envelope, leases and devices', async () => {
      const dave = `dave-${run}@example.test`;
      expect((await runCloud(['users', 'add', dave, '--password-stdin', ...dbArgs], { input: password })).code).toBe(0);
      const t = await signIn(server.issuer, dave, password);
      secrets.push(t.access_token);
      const device = String((await api(server.url, 'POST', '/devices', { token: t.access_token, body: { name: 'D' } })).body.id);
      await api(server.url, 'PUT', '/vault', { token: t.access_token, deviceId: device, body: { baseVersion: 0, blob } });
      await api(server.url, 'PUT', '/key', { token: t.access_token, deviceId: device, body: { baseVersion: 0, envelope: { v: 1 } } });
      await api(server.url, 'POST', '/leases/x', { token: t.access_token, deviceId: device, body: { ttlSeconds: 60 } });
      expect((await api(server.url, 'DELETE', '/vault', { token: t.access_token, deviceId: device })).status).toBe(204);
      expect((await api(server.url, 'GET', '/vault', { token: t.access_token })).body).toEqual({ version: 0, blob: null, updatedAt: null });
      expect((await api(server.url, 'GET', '/key', { token: t.access_token })).body).toEqual({ version: 0, envelope: null });
      expect((await api(server.url, 'GET', '/devices', { token: t.access_token })).body).toEqual({ devices: [] });
      expect((await api(server.url, 'GET', '/audit', { token: t.access_token })).body.events).toContainEqual(expect.objectContaining({ action: 'data_removed' }));
      // users remove ends the account, its sign-ins and its data.
      const removed = await runCloud(['users', 'remove', dave, ...dbArgs]);
      expect(removed.code).toBe(0);
      expect((await api(server.url, 'GET', '/vault', { token: t.access_token })).status).toBe(401);
    });

    test('the database holds no token, password, passphrase, vault key or plaintext', async () => {
      await options.inspect(dir.path, { strings: secrets, blob });
    });
  });
}

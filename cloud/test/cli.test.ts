import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { api } from './support/api-client.js';
import { runCloud, startCloud } from './support/cloud-process.js';
import { approveInBrowser, Browser, signIn, startDeviceAuthorization } from './support/device-sign-in.js';
import { makeTempDir } from './support/temp-dir.js';

const password = 'correct-horse-battery';
const dirs: Array<{ remove(): void }> = [];
function tempDir(): string {
  const dir = makeTempDir();
  dirs.push(dir);
  return dir.path;
}
afterEach(() => {
  for (const d of dirs.splice(0)) d.remove();
});

describe('agent-relay-cloud serve', { timeout: 90_000 }, () => {
  test('--json prints the listening event first; SIGTERM and SIGINT stop it with exit 0', async () => {
    const dataDir = tempDir();
    const server = await startCloud(['--data-dir', dataDir]);
    const first = JSON.parse(server.firstLine) as Record<string, unknown>;
    expect(first).toMatchObject({ event: 'listening', url: `http://127.0.0.1:${server.port}`, port: server.port });
    expect(server.port).toBeGreaterThan(0);
    expect((await api(server.url, 'GET', '/info')).status).toBe(200);
    expect(await server.stop()).toBe(0);

    const again = await startCloud(['--data-dir', dataDir]);
    const exited = new Promise<number | null>((r) => again.child.on('exit', (code) => r(code)));
    again.child.kill('SIGINT');
    expect(await exited).toBe(0);
  });

  test('refuses plain HTTP on a non-loopback address unless told otherwise', async () => {
    const dataDir = tempDir();
    const refused = await runCloud(['serve', '--host', '0.0.0.0', '--port', '0', '--data-dir', dataDir]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/Refusing to serve plain HTTP on 0\.0\.0\.0/);
    expect(refused.stderr).toMatch(/--allow-insecure-http/);
    const allowed = await startCloud(['--data-dir', dataDir, '--host', '0.0.0.0', '--allow-insecure-http']);
    expect(JSON.parse(allowed.firstLine).event).toBe('listening');
    expect(await allowed.stop()).toBe(0);
  });

  test('migrations apply once; data and signing keys survive restarts', async () => {
    const dataDir = tempDir();
    expect((await runCloud(['users', 'add', 'ada@example.test', '--password-stdin', '--data-dir', dataDir], { input: password })).code).toBe(0);
    const first = await startCloud(['--data-dir', dataDir]);
    const tokens = await signIn(first.issuer, 'ada@example.test', password);
    expect((await api(first.url, 'PUT', '/vault', { token: tokens.access_token, body: { baseVersion: 0, blob: 'AQID' } })).status).toBe(200);
    const jwks1 = await (await fetch(`${first.issuer}/jwks`)).json();
    expect(await first.stop()).toBe(0);

    for (let i = 0; i < 2; i++) {
      const next = await startCloud(['--data-dir', dataDir]);
      const jwks = await (await fetch(`${next.issuer}/jwks`)).json();
      expect(jwks).toEqual(jwks1);
      // Tokens from the previous run are still there (a different port means a different issuer URL,
      // so sign in anew through this one).
      const t = await signIn(next.issuer, 'ada@example.test', password);
      expect((await api(next.url, 'GET', '/vault', { token: t.access_token })).body).toMatchObject({ version: 1, blob: 'AQID' });
      expect(await next.stop()).toBe(0);
    }
    const list = await runCloud(['users', 'list', '--json', '--data-dir', dataDir]);
    expect(JSON.parse(list.stdout).users).toHaveLength(1);
    expect(fs.readdirSync(dataDir)).toContain('agent-relay-cloud.sqlite');
    // Only the SQLite file (and its WAL companions) land in the data dir.
    expect(fs.readdirSync(dataDir).every((f) => f.startsWith('agent-relay-cloud.sqlite'))).toBe(true);
    expect(fs.statSync(path.join(dataDir, 'agent-relay-cloud.sqlite')).mode & 0o077).toBe(0);
  }, 90_000);

  test('a token from another server, or an expired one, gets 401', async () => {
    const mainDir = tempDir();
    const otherDir = tempDir();
    for (const dir of [mainDir, otherDir]) expect((await runCloud(['users', 'add', 'ada@example.test', '--password-stdin', '--data-dir', dir], { input: password })).code).toBe(0);
    const main = await startCloud(['--data-dir', mainDir]);
    const other = await startCloud(['--data-dir', otherDir, '--access-token-ttl', '3']);
    try {
      const foreign = await signIn(other.issuer, 'ada@example.test', password);
      const issuedAt = Date.now();
      expect((await api(other.url, 'GET', '/vault', { token: foreign.access_token })).status).toBe(200);
      const wrongIssuer = await api(main.url, 'GET', '/vault', { token: foreign.access_token });
      expect(wrongIssuer.status).toBe(401);
      expect(wrongIssuer.body.error?.code).toBe('unauthorized');
      // Wait out the token's lifetime, then it is refused where it was issued too.
      await new Promise((r) => setTimeout(r, Math.max(0, issuedAt + (foreign.expires_in + 1) * 1000 - Date.now())));
      const expired = await api(other.url, 'GET', '/vault', { token: foreign.access_token });
      expect(expired.status).toBe(401);
      expect(expired.body.error?.message).toMatch(/expired/);
    } finally {
      await main.stop();
      await other.stop();
    }
  });

  test('a wrong password is refused on the sign-in page', async () => {
    const dataDir = tempDir();
    await runCloud(['users', 'add', 'ada@example.test', '--password-stdin', '--data-dir', dataDir], { input: password });
    const server = await startCloud(['--data-dir', dataDir]);
    try {
      const page = await approveInBrowser(new Browser(), await startDeviceAuthorization(server.issuer), 'ada@example.test', 'wrong-password-here');
      expect(page.status).toBe(401);
      expect(page.html).toContain('The email or password is not correct.');
      expect(page.html).toContain('id="login"');
    } finally {
      await server.stop();
    }
  });
});

describe('agent-relay-cloud users', { timeout: 90_000 }, () => {
  test('add refuses empty, short and duplicate passwords and accounts; list and remove', async () => {
    const dataDir = tempDir();
    const empty = await runCloud(['users', 'add', 'ada@example.test', '--password-stdin', '--data-dir', dataDir], { input: '\n' });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/empty/);
    const short = await runCloud(['users', 'add', 'ada@example.test', '--password-stdin', '--data-dir', dataDir], { input: 'short' });
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/too short/);
    const noTty = await runCloud(['users', 'add', 'ada@example.test', '--data-dir', dataDir]);
    expect(noTty.code).toBe(2);
    expect(noTty.stderr).toMatch(/--password-stdin/);
    const badEmail = await runCloud(['users', 'add', 'not-an-email', '--password-stdin', '--data-dir', dataDir], { input: password });
    expect(badEmail.code).toBe(2);
    expect((await runCloud(['users', 'add', 'Ada@Example.test', '--password-stdin', '--data-dir', dataDir], { input: password })).code).toBe(0);
    const duplicate = await runCloud(['users', 'add', 'ada@example.test', '--password-stdin', '--data-dir', dataDir], { input: password });
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toMatch(/exists already/);
    const list = await runCloud(['users', 'list', '--data-dir', dataDir]);
    expect(list.stdout).toMatch(/^ada@example\.test\t/);
    expect((await runCloud(['users', 'remove', 'ada@example.test', '--data-dir', dataDir])).code).toBe(0);
    expect((await runCloud(['users', 'remove', 'ada@example.test', '--data-dir', dataDir])).code).toBe(1);
    expect((await runCloud(['users', 'list', '--data-dir', dataDir])).stdout).toMatch(/No accounts yet/);
  });

  test('honours AGENT_RELAY_CLOUD_DATA_DIR and refuses a database URL that is not PostgreSQL', async () => {
    const dataDir = tempDir();
    expect((await runCloud(['users', 'add', 'ada@example.test', '--password-stdin'], { input: password, env: { AGENT_RELAY_CLOUD_DATA_DIR: dataDir, DATABASE_URL: '' } })).code).toBe(0);
    expect((await runCloud(['users', 'list', '--data-dir', dataDir])).stdout).toMatch(/ada@example\.test/);
    const bad = await runCloud(['users', 'list', '--data-dir', dataDir], { env: { DATABASE_URL: 'mysql://x' } });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/postgres/);
  });
});

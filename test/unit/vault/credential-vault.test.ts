import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CredentialVault, type AccountInput } from '../../../main/core/vault/credential-vault.js';
import { createFileVaultStore, VAULT_FILE } from '../../../main/core/vault/file-vault-store.js';
import { createKeyFileCipher, KEY_FILE } from '../../../main/core/vault/key-file-cipher.js';
import { openHeadlessVault } from '../../../main/core/vault/headless-vault.js';
import { createVaultTokenStore } from '../../../main/core/vault/vault-token-store.js';
import type { AccountSummary, Cipher, VaultStore } from '../../../main/core/vault/vault-types.js';

const ACCESS = 'sk-ant-oat01-ACCESSaaaaaaaaaaaaaaaaaaaaaaaa';
const REFRESH = 'sk-ant-ort01-REFRESHbbbbbbbbbbbbbbbbbbbbbbb';
const ID_TOKEN = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.IDTOKENcccccccc';
const API_KEY = 'sk-proj-APIKEYdddddddddddddddddddddddd';
const SECRETS = [ACCESS, REFRESH, ID_TOKEN, API_KEY];

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vault-test-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function claude(overrides: Partial<AccountInput> = {}): AccountInput {
  return {
    provider: 'anthropic',
    accountId: 'ada@example.com',
    name: 'Ada',
    email: 'ada@example.com',
    plan: 'max',
    method: 'browser',
    secrets: { accessToken: ACCESS, refreshToken: REFRESH, idToken: ID_TOKEN, expiresAt: 1_900_000_000_000 },
    ...overrides,
  };
}

function filesUnder(root: string): string[] {
  return fs.readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

function expectNoSecretOnDisk(root: string): void {
  for (const file of filesUnder(root)) {
    const bytes = fs.readFileSync(file);
    for (const secret of SECRETS) {
      expect(bytes.includes(Buffer.from(secret)), `${secret} in plain text in ${file}`).toBe(false);
      expect(bytes.includes(Buffer.from(Buffer.from(secret).toString('base64'))), `${secret} as base64 in ${file}`).toBe(false);
    }
  }
}

describe('credential vault', () => {
  it('round-trips an account through a fresh open of the same data dir', async () => {
    const { vault, problem } = await openHeadlessVault(dir);
    expect(problem).toBeUndefined();
    await vault.upsert(claude());
    await vault.upsert(claude({ provider: 'openai', accountId: 'acc-1', name: 'Work', email: undefined, method: 'api-key', secrets: { apiKey: API_KEY } }));

    const reopened = (await openHeadlessVault(dir)).vault;
    expect(await reopened.getSecrets('anthropic', 'ada@example.com')).toEqual({
      accessToken: ACCESS,
      refreshToken: REFRESH,
      idToken: ID_TOKEN,
      expiresAt: 1_900_000_000_000,
    });
    expect(await reopened.getSecrets('openai')).toEqual({ apiKey: API_KEY });
    const summaries = await reopened.list();
    expect(summaries.map((s) => [s.provider, s.name, s.state, s.isDefault])).toEqual([
      ['anthropic', 'Ada', 'connected', true],
      ['openai', 'Work', 'connected', true],
    ]);
    expect(reopened.protection).toBe('weaker');
  });

  it('writes no secret in plain text (nor base64) anywhere in the data dir', async () => {
    const { vault } = await openHeadlessVault(dir);
    await vault.upsert(claude());
    await vault.upsert(claude({ provider: 'openai', accountId: 'k', name: 'Key', method: 'api-key', secrets: { apiKey: API_KEY } }));
    await vault.updateSecrets('anthropic', 'ada@example.com', { accessToken: ACCESS });
    expect(filesUnder(dir).map((f) => path.basename(f)).sort()).toEqual([VAULT_FILE, KEY_FILE].sort());
    expectNoSecretOnDisk(dir);
  });

  it('creates the key file and the vault file readable only by the user (0600)', async () => {
    const { vault } = await openHeadlessVault(dir);
    await vault.upsert(claude());
    expect(fs.statSync(path.join(dir, KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.join(dir, VAULT_FILE)).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.join(dir, KEY_FILE)).size).toBe(32);
  });

  it('puts a loosened key file back to 0600 when it is used', async () => {
    const { vault } = await openHeadlessVault(dir);
    await vault.upsert(claude());
    fs.chmodSync(path.join(dir, KEY_FILE), 0o644);
    await (await openHeadlessVault(dir)).vault.list();
    expect(fs.statSync(path.join(dir, KEY_FILE)).mode & 0o777).toBe(0o600);
  });

  it('keeps the old vault after a crash mid-write (stray .tmp holding a partial newer vault)', async () => {
    const { vault } = await openHeadlessVault(dir);
    await vault.upsert(claude());
    const good = fs.readFileSync(path.join(dir, VAULT_FILE));
    // What writeFileAtomic leaves when the process dies before rename: a partial temp sibling.
    await vault.upsert(claude({ name: 'Ada renamed' }));
    const newer = fs.readFileSync(path.join(dir, VAULT_FILE));
    fs.writeFileSync(path.join(dir, VAULT_FILE), good);
    fs.writeFileSync(path.join(dir, `${VAULT_FILE}.4242.deadbeef.tmp`), newer.subarray(0, Math.floor(newer.length / 2)));

    const { vault: after, problem } = await openHeadlessVault(dir);
    expect(problem).toBeUndefined();
    expect((await after.list()).map((s) => s.name)).toEqual(['Ada']);
    await after.upsert(claude({ name: 'Ada again' }));
    expect((await (await openHeadlessVault(dir)).vault.list()).map((s) => s.name)).toEqual(['Ada again']);
  });

  it('reports a failed write and leaves the previous vault readable', async () => {
    const store = createFileVaultStore(dir);
    const cipher = createKeyFileCipher(dir);
    const { vault } = await CredentialVault.open({ cipher, store });
    await vault.upsert(claude());
    const failing: VaultStore = { ...store, write: () => { throw new Error('ENOSPC: no space left on device'); } };
    const { vault: broken } = await CredentialVault.open({ cipher, store: failing });
    await expect(broken.upsert(claude({ name: 'lost' }))).rejects.toMatchObject({ code: 'vault_write_failed', message: expect.stringContaining('no space left') });
    expect((await vault.list()).map((s) => s.name)).toEqual(['Ada']);
  });

  it('reports a corrupt vault, keeps it aside byte for byte, and continues empty', async () => {
    const { vault } = await openHeadlessVault(dir);
    await vault.upsert(claude());
    const garbage = Buffer.from('this is not a vault at all');
    fs.writeFileSync(path.join(dir, VAULT_FILE), garbage);

    const { vault: after, problem } = await openHeadlessVault(dir);
    expect(problem?.code).toBe('vault_corrupt');
    expect(problem?.message).toMatch(/corrupt.*kept as .*vault\.bin\.corrupt-/);
    expect(path.basename(problem!.backup)).toMatch(/^vault\.bin\.corrupt-\d{4}-\d\d-\d\dT/);
    expect(fs.readFileSync(problem!.backup)).toEqual(garbage);
    expect(after.problems).toEqual([problem]);
    expect(await after.list()).toEqual([]);
    await after.upsert(claude({ name: 'fresh' }));
    expect((await (await openHeadlessVault(dir)).vault.list()).map((s) => s.name)).toEqual(['fresh']);
    expect(fs.existsSync(problem!.backup)).toBe(true);
  });

  it('reports an altered ciphertext as undecryptable and keeps it aside', async () => {
    const { vault } = await openHeadlessVault(dir);
    await vault.upsert(claude());
    const file = path.join(dir, VAULT_FILE);
    const bytes = fs.readFileSync(file);
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0xff;
    fs.writeFileSync(file, bytes);
    const { problem } = await openHeadlessVault(dir);
    expect(problem).toMatchObject({ code: 'vault_undecryptable' });
    expect(problem?.message).toMatch(/cannot be decrypted.*wrong key or altered file/);
    expect(path.basename(problem!.backup)).toMatch(/^vault\.bin\.undecryptable-/);
    expect(fs.readFileSync(problem!.backup)).toEqual(bytes);
  });

  it('reports a vault under a different key as undecryptable', async () => {
    const { vault } = await openHeadlessVault(dir);
    await vault.upsert(claude());
    fs.writeFileSync(path.join(dir, KEY_FILE), crypto.randomBytes(32), { mode: 0o600 });
    const { vault: after, problem } = await openHeadlessVault(dir);
    expect(problem?.code).toBe('vault_undecryptable');
    expect(await after.list()).toEqual([]);
  });

  it('reports a missing key file as undecryptable instead of making a new key over the old vault', async () => {
    const { vault } = await openHeadlessVault(dir);
    await vault.upsert(claude());
    fs.rmSync(path.join(dir, KEY_FILE));
    const { problem } = await openHeadlessVault(dir);
    expect(problem?.code).toBe('vault_undecryptable');
    expect(problem?.message).toContain('key file');
    expect(problem?.message).toContain('missing');
  });

  it('reports a vault sealed by another cipher kind as undecryptable', async () => {
    const { vault } = await openHeadlessVault(dir);
    await vault.upsert(claude());
    const other: Cipher = { kind: 'electron-safestorage', protection: 'os-keystore', encrypt: (b) => b, decrypt: (b) => b };
    const { problem } = await CredentialVault.open({ cipher: other, store: createFileVaultStore(dir) });
    expect(problem?.code).toBe('vault_undecryptable');
    expect(problem?.message).toContain('"aes-256-gcm-keyfile"');
  });

  it('gives the renderer a view without any secret field at any depth', async () => {
    const { vault } = await openHeadlessVault(dir);
    await vault.upsert(claude({ secrets: { accessToken: ACCESS, refreshToken: REFRESH, idToken: ID_TOKEN, apiKey: API_KEY, expiresAt: 5, scope: 'a b', tokenType: 'Bearer', extra: { copilotToken: 'tid=secret-copilot' } } }));
    const summaries = await vault.list();
    const forbidden = /token|secret|key|password|extra|scope/i;
    const walk = (value: unknown, where: string): void => {
      if (value && typeof value === 'object') {
        for (const [key, child] of Object.entries(value)) {
          expect(key, `secret-looking key at ${where}.${key}`).not.toMatch(forbidden);
          walk(child, `${where}.${key}`);
        }
      }
    };
    walk(summaries, 'list');
    const json = JSON.stringify(summaries);
    for (const secret of [...SECRETS, 'tid=secret-copilot']) expect(json).not.toContain(secret);
    expect(summaries[0]).toMatchObject<Partial<AccountSummary>>({ email: 'ada@example.com', plan: 'max', method: 'browser', expiresAt: 5, state: 'connected', canRefresh: true });
  });

  it('holds several named accounts per provider with exactly one default', async () => {
    const { vault } = await openHeadlessVault(dir);
    await vault.upsert(claude({ accountId: 'home', name: 'Home' }));
    await vault.upsert(claude({ accountId: 'work', name: 'Work' }));
    await vault.upsert(claude({ provider: 'openai', accountId: 'o', name: 'O' }));
    const defaults = async () => (await vault.list('anthropic')).filter((s) => s.isDefault).map((s) => s.accountId);
    expect(await defaults()).toEqual(['home']);
    await vault.setDefault('anthropic', 'work');
    expect(await defaults()).toEqual(['work']);
    expect((await vault.getAccount('anthropic'))?.accountId).toBe('work');
    await vault.upsert(claude({ accountId: 'third', name: 'Third', makeDefault: true }));
    expect(await defaults()).toEqual(['third']);
    await vault.remove('anthropic', 'third');
    expect((await defaults()).length).toBe(1);
    expect((await vault.list('openai')).map((s) => s.isDefault)).toEqual([true]);
    await expect(vault.setDefault('anthropic', 'nobody')).rejects.toMatchObject({ code: 'account_not_found' });
  });

  it('finds an account by its name as well as its id', async () => {
    const { vault } = await openHeadlessVault(dir);
    await vault.upsert(claude({ accountId: 'uuid-1', name: 'work' }));
    expect((await vault.getAccount('anthropic', 'work'))?.accountId).toBe('uuid-1');
    await vault.remove('anthropic', 'work');
    expect((await vault.exportContents()).tombstones.map((t) => t.accountId)).toEqual(['uuid-1']);
  });

  it('records per-entry updatedAt and a tombstone on removal; a new login clears the tombstone', async () => {
    let clock = 1_000;
    const { vault } = await openHeadlessVault(dir, () => clock);
    await vault.upsert(claude());
    clock = 2_000;
    await vault.setState('anthropic', 'ada@example.com', 'needs_signin', 'The refresh token was revoked.');
    expect((await vault.list())[0]).toMatchObject({ updatedAt: 2_000, state: 'needs_signin', stateReason: 'The refresh token was revoked.' });
    clock = 3_000;
    expect((await vault.remove('anthropic', 'ada@example.com'))?.name).toBe('Ada');
    expect(await vault.remove('anthropic', 'ada@example.com')).toBeUndefined();
    expect((await vault.exportContents()).tombstones).toEqual([{ provider: 'anthropic', accountId: 'ada@example.com', deletedAt: 3_000 }]);
    clock = 4_000;
    await vault.upsert(claude());
    expect((await vault.exportContents()).tombstones).toEqual([]);
  });

  it('merges another copy per entry: newest change wins, a newer tombstone removes', async () => {
    let clock = 1_000;
    const { vault } = await openHeadlessVault(dir, () => clock);
    await vault.upsert(claude({ accountId: 'a', name: 'A local' }));
    await vault.upsert(claude({ accountId: 'b', name: 'B local' }));
    clock = 5_000;
    await vault.upsert(claude({ accountId: 'c', name: 'C local' }));
    const remote = {
      accounts: [
        { ...(await vault.getAccount('anthropic', 'a'))!, name: 'A remote', updatedAt: 9_000 },
        { ...(await vault.getAccount('anthropic', 'c'))!, name: 'C remote (older)', updatedAt: 10 },
      ],
      tombstones: [{ provider: 'anthropic', accountId: 'b', deletedAt: 2_000 }],
    };
    await vault.merge(remote);
    const names = (await vault.list()).map((s) => s.name).sort();
    expect(names).toEqual(['A remote', 'C local']);
    expect((await vault.list()).filter((s) => s.isDefault).length).toBe(1);
  });

  it('sees writes made by another vault instance on the same files (CLI and app)', async () => {
    const app = (await openHeadlessVault(dir)).vault;
    const cli = (await openHeadlessVault(dir)).vault;
    await cli.upsert(claude());
    expect((await app.list()).map((s) => s.name)).toEqual(['Ada']);
    await app.updateSecrets('anthropic', 'ada@example.com', { accessToken: 'sk-ant-oat01-NEW' });
    expect((await cli.getSecrets('anthropic'))?.accessToken).toBe('sk-ant-oat01-NEW');
  });

  it('keeps every one of many concurrent upserts', async () => {
    const { vault } = await openHeadlessVault(dir);
    await Promise.all(Array.from({ length: 20 }, (_, i) => vault.upsert(claude({ accountId: `acc-${i}`, name: `n${i}` }))));
    expect((await vault.list()).length).toBe(20);
    expect((await vault.list()).filter((s) => s.isDefault).length).toBe(1);
  });

  it('serves the refresh owner through loadAccount/saveAccount', async () => {
    const { vault } = await openHeadlessVault(dir);
    await vault.upsert(claude());
    await vault.setState('anthropic', 'ada@example.com', 'error', 'network');
    const store = createVaultTokenStore(vault);
    expect(await store.loadAccount('anthropic', 'ada@example.com')).toMatchObject({ accessToken: ACCESS, refreshToken: REFRESH });
    await store.saveAccount('anthropic', 'ada@example.com', { accessToken: 'sk-ant-oat01-ROTATED', refreshToken: 'sk-ant-ort01-ROTATED', expiresAt: 42 });
    expect(await vault.getSecrets('anthropic')).toMatchObject({ accessToken: 'sk-ant-oat01-ROTATED', refreshToken: 'sk-ant-ort01-ROTATED', idToken: ID_TOKEN, expiresAt: 42 });
    expect((await vault.list())[0]?.state).toBe('connected');
    expect(await store.loadAccount('anthropic', 'nobody')).toBeUndefined();
  });
});

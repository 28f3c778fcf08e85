import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Conf from 'conf';
import { afterEach, describe, expect, it } from 'vitest';
import { CredentialVault } from '../../../main/core/vault/credential-vault.js';
import {
  createElectronVaultStore,
  createSafeStorageCipher,
  isWeakBackend,
  vaultStoreOptions,
  VAULT_STORE_NAME,
  type SafeStorageLike,
} from '../../../main/electron/safe-storage-vault.js';
import { makeTempDir } from '../../support/temp-dir.js';

/** Stands in for Electron's safeStorage (not available outside Electron): real AES with a fixed key. */
function fakeSafeStorage(backend = 'gnome_libsecret'): SafeStorageLike {
  const key = crypto.randomBytes(32);
  return {
    isEncryptionAvailable: () => true,
    getSelectedStorageBackend: () => backend,
    encryptString(plain) {
      const iv = crypto.randomBytes(12);
      const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decryptString(sealed) {
      const decipher = crypto.createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
      decipher.setAuthTag(sealed.subarray(12, 28));
      return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}

describe('the tray app vault (safeStorage + electron-store)', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  afterEach(() => tmp.cleanup());

  it('keeps accounts encrypted in vault.json and reads them back', async () => {
    tmp = makeTempDir();
    const safe = fakeSafeStorage();
    const open = () =>
      CredentialVault.open({
        cipher: createSafeStorageCipher(safe, 'linux'),
        store: createElectronVaultStore(new Conf({ cwd: tmp.dir, configName: VAULT_STORE_NAME, projectName: 'agent-relay-test' })),
      });
    const { vault } = await open();
    await vault.upsert({ provider: 'anthropic', name: 'ada', method: 'browser', secrets: { accessToken: 'sk-ant-oat01-secret-value-123' } });
    const file = fs.readFileSync(path.join(tmp.dir, 'vault.json'), 'utf8');
    expect(file).not.toContain('sk-ant-oat01-secret-value-123');
    expect(file).not.toContain(Buffer.from('sk-ant-oat01-secret-value-123').toString('base64'));
    const again = await open();
    expect(again.problem).toBeUndefined();
    expect((await again.vault.getSecrets('anthropic'))?.accessToken).toBe('sk-ant-oat01-secret-value-123');
    expect(again.vault.protection).toBe('os-keystore');
  });

  it('reports basic_text (Linux without a keyring) as weak, so the user is asked first', () => {
    expect(isWeakBackend(fakeSafeStorage('basic_text'), 'linux')).toBe(true);
    expect(isWeakBackend(fakeSafeStorage('gnome_libsecret'), 'linux')).toBe(false);
    expect(createSafeStorageCipher(fakeSafeStorage('basic_text'), 'linux').protection).toBe('weaker');
  });

  it('keeps an undecryptable vault aside instead of wiping it', async () => {
    tmp = makeTempDir();
    const conf = new Conf({ cwd: tmp.dir, configName: VAULT_STORE_NAME, projectName: 'agent-relay-test' });
    const first = await CredentialVault.open({ cipher: createSafeStorageCipher(fakeSafeStorage(), 'linux'), store: createElectronVaultStore(conf) });
    await first.vault.upsert({ provider: 'openai', name: 'x', method: 'device', secrets: { accessToken: 'a'.repeat(20) } });
    // Another key (a different OS user or keychain): the old vault cannot be decrypted.
    const second = await CredentialVault.open({ cipher: createSafeStorageCipher(fakeSafeStorage(), 'linux'), store: createElectronVaultStore(conf) });
    expect(second.problem?.code).toBe('vault_undecryptable');
    expect(fs.existsSync(second.problem!.backup)).toBe(true);
    expect(fs.readFileSync(second.problem!.backup, 'utf8')).toContain('"data"');
  });

  it('says what really protects the vault without a keyring: the fixed basic_text key, not a key file', () => {
    const weak = createSafeStorageCipher(fakeSafeStorage('basic_text'), 'linux');
    expect(weak.protectionDetail).toMatch(/no keyring/);
    expect(weak.protectionDetail).toMatch(/fixed key built into the app/);
    expect(weak.protectionDetail).toMatch(/basic_text/);
    expect(weak.protectionDetail).not.toMatch(/key file/);
    expect(createSafeStorageCipher(fakeSafeStorage('gnome_libsecret'), 'linux').protectionDetail).toBeUndefined();
  });

  it('creates vault.json owner-only (0600) with the options the app uses, and tightens one an older version left 0644', async () => {
    tmp = makeTempDir();
    const options = vaultStoreOptions(tmp.dir);
    const conf = () => new Conf({ cwd: options.cwd, configName: options.name, configFileMode: options.configFileMode, projectName: 'agent-relay-test' });
    const { vault } = await CredentialVault.open({ cipher: createSafeStorageCipher(fakeSafeStorage(), 'linux'), store: createElectronVaultStore(conf()) });
    await vault.upsert({ provider: 'openai', name: 'x', method: 'device', secrets: { accessToken: 'a'.repeat(20) } });
    const file = path.join(tmp.dir, 'vault.json');
    expect((fs.statSync(file).mode & 0o777).toString(8)).toBe('600');
    fs.chmodSync(file, 0o644);
    createElectronVaultStore(conf());
    expect((fs.statSync(file).mode & 0o777).toString(8)).toBe('600');
  });
});

/**
 * The tray app's credential vault: encrypted with Electron's safeStorage (Keychain, DPAPI,
 * libsecret) and kept with electron-store as `vault.json` in the data dir. Electron-free apart from
 * the two objects main.ts passes in, so it is testable under Node.
 */
import fs from 'node:fs';
import type { Cipher, VaultStore } from '../core/vault/vault-types.js';

/** The part of Electron's safeStorage used here. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: 'basic_text' means no real key store, secrets protected by a fixed key. */
  getSelectedStorageBackend?(): string;
}

/** The part of electron-store (Conf) used here. */
export interface KeyValueStoreLike {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  readonly path: string;
}

export const SAFE_STORAGE_CIPHER_KIND = 'electron-safe-storage';
export const VAULT_STORE_NAME = 'vault';

/** electron-store's options for `<dataDir>/vault.json`: owner-only like every file in the data folder. */
export function vaultStoreOptions(dataDir: string): { cwd: string; name: string; configFileMode: number } {
  return { cwd: dataDir, name: VAULT_STORE_NAME, configFileMode: 0o600 };
}

/** Whether secrets would get only weak protection (Linux without a keyring): ask the user first. */
export function isWeakBackend(safeStorage: SafeStorageLike, platform: NodeJS.Platform): boolean {
  if (!safeStorage.isEncryptionAvailable()) return true;
  return platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text';
}

/**
 * What protects the vault on Linux without a keyring: Chromium's basic_text backend encrypts with a
 * fixed, built-in password, not a key file and not a key of the user's.
 */
export const BASIC_TEXT_PROTECTION =
  'Weaker protection: this system has no keyring, so your sign-ins are encrypted with a fixed key built into the app (Electron safeStorage’s basic_text), not a key of yours. That keeps them out of plain sight, but anyone who can read vault.json in your data folder can decrypt them. Set up a keyring (such as GNOME Keyring or KWallet) and restart for real protection.';

export function createSafeStorageCipher(safeStorage: SafeStorageLike, platform: NodeJS.Platform): Cipher {
  const weak = isWeakBackend(safeStorage, platform);
  return {
    kind: SAFE_STORAGE_CIPHER_KIND,
    protection: weak ? 'weaker' : 'os-keystore',
    ...(weak ? { protectionDetail: BASIC_TEXT_PROTECTION } : {}),
    // safeStorage takes strings: the vault's bytes travel as base64.
    encrypt: (plain) => safeStorage.encryptString(plain.toString('base64')),
    decrypt: (sealed) => Buffer.from(safeStorage.decryptString(sealed), 'base64'),
  };
}

export function createElectronVaultStore(store: KeyValueStoreLike, now: () => Date = () => new Date()): VaultStore {
  // A vault.json an older version created 0644 is put back to owner-only before anything is read.
  tightenMode(store.path);
  return {
    file: store.path,
    read() {
      const value = store.get('data');
      return typeof value === 'string' ? Buffer.from(value, 'base64') : undefined;
    },
    write(data) {
      store.set('data', data.toString('base64'));
    },
    keepAside(label) {
      const target = `${store.path}.${label}-${now().toISOString().replace(/[:.]/g, '-')}`;
      fs.copyFileSync(store.path, target);
      fs.chmodSync(target, 0o600);
      store.set('data', null);
      return target;
    },
  };
}

function tightenMode(file: string): void {
  if (process.platform === 'win32') return;
  try {
    if ((fs.statSync(file).mode & 0o777) !== 0o600) fs.chmodSync(file, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

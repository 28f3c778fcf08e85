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

/** Whether secrets would get only weak protection (Linux without a keyring): ask the user first. */
export function isWeakBackend(safeStorage: SafeStorageLike, platform: NodeJS.Platform): boolean {
  if (!safeStorage.isEncryptionAvailable()) return true;
  return platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text';
}

export function createSafeStorageCipher(safeStorage: SafeStorageLike, platform: NodeJS.Platform): Cipher {
  return {
    kind: SAFE_STORAGE_CIPHER_KIND,
    protection: isWeakBackend(safeStorage, platform) ? 'weaker' : 'os-keystore',
    // safeStorage takes strings: the vault's bytes travel as base64.
    encrypt: (plain) => safeStorage.encryptString(plain.toString('base64')),
    decrypt: (sealed) => Buffer.from(safeStorage.decryptString(sealed), 'base64'),
  };
}

export function createElectronVaultStore(store: KeyValueStoreLike, now: () => Date = () => new Date()): VaultStore {
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
      store.set('data', null);
      return target;
    },
  };
}

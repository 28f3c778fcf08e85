import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import type { Cipher } from './vault-types.js';

export const KEY_FILE = 'vault.key';

export const KEY_FILE_PROTECTION =
  `Weaker protection: your sign-ins are encrypted with a key file (${KEY_FILE} in the data folder, readable only by you), not a system keychain. Anyone who can read your files as you can read them.`;
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Raised by decrypt; the vault turns it into `vault_undecryptable`. */
export class CipherError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CipherError';
  }
}

/**
 * Headless cipher: AES-256-GCM under a random key kept in a file only the user can read.
 * Anyone who can read that file as this user can read the vault, hence protection 'weaker'.
 *
 * TODO(os-keystore): a headless OS keystore cipher (libsecret over D-Bus on Linux, Keychain on
 * macOS, DPAPI on Windows) would implement the same Cipher with protection 'os-keystore'. None is
 * reachable from plain Node without a native module, so none is pretended here.
 */
export function createKeyFileCipher(dataDir: string): Cipher {
  const keyFile = path.join(dataDir, KEY_FILE);

  const readKey = (): Buffer | undefined => {
    let key: Buffer;
    try {
      key = fs.readFileSync(keyFile);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new CipherError(`The vault key file ${keyFile} cannot be read: ${(error as Error).message}.`);
    }
    if (key.length !== KEY_BYTES) throw new CipherError(`The vault key file ${keyFile} is not a ${KEY_BYTES}-byte key.`);
    tightenMode(keyFile);
    return key;
  };

  const createKey = (): Buffer => {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const key = crypto.randomBytes(KEY_BYTES);
    try {
      // O_EXCL: two processes starting at once must not each make a key and overwrite the other's.
      const fd = fs.openSync(keyFile, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o600);
      try {
        fs.writeSync(fd, key);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      return key;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const existing = readKey();
      if (!existing) throw error;
      return existing;
    }
  };

  return {
    kind: 'aes-256-gcm-keyfile',
    protection: 'weaker',
    protectionDetail: KEY_FILE_PROTECTION,
    encrypt(plain) {
      const key = readKey() ?? createKey();
      const iv = crypto.randomBytes(IV_BYTES);
      const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decrypt(sealed) {
      const key = readKey();
      if (!key) throw new CipherError(`The vault key file ${keyFile} is missing, so the vault cannot be opened.`);
      if (sealed.length < IV_BYTES + TAG_BYTES) throw new CipherError('The encrypted vault is too short to be valid.');
      const decipher = crypto.createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
      decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      try {
        return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
      } catch {
        throw new CipherError(`The vault does not decrypt with the key in ${keyFile} (wrong key or altered file).`);
      }
    },
  };
}

/** A key file someone loosened (copy, restore from backup) is put back to owner-only. */
function tightenMode(file: string): void {
  if (process.platform === 'win32') return;
  const mode = fs.statSync(file).mode & 0o777;
  if (mode !== 0o600) fs.chmodSync(file, 0o600);
}

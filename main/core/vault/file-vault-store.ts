import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../base/atomic-file.js';
import type { VaultStore } from './vault-types.js';

export const VAULT_FILE = 'vault.bin';

/**
 * Headless store: one file in the data dir, replaced atomically (temp file, fsync, rename), 0600.
 * A crash mid-write leaves a stray `*.tmp` beside the old vault, which is never read.
 */
export function createFileVaultStore(dataDir: string, now: () => Date = () => new Date()): VaultStore & { readonly file: string } {
  const file = path.join(dataDir, VAULT_FILE);
  return {
    file,
    read() {
      try {
        return fs.readFileSync(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    write(data) {
      writeFileAtomic(file, data, 0o600);
    },
    keepAside(label) {
      const stamp = now().toISOString().replace(/[:.]/g, '-');
      let target = `${file}.${label}-${stamp}`;
      for (let n = 1; fs.existsSync(target); n += 1) target = `${file}.${label}-${stamp}-${n}`;
      fs.renameSync(file, target);
      return target;
    },
  };
}

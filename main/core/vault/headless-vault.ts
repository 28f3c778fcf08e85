import { CredentialVault } from './credential-vault.js';
import { createFileVaultStore } from './file-vault-store.js';
import { createKeyFileCipher } from './key-file-cipher.js';
import type { VaultProblem } from './vault-types.js';

/**
 * The headless host's vault: key-file cipher ('weaker' protection) and a file store, both in the
 * data dir. The Electron host builds the same CredentialVault over safeStorage + electron-store.
 */
export async function openHeadlessVault(dataDir: string, now?: () => number): Promise<{ vault: CredentialVault; problem?: VaultProblem }> {
  return CredentialVault.open({ cipher: createKeyFileCipher(dataDir), store: createFileVaultStore(dataDir), now });
}

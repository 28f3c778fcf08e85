// A second process using the same store and lock dir: bundled with esbuild by refresh.test.ts.
import crypto from 'node:crypto';
import readline from 'node:readline';
import { loadProviderRegistry } from '../../../main/core/auth/provider-registry.js';
import { RefreshOwner } from '../../../main/core/auth/refresh.js';
import { JsonCredentialStore } from '../../support/json-credential-store.js';

const [storeFile, lockDir, providersFile, key] = process.argv.slice(2) as [string, string, string, string];
const registry = loadProviderRegistry(providersFile);
const owner = new RefreshOwner({ store: new JsonCredentialStore(storeFile), providers: (id) => registry.get(id), lockDir });

process.stdout.write('ready\n');
const lines = readline.createInterface({ input: process.stdin });
lines.once('line', () => {
  void owner.getFreshToken(key).then((result) => {
    const summary = result.ok
      ? { ok: true, accessTokenSha: crypto.createHash('sha256').update(result.value.accessToken).digest('hex') }
      : { ok: false, code: result.error.code };
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    lines.close();
  });
});

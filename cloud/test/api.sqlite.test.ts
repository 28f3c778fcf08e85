import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { apiSuite } from './api-suite.js';

apiSuite('SQLite', {
  inspect: async (dataDir, { strings, blob }) => {
    // The database file and its WAL, as bytes: what a thief copying the data dir would get.
    const files = fs.readdirSync(dataDir).filter((f) => f.startsWith('agent-relay-cloud.sqlite'));
    expect(files).toContain('agent-relay-cloud.sqlite');
    const bytes = Buffer.concat(files.map((f) => fs.readFileSync(path.join(dataDir, f)))).toString('latin1');
    // The ciphertext is there (so the search works) ...
    expect(bytes).toContain(blob.slice(0, 64));
    // ... and nothing the client or the issuer must keep secret.
    for (const secret of strings) expect(bytes.includes(secret), `database contains ${secret.slice(0, 12)}…`).toBe(false);
  },
});

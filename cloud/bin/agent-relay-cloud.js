#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('agent-relay-cloud is not built yet: run `npm run build` (at the repository root or in cloud/) first.\n');
  process.exit(1);
}
await import(entry.href);

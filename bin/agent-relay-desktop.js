#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/headless/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('agent-relay-desktop is not built yet: run `npm run build` in the package folder first.\n');
  process.exit(1);
}
await import(entry.href);

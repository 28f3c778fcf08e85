import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';

/**
 * Bundles a TypeScript entry into one .mjs a plain `node` can run, so a test can start several real
 * processes that use the app's own modules. Returns the script and a cleanup.
 */
export async function bundleChild(entry: string): Promise<{ script: string; cleanup: () => void }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'child-bundle-'));
  const script = path.join(dir, 'child.mjs');
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: script,
    logLevel: 'silent',
    define: { __APP_VERSION__: JSON.stringify('0.0.0-test') },
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  });
  return { script, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

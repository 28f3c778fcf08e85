// Builds every part: the headless CLI and the Electron main process (esbuild, ESM), the preload
// (esbuild, CommonJS: sandboxed preloads cannot be modules) and the renderer (Vite).
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';
import { readFileSync } from 'node:fs';
import { buildCloud } from '../cloud/scripts/build.mjs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const quiet = process.argv.includes('--quiet');
const started = Date.now();
const define = { __APP_VERSION__: JSON.stringify(pkg.version) };
// Native and Electron modules stay outside the bundle; everything else is bundled.
const external = ['electron', 'node-pty', '@xterm/headless', '@xterm/addon-serialize', 'electron-store', 'electron-updater'];
const banner = {
  // Bundled CommonJS dependencies may call require(); give ESM bundles one.
  js: "import { createRequire as __arCreateRequire } from 'node:module'; const require = __arCreateRequire(import.meta.url);",
};

// dist/ is overwritten in place, not deleted first, so tests running meanwhile keep working
// (Vite empties dist/renderer itself).

await Promise.all([
  esbuild({
    entryPoints: {
      'headless/main': 'main/headless/main.ts',
      'electron/main': 'main/electron/main.ts',
      // Each agent's terminal mirror parses in this worker, beside the bundle that starts it.
      'headless/terminal-mirror-worker': 'main/core/agents/terminal-mirror-worker.ts',
      'electron/terminal-mirror-worker': 'main/core/agents/terminal-mirror-worker.ts',
      // The terminal host process: the agents' ptys and mirrors, outliving the daemon and the app.
      'headless/terminal-host': 'main/core/terminal-host/host-main.ts',
      'electron/terminal-host': 'main/core/terminal-host/host-main.ts',
    },
    outdir: 'dist',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    define,
    external,
    banner,
    logLevel: quiet ? 'warning' : 'info',
  }),
  esbuild({
    entryPoints: { 'preload/index': 'preload/index.ts' },
    outdir: 'dist',
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: false,
    minify: true,
    define,
    external: ['electron'],
    logLevel: quiet ? 'warning' : 'info',
  }),
  viteBuild({ configFile: 'vite.config.ts', logLevel: quiet ? 'warn' : 'info' }),
  // The sync server (its own workspace package): cloud/dist/main.js.
  buildCloud({ logLevel: quiet ? 'warning' : 'info' }),
]);
if (!quiet) console.log(`Built in ${Date.now() - started} ms`);

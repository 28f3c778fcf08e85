// How every benchmark bundles the TypeScript it measures: esbuild, one ESM file for Node 20, with
// packages (node-pty, xterm, …) left to load from node_modules. Options given override these.
import { build } from 'esbuild';

export function bundleForBench(options) {
  return build({ bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'warning', ...options });
}

// Lint, including the layering rules of ../shared/DESIGN.md: which folder may import what.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const preloadEntry = {
  group: ['**/preload/index', '**/preload/index.js', '**/preload/index.ts', '**/preload/index.cjs'],
  message: 'Only the preload itself loads preload/index.ts; import types from preload/contract.ts instead.',
};


// main/core's folders, lowest first, and which other core folders each may import. An import the other
// way (say relay/ → network/, or anything → service.ts) fails lint.
export const CORE_LAYERS = {
  base: [],
  logging: [],
  bridge: ['base', 'logging'],
  settings: ['base', 'logging', 'bridge'],
  vault: ['base', 'logging', 'bridge'],
  auth: ['base', 'logging', 'bridge'],
  credentials: ['base', 'logging', 'bridge', 'auth'],
  agents: ['base', 'logging', 'bridge'],
  relay: ['base', 'logging', 'bridge'],
  transport: ['base', 'logging', 'bridge'],
  // The terminal host process (ptys + mirrors outside the daemon) and the daemon's client for it.
  'terminal-host': ['base', 'logging', 'bridge', 'agents'],
  providers: ['base', 'logging', 'bridge', 'settings', 'vault', 'auth', 'credentials'],
  sync: ['base', 'logging', 'bridge', 'settings', 'vault', 'auth', 'providers'],
  network: ['base', 'logging', 'bridge', 'settings', 'auth', 'credentials', 'agents', 'relay', 'providers', 'terminal-host'],
};
const coreShellPatterns = [
  preloadEntry,
  { group: ['**/main/electron/**', '**/electron/**'], message: 'main/core must not depend on the Electron shell.' },
  { group: ['**/main/headless/**', '**/headless/**'], message: 'main/core must not depend on the headless shell.' },
];
function corePatternsFor(layer, allowed) {
  const forbidden = Object.keys(CORE_LAYERS).filter((other) => other !== layer && !allowed.includes(other));
  return [
    ...forbidden.map((other) => ({
      group: [`../${other}/*`, `../../${other}/*`, `**/core/${other}/*`],
      message: `main/core/${layer} may import only ${allowed.length ? allowed.join(", ") : "no other core folder"} (layers in eslint.config.js).`,
    })),
    { group: ['../service', '../service.js', '../../service.js', '**/core/service.js'], message: 'Only the shells import the composition root (service.ts).' },
  ];
}

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', '.tmp/**', 'test-results/**', 'playwright-report/**', 'cloud/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-imports': ['error', { patterns: [preloadEntry] }],
    },
  },
  // The core is the daemon in plain Node, in named layers: each folder may import only the folders
  // listed for it (and the contract's types). Only the composition root (service.ts) sees them all.
  ...Object.entries(CORE_LAYERS).map(([layer, allowed]) => ({
    files: [`main/core/${layer}/**`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'main/core is plain Node: put Electron code in main/electron.' }],
          patterns: [...coreShellPatterns, ...corePatternsFor(layer, allowed)],
        },
      ],
    },
  })),
  {
    files: ['main/core/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'main/core is plain Node: put Electron code in main/electron.' }],
          patterns: coreShellPatterns,
        },
      ],
    },
  },
  {
    // The renderer knows only the contract, as types: no Electron, no Node, no daemon code.
    files: ['renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'The renderer talks to the app only through the bridge (preload/contract.ts).' },
            ...nodeBuiltins.map((name) => ({ name, message: 'The renderer runs in a browser: no Node built-ins.' })),
          ],
          patterns: [
            preloadEntry,
            { group: ['**/main/**'], message: 'The renderer must not import daemon code; use the bridge.' },
            { group: ['node-pty', 'electron/*', 'electron-store', 'ws'], message: 'Not available in the renderer.' },
          ],
        },
      ],
      // Runtime imports of the contract would pull zod and schemas into the UI: types only.
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [{ group: ['**/preload/contract', '**/preload/contract.js', '**/preload/contract-*'], allowTypeImports: true, message: 'The renderer imports the contract with `import type` only.' }],
        },
      ],
    },
  },
  {
    files: ['preload/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);

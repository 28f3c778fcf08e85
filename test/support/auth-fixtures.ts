import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { createLogger, type Logger } from '../../main/core/logging/logger.js';
import { loadProviderRegistry, type Provider, type ProviderOverride, providersConfigPath } from '../../main/core/auth/provider-registry.js';
import type { TokenSet } from '../../main/core/auth/token-set.js';

/** A data dir for one test, removed by the caller's cleanup. */
export function makeDataDir(prefix = 'auth-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Writes providers.json into the data dir, the way a user configures a custom provider. */
export function writeProvidersJson(dataDir: string, providers: Record<string, ProviderOverride | Record<string, unknown>>): string {
  const file = providersConfigPath(dataDir);
  fs.writeFileSync(file, JSON.stringify({ providers }, null, 2));
  return file;
}

/** The providers a test's providers.json holds so far (none when there is no file). */
export function readProvidersJson(dataDir: string): Record<string, ProviderOverride | Record<string, unknown>> {
  const file = providersConfigPath(dataDir);
  if (!fs.existsSync(file)) return {};
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { providers?: Record<string, ProviderOverride | Record<string, unknown>> }).providers ?? {};
}

/** Loads a provider through the registry from providers.json, failing the test on config errors. */
export function providerFromConfig(dataDir: string, id: string): Provider {
  const registry = loadProviderRegistry(providersConfigPath(dataDir));
  expect(registry.errors).toEqual([]);
  const provider = registry.get(id);
  if (!provider) throw new Error(`provider ${id} not loaded`);
  return provider;
}

/** The oidc-provider server as a custom provider entry. */
export function customOidcEntry(issuer: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'Test OIDC',
    issuer,
    clientId: 'agent-relay-test',
    scopes: ['openid', 'email', 'profile', 'offline_access'],
    methods: ['browser', 'device', 'paste'],
    redirectHost: '127.0.0.1',
    redirectPort: 0,
    redirectPath: '/callback',
    ...extra,
  };
}

export interface CapturedLogger {
  readonly logger: Logger;
  readonly lines: string[];
}

/** The app's real redacting logger, writing its file into the data dir and its lines into memory. */
export function captureLogger(dataDir: string): CapturedLogger {
  const lines: string[] = [];
  const logger = createLogger({ dir: dataDir, level: 'debug', console: (line) => lines.push(line), consoleLevel: 'debug' });
  return { logger, lines };
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(full));
    else out.push(full);
  }
  return out;
}

export function secretsOf(tokens: TokenSet | undefined): string[] {
  if (!tokens) return [];
  return [tokens.accessToken, tokens.refreshToken, tokens.idToken].filter((s): s is string => typeof s === 'string' && s.length > 0);
}

/**
 * No token string in any file under the data dir (except the credential store the code was given)
 * and in no captured log line.
 */
export function expectNoSecretsLeaked(options: {
  readonly dataDir: string;
  readonly secrets: ReadonlyArray<string>;
  readonly storeFiles?: ReadonlyArray<string>;
  readonly logLines?: ReadonlyArray<string>;
}): void {
  expect(options.secrets.length).toBeGreaterThan(0);
  const allowed = new Set((options.storeFiles ?? []).map((f) => path.resolve(f)));
  for (const file of listFiles(options.dataDir)) {
    if (allowed.has(path.resolve(file))) continue;
    const text = fs.readFileSync(file, 'utf8');
    for (const secret of options.secrets) {
      expect(text.includes(secret), `${file} contains a token`).toBe(false);
    }
  }
  for (const line of options.logLines ?? []) {
    for (const secret of options.secrets) {
      expect(line.includes(secret), `log line contains a token: ${line.slice(0, 80)}`).toBe(false);
    }
  }
}

/** Signs in through the browser flow with the test user at the OAuth server; returns the tokens. */
export async function signInThroughBrowser(
  user: { authorize(url: string, options?: { login?: string }): Promise<unknown> },
  provider: Provider,
  login = 'alice',
): Promise<TokenSet> {
  const { signInWithBrowser } = await import('../../main/core/auth/browser-flow.js');
  let opened!: (url: string) => void;
  const url = new Promise<string>((resolve) => (opened = resolve));
  const result = signInWithBrowser({ provider, onEvent: (e) => e.event === 'open-url' && opened(e.url) });
  await user.authorize(await url, { login });
  const outcome = await result;
  if (!outcome.ok) throw new Error(`sign-in failed: ${outcome.error.code} ${outcome.error.message}`);
  return outcome.value;
}

import fs from 'node:fs';
import path from 'node:path';
import { OAUTH_DEFAULTS, ProviderOverride, ProviderSchema, ProvidersFile, type Provider } from './provider-schema.js';
import { BUILT_IN_PROVIDERS } from './built-in-providers.js';

// Callers import the registry's types and the built-in table from here.
export * from './provider-schema.js';
export { BUILT_IN_PROVIDERS } from './built-in-providers.js';

/** What a custom provider starts from before its providers.json entry is applied. */
const CUSTOM_DEFAULTS: Omit<Provider, 'id' | 'name'> = {
  ...OAUTH_DEFAULTS,
  description: 'A custom OAuth provider from providers.json.',
  brandColor: '#6B7280',
  logo: 'custom.svg',
  methods: ['browser'],
  scopes: ['openid', 'profile', 'email', 'offline_access'],
};

/**
 * A provider the app itself defines rather than the registry (the sync server's issuer, learned from
 * the server): the same OAuth defaults as every built-in, plus its own fields.
 */
export function oauthProvider(fields: Pick<Provider, 'id' | 'name' | 'description' | 'brandColor' | 'logo' | 'methods'> & Partial<Provider>): Provider {
  return { ...OAUTH_DEFAULTS, ...fields };
}

export const PROVIDERS_FILE = 'providers.json';

export interface ProvidersConfigError {
  readonly code: 'providers_config_invalid';
  readonly file: string;
  /** Dotted key path inside the file, e.g. `providers.anthropic.redirectPort`; empty for the whole file. */
  readonly keyPath: string;
  readonly message: string;
}

export interface ProviderRegistry {
  readonly providers: ReadonlyArray<Provider>;
  /** Problems with providers.json; the built-ins load regardless. */
  readonly errors: ReadonlyArray<ProvidersConfigError>;
  get(id: string): Provider | undefined;
}

function registryOf(providers: ReadonlyArray<Provider>, errors: ReadonlyArray<ProvidersConfigError>): ProviderRegistry {
  const byId = new Map(providers.map((p) => [p.id, p]));
  return { providers, errors, get: (id) => byId.get(id) };
}

function describeKey(keyPath: ReadonlyArray<PropertyKey>): string {
  return keyPath.map((k) => String(k)).join('.');
}

/** Endpoints discovery finds at an issuer: they move with it. */
const DISCOVERABLE_ENDPOINTS = ['authorizationEndpoint', 'tokenEndpoint', 'deviceAuthorizationEndpoint', 'revocationEndpoint', 'userinfoEndpoint'] as const;
/** Addresses tied to a provider's host that no discovery gives: moving the issuer needs them too. */
const HOST_BOUND_ADDRESSES = ['pasteRedirectUri', 'copilotTokenEndpoint'] as const;

function originOf(url: string | undefined): string | undefined {
  try {
    return url === undefined ? undefined : new URL(url).origin;
  } catch {
    return undefined;
  }
}

/**
 * A built-in whose `issuer` is overridden to another host must not keep signing in at the old one:
 * its endpoints not given in the override are dropped, so discovery finds them at the new issuer;
 * addresses no discovery gives are required in the override, else the entry is refused by name.
 */
function moveWithIssuer(base: Provider, override: ProviderOverride): { merged: Record<string, unknown> } | { missing: string[] } {
  // A cli override changes the fields it names (e.g. the command) and keeps how the CLI signs in.
  const merged: Record<string, unknown> = { ...base, ...override, cli: override.cli ? { ...base.cli, ...override.cli } : base.cli };
  if (override.issuer === undefined || originOf(override.issuer) === originOf(base.issuer)) return { merged };
  const methods = override.methods ?? base.methods;
  const used = (key: (typeof HOST_BOUND_ADDRESSES)[number]) => key !== 'pasteRedirectUri' || methods.includes('paste');
  const missing = HOST_BOUND_ADDRESSES.filter((key) => base[key] !== undefined && override[key] === undefined && used(key));
  if (missing.length) return { missing };
  // What stays behind at the old host is dropped: discovered at the new issuer, or unused.
  for (const key of [...DISCOVERABLE_ENDPOINTS, ...HOST_BOUND_ADDRESSES]) if (override[key] === undefined) delete merged[key];
  return { merged };
}

/** Applies parsed overrides to the built-ins; custom ids become new providers. */
export function applyOverrides(
  builtIns: ReadonlyArray<Provider>,
  overrides: Readonly<Record<string, ProviderOverride>>,
  file: string,
): ProviderRegistry {
  const errors: ProvidersConfigError[] = [];
  const result = new Map(builtIns.map((p) => [p.id, p]));
  for (const [id, override] of Object.entries(overrides)) {
    const base = result.get(id);
    const moved = base ? moveWithIssuer(base, override) : undefined;
    if (base && moved && !('merged' in moved)) {
      const keyPath = describeKey(['providers', id, 'issuer']);
      const fields = moved.missing.join(' and ');
      errors.push({
        code: 'providers_config_invalid',
        file,
        keyPath,
        message: `${file}: ${keyPath}: moving ${base.name} to ${override.issuer} also needs ${fields} (no discovery gives ${moved.missing.length > 1 ? 'them' : 'it'}); set ${fields} for "${id}", or remove its issuer to keep ${originOf(base.issuer) ?? 'the built-in host'}`,
      });
      continue;
    }
    const merged = moved && 'merged' in moved ? moved.merged : { ...CUSTOM_DEFAULTS, id, name: override.name ?? '', ...override };
    const parsed = ProviderSchema.safeParse(merged);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const keyPath = describeKey(['providers', id, ...issue.path]);
        errors.push({ code: 'providers_config_invalid', file, keyPath, message: `${file}: ${keyPath}: ${issue.message}` });
      }
      continue;
    }
    const provider = parsed.data;
    if (!base) {
      const problem = customProviderProblem(provider);
      if (problem) {
        const keyPath = describeKey(['providers', id, problem.key]);
        errors.push({ code: 'providers_config_invalid', file, keyPath, message: `${file}: ${keyPath}: ${problem.expected}` });
        continue;
      }
    }
    result.set(id, provider);
  }
  return registryOf([...result.values()], errors);
}

function customProviderProblem(p: Provider): { key: string; expected: string } | undefined {
  if (!p.clientId) return { key: 'clientId', expected: 'expected a client id for a custom OAuth provider' };
  const needsAuthorize = p.methods.includes('browser') || p.methods.includes('paste');
  if (!p.issuer && needsAuthorize && !p.authorizationEndpoint) {
    return { key: 'authorizationEndpoint', expected: 'expected an issuer (for discovery) or an authorizationEndpoint' };
  }
  if (!p.issuer && !p.tokenEndpoint) return { key: 'tokenEndpoint', expected: 'expected an issuer (for discovery) or a tokenEndpoint' };
  if (!p.issuer && p.methods.includes('device') && !p.deviceAuthorizationEndpoint) {
    return { key: 'deviceAuthorizationEndpoint', expected: 'expected an issuer (for discovery) or a deviceAuthorizationEndpoint' };
  }
  return undefined;
}

/**
 * Loads the built-ins plus `providers.json` (when the file exists). Never throws for a bad file:
 * the errors name the file, the key path and what was expected, and the built-ins still load.
 */
export function loadProviderRegistry(file: string | undefined, builtIns: ReadonlyArray<Provider> = BUILT_IN_PROVIDERS): ProviderRegistry {
  if (!file) return registryOf(builtIns, []);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return registryOf(builtIns, []);
    return registryOf(builtIns, [{ code: 'providers_config_invalid', file, keyPath: '', message: `${file}: cannot be read (${(error as Error).message})` }]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return registryOf(builtIns, [
      { code: 'providers_config_invalid', file, keyPath: '', message: `${file}: expected valid JSON (${(error as Error).message})` },
    ]);
  }
  const parsed = ProvidersFile.safeParse(json);
  if (!parsed.success) {
    // Keep every provider whose own entry is fine; report the others.
    const errors: ProvidersConfigError[] = parsed.error.issues.map((issue) => {
      const keyPath = describeKey(issue.path);
      return { code: 'providers_config_invalid', file, keyPath, message: `${file}: ${keyPath || '(top level)'}: ${issue.message}` };
    });
    const entries = isRecord(json) && isRecord(json.providers) ? json.providers : {};
    const good: Record<string, ProviderOverride> = {};
    const badIds = new Set(parsed.error.issues.filter((i) => i.path[0] === 'providers' && i.path.length > 1).map((i) => String(i.path[1])));
    const wholeFileBad = parsed.error.issues.some((i) => i.path[0] !== 'providers' || i.path.length < 2);
    if (!wholeFileBad) {
      for (const [id, entry] of Object.entries(entries)) {
        if (!badIds.has(id)) good[id] = ProviderOverride.parse(entry);
      }
    }
    const rest = applyOverrides(builtIns, good, file);
    return registryOf(rest.providers, [...errors, ...rest.errors]);
  }
  return applyOverrides(builtIns, parsed.data.providers, file);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** providers.json in the data dir unless `--providers-config` names another file. */
export function providersConfigPath(dataDir: string, flag?: string): string {
  return flag ? path.resolve(flag) : path.join(dataDir, PROVIDERS_FILE);
}

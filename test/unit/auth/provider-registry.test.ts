import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BUILT_IN_PROVIDERS, loadProviderRegistry, ProviderSchema } from '../../../main/core/auth/provider-registry.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function configFile(content: string | object): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'providers-'));
  dirs.push(dir);
  const file = path.join(dir, 'providers.json');
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

describe('built-in providers', () => {
  it('are valid registry entries with every field the UI and flows need', () => {
    for (const provider of BUILT_IN_PROVIDERS) expect(ProviderSchema.parse(provider)).toEqual(provider);
    expect(BUILT_IN_PROVIDERS.map((p) => p.id)).toEqual(['anthropic', 'openai', 'google', 'github-copilot', 'qwen', 'ollama', 'lm-studio', 'openai-compatible']);
  });

  it('carry the provider facts: Claude and Gemini sign in by their own CLI, Codex localhost:1455 with fallback 1457', () => {
    const registry = loadProviderRegistry(undefined);
    const anthropic = registry.get('anthropic')!;
    expect(anthropic).toMatchObject({ tokenRequestEncoding: 'json', clientId: '9d1c250a-e61b-44d9-88ed-5944d1962f5e', logo: 'anthropic.svg', loginOwner: 'cli' });
    // Anthropic's terms: the app never runs the Claude.ai OAuth flow itself; Claude Code does.
    expect(anthropic.methods).toEqual(['cli', 'cli-console', 'cli-token', 'import', 'api-key']);
    expect(anthropic.cli?.login).toMatchObject({ product: 'Claude Code', args: { cli: ['auth', 'login', '--claudeai'], 'cli-console': ['auth', 'login', '--console'] }, check: 'claude-auth-status' });
    expect(registry.get('google')!.methods).toEqual(['cli', 'import', 'api-key']);
    expect(registry.get('google')!.cli?.login).toMatchObject({ product: 'Gemini CLI', env: { NO_BROWSER: 'true' }, check: 'gemini-credentials' });
    for (const p of registry.providers) for (const m of p.methods) if (p.kind === 'oauth' && p.cli?.login) expect(p.methodNotes[m], `${p.id} ${m}`).toBeTruthy();
    const openai = registry.get('openai')!;
    expect(openai).toMatchObject({ redirectHost: 'localhost', redirectPort: 1455, fallbackPorts: [1457], redirectPath: '/auth/callback', deviceLogin: 'openai-codex' });
    expect(registry.get('github-copilot')!.copilotTokenEndpoint).toBe('https://api.github.com/copilot_internal/v2/token');
    expect(registry.get('qwen')!.notice).toContain('2026-04-15');
    expect(registry.get('ollama')!.kind).toBe('self-hosted');
  });
});

describe('providers.json', () => {
  it('overrides any field of a built-in provider and keeps the rest', () => {
    const file = configFile({ providers: { anthropic: { tokenEndpoint: 'https://platform.claude.com/v1/oauth/token', redirectPort: 54545 } } });
    const registry = loadProviderRegistry(file);
    expect(registry.errors).toEqual([]);
    expect(registry.get('anthropic')).toMatchObject({ tokenEndpoint: 'https://platform.claude.com/v1/oauth/token', redirectPort: 54545, name: 'Claude Code' });
  });

  it('adds a custom OAuth provider with defaults for what it leaves out', () => {
    const file = configFile({
      providers: {
        'corp-sso': {
          name: 'Corp SSO',
          issuer: 'https://sso.example.com',
          clientId: 'relay',
          clientSecret: 'not-really-secret',
          scopes: ['openid', 'offline_access'],
          methods: ['browser', 'device'],
          redirectHost: 'localhost',
          redirectPort: 8765,
          redirectPath: '/cb',
          userinfoEndpoint: 'https://sso.example.com/me',
        },
      },
    });
    const registry = loadProviderRegistry(file);
    expect(registry.errors).toEqual([]);
    expect(registry.get('corp-sso')).toMatchObject({ kind: 'oauth', name: 'Corp SSO', redirectHost: 'localhost', redirectPort: 8765, tokenRequestEncoding: 'form', logo: 'custom.svg' });
    expect(registry.providers.length).toBe(BUILT_IN_PROVIDERS.length + 1);
  });

  it('a malformed entry gets an error naming the file, the key path and what was expected; the rest still load', () => {
    const file = configFile({
      providers: {
        anthropic: { redirectPort: 'abc' },
        openai: { redirectHost: '0.0.0.0' },
        'corp-sso': { name: 'Corp', issuer: 'https://sso.example.com', clientId: 'x' },
      },
    });
    const registry = loadProviderRegistry(file);
    expect(registry.errors.map((e) => e.keyPath)).toEqual(['providers.anthropic.redirectPort', 'providers.openai.redirectHost']);
    expect(registry.errors[0]!.message).toContain(file);
    expect(registry.errors[0]!.message).toMatch(/providers\.anthropic\.redirectPort: .*(number|port)/);
    expect(registry.errors[1]!.message).toContain('expected "127.0.0.1" or "localhost"');
    expect(registry.get('anthropic')!.redirectPort).toBe(0);
    expect(registry.get('corp-sso')).toBeDefined();
  });

  it('an unknown key is reported rather than silently ignored', () => {
    const registry = loadProviderRegistry(configFile({ providers: { anthropic: { tokenEndpiont: 'https://x.example' } } }));
    expect(registry.errors).toHaveLength(1);
    expect(registry.errors[0]!.message).toContain('tokenEndpiont');
  });

  it('a custom provider without a way to find its endpoints is refused with the key that is missing', () => {
    const registry = loadProviderRegistry(configFile({ providers: { bare: { name: 'Bare', clientId: 'x', methods: ['browser'] } } }));
    expect(registry.errors.map((e) => e.keyPath)).toEqual(['providers.bare.authorizationEndpoint']);
    expect(registry.get('bare')).toBeUndefined();
  });

  it('a file that is not JSON yields one error and all built-ins', () => {
    const file = configFile('{ "providers": ');
    const registry = loadProviderRegistry(file);
    expect(registry.errors).toHaveLength(1);
    expect(registry.errors[0]!.message).toContain(`${file}: expected valid JSON`);
    expect(registry.providers).toEqual(BUILT_IN_PROVIDERS);
  });

  it('a missing file is no error', () => {
    const registry = loadProviderRegistry(path.join(os.tmpdir(), 'does-not-exist-providers.json'));
    expect(registry.errors).toEqual([]);
    expect(registry.providers).toEqual(BUILT_IN_PROVIDERS);
  });
});
